// How fast a started dbx-proxy serves, and how light it stays: the time from
// launching the command to its first answered request, and its RSS once idle,
// beside the floor proxy (bench/floor-proxy.mjs) and, when bench/install-peers.sh
// has installed them, the two peers (Portkey, @musistudio/llms), all in one run.
// The emulator answers discovery in a millisecond, so the figures measure the
// proxy's own start (module loading, the SDK, the workspace's first calls), not
// a real workspace's round trips; with one, every discovery call saved by the
// catalog cache saves one round trip more.
// Usage: node bench/startup.mjs [--bin path/to/bin/dbx-proxy.js] [--runs N]
// (--bin measures another checkout's build, e.g. the one before a change.)
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, rssMb, sleep, startServer } from './lib/processes.mjs';
import { LLAMA, TOKEN, latencyScenarios, peerRequest } from './lib/scenarios.mjs';
import { summarizeRuns } from './lib/stats.mjs';

const argument = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at === -1 ? fallback : process.argv[at + 1];
};
const BIN = argument('--bin', fileURLToPath(new URL('../bin/dbx-proxy.js', import.meta.url)));
const RUNS = Number(argument('--runs', '5'));
/** How long after its first answer a process counts as idle (as the idle RSS of run.mjs). */
const IDLE_MS = 1500;
const log = (message) => process.stderr.write(`[startup] ${message}\n`);

/**
 * The first request each target is asked, from the bench's own scenarios: an
 * OpenAI chat for dbx-proxy, the floor (on the upstream's path) and Portkey; an
 * Anthropic message to Llama for llms, whose job is translating one.
 */
const [CHAT, MESSAGES_TO_CHAT] = latencyScenarios();

async function firstAnswer(url, { method, path, headers, body }) {
  const response = await fetch(`${url}${path}`, { method, headers, body });
  await response.text();
  if (!response.ok) throw new Error(`first request to ${url}${path}: HTTP ${response.status}`);
}

/** `dbx-proxy serve` against the emulator: launch -> listening -> first answer; then the idle RSS. */
function serveOnce(emulatorUrl, state) {
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, 'serve', '--host', emulatorUrl, '--port', '0', '--log-level', 'warn'], {
    // The emulator is on loopback, which catalog.cache `auto` leaves uncached: `on` measures what a real workspace gets.
    env: { ...process.env, DATABRICKS_TOKEN: TOKEN, HOME: state, XDG_STATE_HOME: state, DBX_PROXY_CATALOG_CACHE: 'on' },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
    child.stdout.on('data', async (chunk) => {
      out += chunk;
      const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
      if (!url || child.listening) return;
      child.listening = true;
      const listening = performance.now() - started;
      await firstAnswer(url, CHAT.proxy);
      const first = performance.now() - started;
      await sleep(IDLE_MS);
      const rss = rssMb(child.pid);
      child.removeAllListeners('exit');
      child.kill('SIGTERM');
      resolve({ listeningMs: listening, firstAnswerMs: first, idleRssMb: rss });
    });
  });
}

/** `dbx-proxy run claude` with a stand-in agent that sends one request at once: launch -> the agent's first request answered. */
async function runOnce(emulatorUrl, state) {
  const agent = join(state, 'agent.mjs');
  writeFileSync(
    agent,
    `#!${process.execPath}\nconst r = await fetch(process.env.ANTHROPIC_BASE_URL + '/v1/messages', { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': process.env.ANTHROPIC_AUTH_TOKEN ?? 'local', 'anthropic-version': '2023-06-01' }, body: JSON.stringify({ model: '${LLAMA}', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }) });\nawait r.text();\nprocess.exit(r.ok ? 0 : 1);\n`,
  );
  chmodSync(agent, 0o755);
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, 'run', 'claude', '--agent-bin', agent, '--host', emulatorUrl, '--port', '1'], {
    env: { ...process.env, DATABRICKS_TOKEN: TOKEN, HOME: state, XDG_STATE_HOME: state },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const code = await new Promise((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`run exited with ${code}`);
  return performance.now() - started;
}

/** A bench server (the floor, a peer): launch -> READY -> first answer, then its idle RSS. */
async function serverOnce(name, script, args, request) {
  const started = performance.now();
  const server = await startServer(name, script, args);
  await firstAnswer(server.url, request);
  const first = performance.now() - started;
  await sleep(IDLE_MS);
  const rss = server.rssMb();
  await server.stop();
  return { firstAnswerMs: first, idleRssMb: rss };
}

const peersInstalled = ['@portkey-ai/gateway', '@musistudio/llms'].every((name) =>
  existsSync(fileURLToPath(new URL(`peers/node_modules/${name}`, import.meta.url))),
);

/**
 * What dbx-proxy is set beside, each launched and asked the way bench/run.mjs
 * does. llms's READY comes from a 100 ms poll of its own port, so its start can
 * read up to 100 ms long.
 */
const references = (emulatorUrl) => ({
  floor: () => serverOnce('floor', 'floor-proxy.mjs', [emulatorUrl, TOKEN], CHAT.upstream),
  ...(peersInstalled && {
    portkey: async () => serverOnce('portkey', 'servers/portkey.mjs', [String(await freePort())], peerRequest('portkey', CHAT, emulatorUrl)),
    llms: async () =>
      serverOnce('llms', 'servers/llms.mjs', [String(await freePort()), emulatorUrl, TOKEN, LLAMA], peerRequest('llms', MESSAGES_TO_CHAT, emulatorUrl)),
  }),
});

const emulator = await startServer('emulator', 'servers/emulator.mjs', []);
if (!peersInstalled) log('peers not installed (sh bench/install-peers.sh): measuring against the floor only');
const perRun = [];
try {
  for (let run = 0; run < RUNS; run += 1) {
    log(`run ${run + 1}/${RUNS}`);
    // A fresh state directory: the first start has no catalog cache, the second finds the first one's.
    const state = mkdtempSync(join(tmpdir(), 'dbx-proxy-startup-'));
    const cold = await serveOnce(emulator.url, state);
    const warm = await serveOnce(emulator.url, state);
    const agentFirstRequestMs = await runOnce(emulator.url, state);
    const figures = {
      serveColdFirstAnswerMs: cold.firstAnswerMs,
      serveWarmFirstAnswerMs: warm.firstAnswerMs,
      serveWarmListeningMs: warm.listeningMs,
      runToAgentAnsweredMs: agentFirstRequestMs,
      proxyIdleRssMb: warm.idleRssMb,
    };
    // Ratios are taken within a run (same load), then their median: steadier than a ratio of medians.
    for (const [name, measure] of Object.entries(references(emulator.url))) {
      const reference = await measure();
      const Name = name[0].toUpperCase() + name.slice(1);
      Object.assign(figures, {
        [`${name}FirstAnswerMs`]: reference.firstAnswerMs,
        [`${name}IdleRssMb`]: reference.idleRssMb,
        [`serveWarmOver${Name}Start`]: warm.firstAnswerMs / reference.firstAnswerMs,
        [`runOver${Name}Start`]: agentFirstRequestMs / reference.firstAnswerMs,
        [`proxyOver${Name}Rss`]: warm.idleRssMb / reference.idleRssMb,
      });
    }
    perRun.push(figures);
  }
} finally {
  await emulator.stop();
}
const summary = summarizeRuns(perRun);
process.stdout.write(`${JSON.stringify({ bin: BIN, runs: RUNS, node: process.version, peers: peersInstalled, summary }, null, 2)}\n`);
