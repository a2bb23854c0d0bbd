// CPU-bound microbenchmark of the stream pipeline alone, on one core: the
// relays the proxy runs for a stream (frame splitting and checks, stream
// repairs, then either re-serialisation or IR decode + encode), fed an
// in-memory 5,000-delta Databricks chat stream in 64 KiB network-sized chunks
// and writing to a sink. No sockets, no emulator.
// Usage: node bench/stream-micro.mjs [runs]   Prints one JSON line.
import { ConfigSchema } from '../dist/config/schema.js';
import { INBOUND_CODECS } from '../dist/dialects/codecs.js';
import { openaiChat } from '../dist/emulator/dialects/openai-chat/index.js';
import { activeRepairs } from '../dist/repairs/pipeline.js';
import { passthroughExchange, translatedExchange } from '../dist/server/exchange.js';
import { planRoute } from '../dist/routing/plan.js';
import { LLAMA, longPrompt } from './lib/scenarios.mjs';
import { summarize } from './lib/stats.mjs';

const DELTAS = 5000;
const WARMUP_RUNS = 5;
const runs = Number(process.argv[2] ?? 5);
const config = ConfigSchema.parse({});
const endpoint = { name: LLAMA, family: 'llama', kind: 'foundation', onAiGateway: true };
const text = `${longPrompt(DELTAS)} `;
const frames = openaiChat.stream(
  { id: 'bench', created: 0, endpoint: LLAMA, blocks: [{ type: 'text', text }], stop: 'end_turn', usage: { inputTokens: 1, outputTokens: 1, reasoningTokens: 0, cachedInputTokens: 0 } },
  { endpoint, quirks: new Set() },
);
const wire = Buffer.from(frames.join(''));
const CHUNK = 64 * 1024;
const chunks = [];
for (let at = 0; at < wire.length; at += CHUNK) chunks.push(wire.subarray(at, at + CHUNK));

async function* source() {
  for (const chunk of chunks) yield chunk;
}

/** Enough of a ServerResponse for the relays: counts what is written. */
function sink() {
  return {
    headersSent: false,
    destroyed: false,
    bytes: 0,
    writeHead() { this.headersSent = true; },
    setHeader() {},
    write(text) { this.bytes += text.length; return true; },
    end() {},
    on() {}, off() {}, once() {},
  };
}

function exchangeFor(inbound) {
  const body =
    inbound === 'openai-chat'
      ? { model: LLAMA, stream: true, messages: [{ role: 'user', content: 'x' }] }
      : { model: LLAMA, stream: true, max_tokens: 32000, messages: [{ role: 'user', content: 'x' }] };
  const plan = planRoute(inbound, 'llama', 'ai-gateway');
  const context = { inbound, upstream: plan.upstream, surface: plan.surface, family: 'llama', endpoint: LLAMA, config, note() {}, warn() {} };
  const route = { repairs: activeRepairs(context, config), context };
  const codecContext = { endpoint: LLAMA, family: 'llama', clientModel: LLAMA };
  const exchange = plan.mode === 'passthrough' ? passthroughExchange(inbound, body, codecContext) : translatedExchange(plan, body, codecContext);
  return { exchange, route, mode: plan.mode };
}

async function measure(inbound) {
  const perRun = [];
  for (let run = 0; run < runs + WARMUP_RUNS; run += 1) {
    const { exchange, route } = exchangeFor(inbound);
    const out = sink();
    const start = process.hrtime.bigint();
    const outcome = await exchange.relayStream(source(), out, route);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (outcome.failure) throw outcome.failure;
    if (run >= WARMUP_RUNS) perRun.push(outcome.frames / seconds); // the first runs warm the JIT
  }
  return summarize(perRun);
}

const result = {
  upstreamFrames: frames.length,
  passthroughRepairedEventsPerSecond: await measure('openai-chat'),
  translatedEventsPerSecond: await measure('anthropic-messages'),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
