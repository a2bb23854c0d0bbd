import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.js';

/**
 * A Gemini call signature reaches clients of the other dialects as opaque
 * reasoning beside the call, never inside an id (src/ir/call-signatures.ts):
 * no id grows with the signature, Responses ids stay within 64 characters,
 * a client that replays the reasoning brings the real signature back to
 * Gemini, and one that replays only the call still gets a request Gemini
 * accepts. The emulated Gemini 3 refuses a replayed signature that changed.
 */
const GEMINI = 'databricks-gemini-3-pro';
const TOOL = { name: 'read_file', description: 'Read a file', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } };
const PROMPT = 'please read notes.txt';
const SENTINEL = 'skip_thought_signature_validator';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

async function post(path: string, body: unknown): Promise<Response> {
  return fetch(`${stack.proxy.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }, body: JSON.stringify(body) });
}

/** Every SSE event's JSON. */
async function events(answer: Response): Promise<Record<string, unknown>[]> {
  const text = await answer.text();
  return text
    .split(/\n\n/)
    .flatMap((frame) => frame.split('\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)))
    .filter((data) => data !== '[DONE]')
    .map((data) => JSON.parse(data) as Record<string, unknown>);
}

/** Every value of an `id`, `item_id` or `call_id` anywhere in a JSON value. */
function ids(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(ids);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => (['id', 'item_id', 'call_id'].includes(key) && typeof child === 'string' ? [child] : ids(child)));
}

/** The functionCall parts the last upstream (Gemini) request carried. */
function upstreamCalls(): { thoughtSignature?: string }[] {
  const last = stack.emulator.transcript.filter((entry) => entry.path.includes(':')).at(-1);
  const contents = (last?.body as { contents: { parts: { functionCall?: unknown; thoughtSignature?: string }[] }[] }).contents;
  return contents.flatMap((content) => content.parts.filter((part) => part.functionCall));
}

describe('Responses clients', () => {
  const body = (input: unknown[]) => ({ model: GEMINI, input, tools: [{ type: 'function', strict: false, ...TOOL }], stream: true, store: false });

  it('see no id over 64 characters, none holding the signature; the signature rides in a reasoning item', async () => {
    const streamed = await events(await post('/v1/responses', body([{ role: 'user', content: PROMPT }])));
    const seen = ids(streamed);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((id) => id.length > 64)).toEqual([]);
    const output = (streamed.at(-1)?.response as { output: { type: string; call_id?: string; encrypted_content?: string }[] }).output;
    const call = output.find((item) => item.type === 'function_call');
    const carrier = output.find((item) => item.type === 'reasoning' && item.encrypted_content?.includes('CiQB'));
    expect(call).toBeDefined();
    expect(carrier).toBeDefined();
    expect(call?.call_id).not.toContain('CiQB');
  });

  it('replaying the reasoning items brings the real signature back to Gemini; replaying only the call still works', async () => {
    const first = await events(await post('/v1/responses', body([{ role: 'user', content: PROMPT }])));
    const output = (first.at(-1)?.response as { output: { type: string; call_id?: string }[] }).output;
    const call = output.find((item) => item.type === 'function_call') as { call_id: string };
    const result = { type: 'function_call_output', call_id: call.call_id, output: 'NOTES-OK' };

    const full = await events(await post('/v1/responses', body([{ role: 'user', content: PROMPT }, ...output, result])));
    expect(JSON.stringify(full)).toContain('NOTES-OK');
    expect(upstreamCalls()[0]?.thoughtSignature).toMatch(/^CiQB/);

    const callsOnly = output.filter((item) => item.type === 'function_call');
    const bare = await events(await post('/v1/responses', body([{ role: 'user', content: PROMPT }, ...callsOnly, result])));
    expect(JSON.stringify(bare)).toContain('NOTES-OK');
    expect(upstreamCalls()[0]?.thoughtSignature).toBe(SENTINEL);
  });
});

describe('Anthropic clients', () => {
  const body = (messages: unknown[]) => ({
    model: GEMINI,
    max_tokens: 1024,
    messages,
    tools: [{ name: TOOL.name, description: TOOL.description, input_schema: TOOL.parameters }],
  });

  it('get the signature as redacted thinking before the tool_use, and bring it back', async () => {
    const answer = (await (await post('/v1/messages', body([{ role: 'user', content: PROMPT }]))).json()) as { content: { type: string; id?: string; data?: string }[] };
    const use = answer.content.find((block) => block.type === 'tool_use');
    expect(use?.id?.length).toBeLessThanOrEqual(64);
    expect(use?.id).not.toContain('CiQB');
    expect(answer.content.some((block) => block.type === 'redacted_thinking' && block.data?.includes('CiQB'))).toBe(true);
    const next = await post('/v1/messages', body([
      { role: 'user', content: PROMPT },
      { role: 'assistant', content: answer.content },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: use?.id, content: 'NOTES-OK' }] },
    ]));
    expect(await next.text()).toContain('NOTES-OK');
    expect(upstreamCalls()[0]?.thoughtSignature).toMatch(/^CiQB/);
  });
});

describe('Chat clients', () => {
  it('that drop everything but the call still get an answer (the placeholder signature goes to Gemini)', async () => {
    const request = { model: GEMINI, messages: [{ role: 'user', content: PROMPT }], tools: [{ type: 'function', function: TOOL }] };
    const answer = (await (await post('/v1/chat/completions', request)).json()) as { choices: { message: { tool_calls: { id: string; function: { name: string; arguments: string } }[] } }[] };
    const call = answer.choices[0]?.message.tool_calls[0];
    expect(call?.id).not.toContain('CiQB');
    const next = await post('/v1/chat/completions', {
      ...request,
      messages: [...request.messages, { role: 'assistant', content: null, tool_calls: [{ id: call?.id, type: 'function', function: call?.function }] }, { role: 'tool', tool_call_id: call?.id, content: 'NOTES-OK' }],
    });
    expect(await next.text()).toContain('NOTES-OK');
    expect(upstreamCalls()[0]?.thoughtSignature).toBe(SENTINEL);
  });
});
