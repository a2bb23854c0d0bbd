// `npm run build && node bench/prompt-cache.mjs`: what automatic prompt-cache
// marks save on a 10-call agent conversation to Claude, from each client
// dialect, through the proxy to the emulator (which caches as Anthropic
// documents it). Each conversation runs twice, marks on and off; the report
// gives the share of input tokens read from the cache from the second call on
// and the list-price cost of both runs, and checks no answer changed.
// Prints Markdown to stdout (BENCHMARKS.md, "Prompt caching").
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { ConfigSchema } from '../dist/config/schema.js';
import { startEmulator, EMULATOR_DEMO_PAT } from '../dist/emulator/index.js';
import { createLogger } from '../dist/logging/logger.js';
import { startProxy } from '../dist/server/start.js';
import { Writable } from 'node:stream';

const MODEL = 'databricks-claude-sonnet-4-6';
/** Claude Sonnet 4.6 list prices, USD per million tokens (Anthropic's pricing page). */
const PRICE = { input: 3, write5m: 3.75, read: 0.3, output: 15 };

// A coding agent's context: a long system prompt, eight tools, and tool results of a few kilobytes.
const SYSTEM = Array.from({ length: 120 }, (_, i) => `Guideline ${i + 1}: read the relevant files before changing them; keep each change small, tested and explained; never guess an API.`).join('\n');
const TOOL_NAMES = ['read_file', 'list_files', 'search_code', 'run_tests', 'edit_file', 'git_diff', 'open_issue', 'web_fetch'];
const TOOLS = TOOL_NAMES.map((name) => ({
  name,
  description: `The ${name.replace('_', ' ')} tool of the workspace. Use it when the task needs it; its output is plain text.`,
  parameters: { type: 'object', properties: { path: { type: 'string', description: 'A path in the repository' } }, required: ['path'] },
}));
const toolOutput = (id) => `// output for ${id.slice(-6)}\n` + 'export function handler(input) { return input.map((item) => item.value * 2); }\n'.repeat(30);
const userTurn = (turn) => `Turn ${turn}: look at src/feature-${turn}.ts and explain what it does.`;

function chatAgent(client, stream) {
  const messages = [{ role: 'system', content: SYSTEM }];
  const tools = TOOLS.map((fn) => ({ type: 'function', function: fn }));
  let pending = [];
  return async (text) => {
    if (text !== undefined) messages.push({ role: 'user', content: text });
    for (const id of pending) messages.push({ role: 'tool', tool_call_id: id, content: toolOutput(id) });
    const params = { model: MODEL, messages, tools, max_tokens: 1024 };
    const c = stream ? await client.chat.completions.stream({ ...params, stream_options: { include_usage: true } }).finalChatCompletion() : await client.chat.completions.create(params);
    const message = c.choices[0].message;
    messages.push(message);
    pending = (message.tool_calls ?? []).map((call) => call.id);
    const read = c.usage.prompt_tokens_details?.cached_tokens ?? 0;
    const write = c.usage.prompt_tokens_details?.cache_write_tokens ?? 0;
    return { total: c.usage.prompt_tokens, read, write, output: c.usage.completion_tokens, answer: message.content ?? JSON.stringify(message.tool_calls?.map((t) => [t.function.name, t.function.arguments])) };
  };
}

function responsesAgent(client, stream) {
  const input = [];
  const tools = TOOLS.map((fn) => ({ type: 'function', ...fn, strict: false }));
  let pending = [];
  return async (text) => {
    if (text !== undefined) input.push({ role: 'user', content: text });
    for (const id of pending) input.push({ type: 'function_call_output', call_id: id, output: toolOutput(id) });
    const params = { model: MODEL, instructions: SYSTEM, input, tools, max_output_tokens: 1024 };
    const r = stream ? await client.responses.stream(params).finalResponse() : await client.responses.create(params);
    input.push(...r.output);
    pending = r.output.filter((item) => item.type === 'function_call').map((item) => item.call_id);
    const details = r.usage.input_tokens_details ?? {};
    return { total: r.usage.input_tokens, read: details.cached_tokens ?? 0, write: details.cache_write_tokens ?? 0, output: r.usage.output_tokens, answer: r.output_text || JSON.stringify(r.output.filter((i) => i.type === 'function_call').map((i) => [i.name, i.arguments])) };
  };
}

function anthropicAgent(client, stream) {
  const messages = [];
  const tools = TOOLS.map(({ parameters, ...tool }) => ({ ...tool, input_schema: parameters }));
  let pending = [];
  return async (text) => {
    const content = pending.map((id) => ({ type: 'tool_result', tool_use_id: id, content: toolOutput(id) }));
    if (text !== undefined) content.push({ type: 'text', text });
    messages.push({ role: 'user', content });
    const params = { model: MODEL, max_tokens: 1024, system: SYSTEM, messages, tools };
    const m = stream ? await client.messages.stream(params).finalMessage() : await client.messages.create(params);
    messages.push({ role: 'assistant', content: m.content });
    pending = m.content.filter((b) => b.type === 'tool_use').map((b) => b.id);
    const read = m.usage.cache_read_input_tokens ?? 0;
    const write = m.usage.cache_creation_input_tokens ?? 0;
    return { total: m.usage.input_tokens + read + write, read, write, output: m.usage.output_tokens, answer: m.content.map((b) => (b.type === 'text' ? b.text : `${b.name} ${JSON.stringify(b.input)}`)).join('') };
  };
}

