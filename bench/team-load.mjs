// `npm run build && node bench/team-load.mjs [sessions]`: the load a team puts on one proxy
// process. SESSIONS (default 200) concurrent agent sessions, each four streamed turns of a
// Claude Code-like conversation (a tool call, its result, two parallel tool calls, their
// results) on /v1/messages with tools, its history growing turn by turn. The same sessions
// run against the emulator directly, through the floor proxy and through dbx-proxy, each in
// its own process. Reports turns per second, each turn's time to its last byte (p50/p95/p99)
// and what the proxy adds to it over direct, and peak RSS of the proxy and the floor.
// Prints Markdown (BENCHMARKS.md, "A team's load"); figures are medians of RUNS runs.
import { Pool } from 'undici';
import { rssMb, sleep, startServer } from './lib/processes.mjs';
import { CLAUDE, TOKEN } from './lib/scenarios.mjs';
import { median, percentile } from './lib/stats.mjs';

const SESSIONS = Number(process.argv[2] ?? 200);
const RUNS = 3;
const TOOLS = [
  { name: 'read_file', description: 'Read a file', input_schema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } },
  { name: 'list_dir', description: 'List a folder', input_schema: { type: 'object', properties: { dir: { type: 'string' } }, required: ['dir'] } },
];
const SYSTEM = 'You are a coding agent. Read before you write; keep changes small. '.repeat(40);
const USER_TURNS = ['please read notes.txt', 'read a.txt and list src in parallel'];
const log = (message) => process.stderr.write(`[team-load] ${message}\n`);

/** The assistant's content blocks from an Anthropic event stream (text and tool_use, inputs parsed). */
function assistantContent(sse) {
  const blocks = [];
  for (const frame of sse.split('\n\n')) {
    const data = frame.split('\n').find((line) => line.startsWith('data:'));
    if (!data) continue;
    const event = JSON.parse(data.slice(5));
    if (event.type === 'content_block_start' && ['text', 'tool_use'].includes(event.content_block.type)) {
      blocks[event.index] = event.content_block.type === 'text' ? { type: 'text', text: '' } : { ...event.content_block, input: '' };
    } else if (event.type === 'content_block_delta' && blocks[event.index]) {
      if (event.delta.type === 'text_delta') blocks[event.index].text += event.delta.text;
      if (event.delta.type === 'input_json_delta') blocks[event.index].input += event.delta.partial_json;
    }
  }
  return blocks.filter(Boolean).map((block) => (block.type === 'tool_use' ? { ...block, input: JSON.parse(block.input || '{}') } : block));
}

/** One session: four streamed turns; returns each turn's time to its last byte, in ms. */
async function session(pool, path, headers, index) {
  const messages = [];
  const turns = [];
  const ask = async () => {
    const started = performance.now();
    const body = JSON.stringify({ model: CLAUDE, max_tokens: 256, stream: true, system: SYSTEM, tools: TOOLS, messages });
    const response = await pool.request({ method: 'POST', path, headers, body });
    const text = await response.body.text();
    turns.push(performance.now() - started);
    if (response.statusCode !== 200) throw new Error(`session ${index}: ${response.statusCode} ${text.slice(0, 200)}`);
    const content = assistantContent(text);
    messages.push({ role: 'assistant', content });
    return content.filter((block) => block.type === 'tool_use');
  };
  for (const prompt of USER_TURNS) {
    messages.push({ role: 'user', content: `${prompt} (session ${index})` });
    const calls = await ask();
    if (calls.length === 0) throw new Error(`session ${index}: no tool call for "${prompt}"`);
    messages.push({ role: 'user', content: calls.map((call) => ({ type: 'tool_result', tool_use_id: call.id, content: `result of ${call.name} for session ${index}` })) });
    await ask();
  }
  return turns;
}

/** All sessions at once against one target, sampling `server`'s RSS (when given) every 100 ms. */
async function load(url, path, headers, server) {
  const pool = new Pool(url, { connections: SESSIONS, pipelining: 1, keepAliveTimeout: 60_000 });
  let peak = server ? rssMb(server.pid) : NaN;
  let sampling = true;
  const sampler = (async () => {
    while (sampling && server) {
      peak = Math.max(peak, rssMb(server.pid));
      await sleep(100);
    }
  })();
  const started = performance.now();
  try {
    const turns = (await Promise.all(Array.from({ length: SESSIONS }, (_, index) => session(pool, path, headers, index)))).flat();
    const seconds = (performance.now() - started) / 1000;
    return { turnsPerSecond: turns.length / seconds, p50: percentile(turns, 50), p95: percentile(turns, 95), p99: percentile(turns, 99), peakRssMb: peak };
  } finally {
    sampling = false;
    await sampler;
    await pool.close();
  }
}

const ANTHROPIC = { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' };
const emulator = await startServer('emulator', 'servers/emulator.mjs');
const floor = await startServer('floor', 'floor-proxy.mjs', [emulator.url, TOKEN]);
const proxy = await startServer('proxy', 'servers/proxy.mjs', [emulator.url, TOKEN]);
const results = { direct: [], floor: [], proxy: [] };
const idle = { floorRssMb: floor.rssMb(), proxyRssMb: proxy.rssMb() };
try {
  for (let run = 1; run <= RUNS; run += 1) {
    log(`run ${run}/${RUNS}: ${SESSIONS} sessions each through direct, floor, proxy`);
    results.direct.push(await load(emulator.url, '/ai-gateway/anthropic/v1/messages', { ...ANTHROPIC, authorization: `Bearer ${TOKEN}` }));
    results.floor.push(await load(floor.url, '/ai-gateway/anthropic/v1/messages', ANTHROPIC, floor));
    results.proxy.push(await load(proxy.url, '/v1/messages', { ...ANTHROPIC, authorization: 'Bearer local' }, proxy));
  }
} finally {
  for (const server of [proxy, floor, emulator]) await server.stop();
}

const med = (target, key) => median(results[target].map((run) => run[key]));
const fixed = (value, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const rows = ['direct', 'floor', 'proxy'].map((target) => {
  const added = (key) => (target === 'direct' ? '–' : `+${fixed(med(target, key) - med('direct', key), 1)}`);
  return `| ${target} | ${fixed(med(target, 'turnsPerSecond'))} | ${fixed(med(target, 'p50'), 1)} (${added('p50')}) | ${fixed(med(target, 'p95'), 1)} (${added('p95')}) | ${fixed(med(target, 'p99'), 1)} (${added('p99')}) | ${fixed(med(target, 'peakRssMb'), 1)} |`;
});
process.stdout.write(
  [
    `${SESSIONS} concurrent agent sessions, 4 streamed turns each (${SESSIONS * 4} requests a run), median of ${RUNS} runs; idle RSS before: proxy ${fixed(idle.proxyRssMb, 1)} MB, floor ${fixed(idle.floorRssMb, 1)} MB.`,
    '',
    '| target | turns/s | turn p50 ms (added) | p95 ms (added) | p99 ms (added) | peak RSS MB |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n'),
);
