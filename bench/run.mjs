// `npm run bench` (`-- --quick` for a short run): what dbx-proxy costs, against
// the emulator directly, the floor proxy and the peers, in one run. Writes
// bench/results/<stamp>.json and bench/results/latest.md. See BENCHMARKS.md.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { eventsPerSecondRun, pacedRun } from './lib/streams.mjs';
import { latencyRun } from './lib/latency.mjs';
import { observabilityRun } from './lib/observability-cost.mjs';
import { rssOverRequests, rssUnderStreams } from './lib/memory.mjs';
import { sleep, startServer } from './lib/processes.mjs';
import { renderReport } from './lib/report.mjs';
import { latencyScenarios, LLAMA, longPrompt, streamScenarios, TOKEN } from './lib/scenarios.mjs';
import { summarizeRuns } from './lib/stats.mjs';
import { requestsPerSecond } from './lib/throughput.mjs';

const quick = process.argv.includes('--quick');
const profile = process.argv.includes('--cpu-prof');
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length).split(',');
const BENCH = fileURLToPath(new URL('.', import.meta.url));

/** Sizes of the run; every figure is the median of RUNS runs. */
const SIZE = quick
  ? { runs: 5, requests: 60, warmup: 20, ttfbRequests: 30, seconds: 2, longStreams: 1, pacedStreams: 2, slowStreams: 1000, soak: 10_000, soakWarmup: 20_000 }
  : { runs: 5, requests: 400, warmup: 100, ttfbRequests: 150, seconds: 10, longStreams: 3, pacedStreams: 8, slowStreams: 1000, soak: 100_000, soakWarmup: 20_000 };
const LONG_STREAM_WORDS = 4998; // + "You said:" = 5,000 text deltas
const PACED_WORDS = 62; // + "You said:" = 64 deltas
const SLOW_WORDS = 30; // slow-drip: 200 ms per frame, about 7 s per stream

const peersInstalled = existsSync(`${BENCH}peers/node_modules/@portkey-ai/gateway`) && existsSync(`${BENCH}peers/node_modules/@musistudio/llms`);
const wanted = (section) => !only || only.includes(section);
const log = (message) => process.stderr.write(`[bench] ${message}\n`);

/** The emulator (with global fault switches) and everything pointed at it. */
async function startAll(faults = '') {
  const emulator = await startServer('emulator', 'servers/emulator.mjs', [faults]);
  const proxy = await startServer('proxy', 'servers/proxy.mjs', [emulator.url, TOKEN], {
    nodeArgs: profile ? ['--cpu-prof', `--cpu-prof-dir=${BENCH}results/profiles`] : [],
  });
  const floor = await startServer('floor', 'floor-proxy.mjs', [emulator.url, TOKEN]);
  const servers = { emulator, proxy, floor };
  if (peersInstalled) {
    servers.portkey = await startServer('portkey', 'servers/portkey.mjs', ['18787']);
    servers.llms = await startServer('llms', 'servers/llms.mjs', ['13456', emulator.url, TOKEN, LLAMA]);
  }
  return servers;
}

async function stopAll(servers) {
  for (const server of Object.values(servers)) await server.stop();
}

/** `work` against a fresh set of servers, stopped afterwards. */
async function withServers(faults, work) {
  const fresh = await startAll(faults);
  try {
    return await work(fresh);
  } finally {
    await stopAll(fresh);
  }
}

async function runs(label, once) {
  const perRun = [];
  for (let run = 0; run < SIZE.runs; run += 1) {
    log(`${label}: run ${run + 1}/${SIZE.runs}`);
    perRun.push(await once());
  }
  return summarizeRuns(perRun);
}

const results = {
  startedAt: new Date().toISOString(),
  mode: quick ? 'quick' : 'full',
  machine: {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
  },
  size: SIZE,
  peers: peersInstalled ? { portkey: '@portkey-ai/gateway 1.15.2', llms: '@musistudio/llms 1.0.53' } : 'not installed (bench/install-peers.sh)',
};