function geminiAgent(client, stream) {
  const contents = [];
  const config = { systemInstruction: SYSTEM, maxOutputTokens: 1024, tools: [{ functionDeclarations: TOOLS.map(({ parameters, ...tool }) => ({ ...tool, parametersJsonSchema: parameters })) }] };
  let pending = [];
  return async (text) => {
    const parts = pending.map((call) => ({ functionResponse: { name: call.name, ...(call.id ? { id: call.id } : {}), response: { output: toolOutput(call.id ?? call.name) } } }));
    if (text !== undefined) parts.push({ text });
    contents.push({ role: 'user', parts });
    const answer = [];
    let usage;
    if (stream) {
      for await (const chunk of await client.models.generateContentStream({ model: MODEL, contents, config })) {
        answer.push(...(chunk.candidates?.[0]?.content?.parts ?? []));
        usage = chunk.usageMetadata ?? usage;
      }
    } else {
      const response = await client.models.generateContent({ model: MODEL, contents, config });
      answer.push(...(response.candidates?.[0]?.content?.parts ?? []));
      usage = response.usageMetadata;
    }
    contents.push({ role: 'model', parts: answer });
    pending = answer.filter((part) => part.functionCall).map((part) => part.functionCall);
    // Gemini reports no cache writes: they are inside promptTokenCount, priced here as input (the report says so).
    const output = (usage.candidatesTokenCount ?? 0) + (usage.thoughtsTokenCount ?? 0);
    return { total: usage.promptTokenCount, read: usage.cachedContentTokenCount ?? 0, write: 0, output, answer: answer.map((p) => p.text ?? `${p.functionCall?.name} ${JSON.stringify(p.functionCall?.args)}`).join('') };
  };
}

const DIALECTS = [
  ['OpenAI chat', (stack, stream) => chatAgent(new OpenAI({ apiKey: 'unused', baseURL: `${stack.url}/v1`, maxRetries: 0 }), stream)],
  ['OpenAI Responses', (stack, stream) => responsesAgent(new OpenAI({ apiKey: 'unused', baseURL: `${stack.url}/v1`, maxRetries: 0 }), stream)],
  ['Anthropic Messages (no marks of its own)', (stack, stream) => anthropicAgent(new Anthropic({ apiKey: 'unused', baseURL: stack.url, maxRetries: 0 }), stream)],
  ['Gemini API', (stack, stream) => geminiAgent(new GoogleGenAI({ apiKey: 'unused', httpOptions: { baseUrl: stack.url, apiVersion: 'v1beta' } }), stream)],
];

async function startStack(auto) {
  const emulator = await startEmulator();
  const config = ConfigSchema.parse({ port: 0, databricks: { host: emulator.url, token: EMULATOR_DEMO_PAT }, promptCache: { auto }, log: { level: 'warn' } });
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  const proxy = await startProxy(config, createLogger('warn', sink));
  return { url: proxy.url, close: async () => { await proxy.close(); await emulator.close(); } };
}

/** Ten calls: five user turns, each a tool call and the answer after its result. */
async function conversation(call) {
  const calls = [];
  for (let turn = 1; turn <= 5; turn += 1) {
    calls.push(await call(userTurn(turn)));
    calls.push(await call());
  }
  return calls;
}

const dollars = (calls, marked) =>
  calls.reduce((sum, c) => {
    const uncached = c.total - c.read - c.write;
    const input = marked ? uncached * PRICE.input + c.write * PRICE.write5m + c.read * PRICE.read : c.total * PRICE.input;
    return sum + (input + c.output * PRICE.output) / 1e6;
  }, 0);

const rows = [];
for (const [name, agentOf] of DIALECTS) {
  for (const stream of [false, true]) {
    const on = await startStack(true);
    const off = await startStack(false);
    try {
      const marked = await conversation(agentOf(on, stream));
      const plain = await conversation(agentOf(off, stream));
      const later = marked.slice(1);
      const sum = (list, key) => list.reduce((s, c) => s + c[key], 0);
      rows.push({
        name: `${name}${stream ? ', streamed' : ''}`,
        share: sum(later, 'read') / sum(later, 'total'),
        input: sum(marked, 'total'),
        read: sum(marked, 'read'),
        write: sum(marked, 'write'),
        output: sum(marked, 'output'),
        plainInput: sum(plain, 'total'),
        withMarks: dollars(marked, true),
        without: dollars(plain, false),
        sameAnswers: marked.every((c, i) => c.answer === plain[i]?.answer),
      });
    } finally {
      await on.close();
      await off.close();
    }
  }
}

const pct = (x) => `${(100 * x).toFixed(1)}%`;
const usd = (x) => `$${x.toFixed(4)}`;
console.log('| Client dialect | Cache-read share, calls 2-10 | Input tokens (read / written) | Output | Cost with marks | Cost without | Saved | Same answers |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.name} | ${pct(r.share)} | ${r.input} (${r.read} / ${r.write}) | ${r.output} | ${usd(r.withMarks)} | ${usd(r.without)} | ${pct(1 - r.withMarks / r.without)} | ${r.sameAnswers ? 'yes' : 'NO'} |`);
}
console.log(`\nPrices (Claude Sonnet 4.6, USD per million tokens): input ${PRICE.input}, 5-minute cache write ${PRICE.write5m}, cache read ${PRICE.read}, output ${PRICE.output}.`);
console.log('With marks: (input - read - written) x 3 + written x 3.75 + read x 0.30 + output x 15; without: input x 3 + output x 15 (per million).');
for (const r of rows.slice(0, 1)) console.log(`\nExample, ${r.name}: ((${r.input} - ${r.read} - ${r.write}) x 3 + ${r.write} x 3.75 + ${r.read} x 0.30 + ${r.output} x 15) / 1e6 = ${usd(r.withMarks)}; without: (${r.plainInput} x 3 + ${r.output} x 15) / 1e6 = ${usd(r.without)}.`);
if (rows.some((r) => !r.sameAnswers || r.input !== r.plainInput)) process.exitCode = 1;