mkdirSync(`${BENCH}results`, { recursive: true });
// Memory figures come from fresh processes each run: RSS only grows within one.
if (wanted('memory')) {
  results.idleRssMb = await runs('idle RSS', () =>
    withServers('', async (fresh) => {
      await sleep(1500);
      return Object.fromEntries(Object.entries(fresh).map(([name, server]) => [name, server.rssMb()]));
    }),
  );
}
let servers = await startAll();
try {
  if (wanted('latency')) {
    results.latency = {};
    for (const scenario of latencyScenarios()) {
      results.latency[scenario.name] = { kind: scenario.kind, peer: scenario.peer, ...(await runs(`latency ${scenario.name}`, () => latencyRun(scenario, servers, SIZE))) };
    }
  }
  if (wanted('throughput')) {
    const [scenario] = latencyScenarios();
    const targets = { direct: [servers.emulator, { ...scenario.upstream, headers: { ...scenario.upstream.headers, authorization: `Bearer ${TOKEN}` } }], floor: [servers.floor, scenario.upstream], proxy: [servers.proxy, scenario.proxy] };
    results.throughput = await runs('throughput c64', async () => {
      const run = {};
      for (const [name, [server, request]] of Object.entries(targets)) run[`${name}Rps`] = (await requestsPerSecond(server.url, request, { duration: SIZE.seconds })).rps;
      run.proxyOverFloor = run.proxyRps / run.floorRps;
      run.proxyOverDirect = run.proxyRps / run.directRps;
      return run;
    });
  }
  if (wanted('streams')) {
    results.ttfb = {};
    results.eventsPerSecond = {};
    for (const scenario of streamScenarios()) {
      results.ttfb[scenario.name] = { kind: scenario.kind, peer: scenario.peer, ...(await runs(`ttfb ${scenario.name}`, () => latencyRun(scenario, servers, { requests: SIZE.ttfbRequests, warmup: SIZE.warmup, streamed: true }))) };
    }
    for (const scenario of streamScenarios(longPrompt(LONG_STREAM_WORDS), 32_000)) {
      results.eventsPerSecond[scenario.name] = { kind: scenario.kind, peer: scenario.peer, ...(await runs(`5,000-delta stream ${scenario.name}`, () => eventsPerSecondRun(scenario, servers, { streams: SIZE.longStreams }))) };
    }
  }
} finally {
  await stopAll(servers);
}
if (wanted('memory')) {
  // Successive windows of SIZE.soak requests on one process, after a warm-up: a leak grows the RSS in
  // every window, a heap still finding its size only in the first ones, so the median window tells them apart.
  const [scenario] = latencyScenarios();
  results.soak = await withServers('', async (fresh) => {
    await requestsPerSecond(fresh.proxy.url, scenario.proxy, { amount: SIZE.soakWarmup });
    return runs(`RSS over ${SIZE.soak} requests`, () => rssOverRequests(fresh.proxy, scenario.proxy, { total: SIZE.soak }));
  });
}

if (wanted('paced')) {
  // The emulator paces every stream 20 ms a frame (its steady-drip fault): the Busbar method (64 deltas, 20 ms).
  results.paced = {};
  await withServers('steady-drip', async (paced) => {
    for (const scenario of streamScenarios(longPrompt(PACED_WORDS))) {
      results.paced[scenario.name] = { kind: scenario.kind, ...(await runs(`paced ${scenario.name}`, () => pacedRun(scenario, paced, { streams: SIZE.pacedStreams }))) };
    }
  });
}
if (wanted('memory')) {
  // Slow streams: 200 ms a frame (slow-drip), all opened at once.
  const [scenario] = streamScenarios(longPrompt(SLOW_WORDS));
  results.slowStreams = await runs(`${SIZE.slowStreams} concurrent slow streams`, () =>
    withServers('slow-drip', async (fresh) => {
      const proxy = await rssUnderStreams(fresh.proxy, scenario.proxy, SIZE.slowStreams);
      const floor = await rssUnderStreams(fresh.floor, scenario.upstream, SIZE.slowStreams);
      return { streams: SIZE.slowStreams, proxyPeakRssMb: proxy.peakRssMb, proxySeconds: proxy.seconds, proxyStreamedOk: proxy.streamedOk, floorPeakRssMb: floor.peakRssMb, floorSeconds: floor.seconds };
    }),
  );
}
if (wanted('observability')) {
  // Metrics and usage history on (the default) against the same proxy with both off, in one run.
  const [scenario] = latencyScenarios();
  const emulator = await startServer('emulator', 'servers/emulator.mjs', ['']);
  const both = { emulator };
  try {
    both.proxy = await startServer('proxy', 'servers/proxy.mjs', [emulator.url, TOKEN]);
    both.proxyOff = await startServer('proxy-off', 'servers/proxy.mjs', [emulator.url, TOKEN, 'observe-off']);
    let round = 0;
    results.observability = await runs('metrics and usage history on vs off', () => observabilityRun(scenario, both, SIZE, round++));
  } finally {
    await stopAll(both);
  }
}
if (wanted('micro')) {
  log('stream pipeline microbenchmark');
  results.micro = JSON.parse(execFileSync(process.execPath, [`${BENCH}stream-micro.mjs`, String(SIZE.runs)], { encoding: 'utf8' }));
}

results.finishedAt = new Date().toISOString();
const stamp = results.startedAt.replaceAll(':', '-').replace(/\..*/, '');
writeFileSync(`${BENCH}results/${stamp}-${results.mode}.json`, `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(`${BENCH}results/latest.md`, renderReport(results));
process.stdout.write(renderReport(results));
