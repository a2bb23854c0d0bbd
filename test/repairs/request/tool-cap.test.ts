import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOTE_HEADER_MAX } from '../../../src/repairs/request/notes.js';
import { startStack, type Stack } from '../../helpers/stack.js';
import { lastInference, MODELS, openai, outcome, postToProxy, startPair, upstreamBody, type Pair } from './support.js';

/**
 * tool-cap: on Model Serving, the tools over the family's cap are dropped,
 * keeping the chosen and already-used ones. The refusal is UNVERIFIED, so the
 * emulator reproduces it only with the `model-serving-tool-cap` quirk on.
 */
const QUIRK = 'model-serving-tool-cap';
const schema = { type: 'object', properties: { path: { type: 'string' } } };
const chatTools = (count: number): OpenAI.ChatCompletionTool[] =>
  Array.from({ length: count }, (_, i) => ({ type: 'function', function: { name: `tool_${i}`, description: `tool number ${i}`, parameters: schema } }));
const responsesTools = (count: number): OpenAI.Responses.FunctionTool[] =>
  Array.from({ length: count }, (_, i) => ({ type: 'function', name: `tool_${i}`, strict: false, parameters: schema }));

const names = (tools: unknown): string[] =>
  (tools as Record<string, unknown>[]).map((tool) => String((tool.function as Record<string, unknown> | undefined)?.name ?? tool.name));

describe('tool-cap on Model Serving', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair('tool-cap', { emulator: { aiGateway: false, quirks: [QUIRK] } });
  });
  afterAll(() => pair.close());

  it('chat → llama (cap 32): keeps the chosen tool and the tools already called, drops the rest, and says which', async () => {
    const messages: OpenAI.ChatCompletionMessageParam[] = [
      { role: 'user', content: 'read notes.txt' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'tool_35', arguments: '{"path":"notes.txt"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: 'first result' },
      { role: 'user', content: 'now read more.txt' },
    ];
    const ask = (stack: Stack) =>
      openai(stack)
        .chat.completions.create({ model: MODELS.llama, messages, tools: chatTools(40), tool_choice: { type: 'function', function: { name: 'tool_39' } } })
        .withResponse();
    const { data, response } = await ask(pair.on);
    expect(data.choices[0]?.message.content).toContain('first result');
    expect(lastInference(pair.on).path).toBe('/serving-endpoints/chat/completions');
    const sent = names(upstreamBody(pair.on).tools);
    expect(sent).toHaveLength(32);
    expect(sent).toEqual([...Array.from({ length: 30 }, (_, i) => `tool_${i}`), 'tool_35', 'tool_39']);
    const dropped = ['tool_30', 'tool_31', 'tool_32', 'tool_33', 'tool_34', 'tool_36', 'tool_37', 'tool_38'];
    expect(response.headers.get('x-dbx-proxy-dropped-tools')).toBe(dropped.join(', '));
    const warning = pair.on.logs.records().find((line) => line.repair === 'tool-cap');
    expect(warning).toMatchObject({ level: 40, cap: 32, dropped });

    const refused = await outcome(() => ask(pair.off));
    expect((refused.error as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
    expect(refused.error?.message).toContain('accepts at most 32 tools on Model Serving');
  });

  it('responses → gpt (cap 16), streamed', async () => {
    const ask = (stack: Stack) => openai(stack).responses.stream({ model: MODELS.gpt, input: 'read notes.txt', tools: responsesTools(20) }).finalResponse();
    const done = await ask(pair.on);
    expect(done.output.some((item) => item.type === 'function_call')).toBe(true);
    expect(names(upstreamBody(pair.on).tools)).toEqual(Array.from({ length: 16 }, (_, i) => `tool_${i}`));
    // On a stream too, the note reaches the client as a response header.
    const raw = await fetch(`${pair.on.openaiBaseUrl}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer local' },
      body: JSON.stringify({ model: MODELS.gpt, input: 'read notes.txt', tools: responsesTools(20), stream: true }),
    });
    expect(raw.headers.get('content-type')).toContain('text/event-stream');
    expect(raw.headers.get('x-dbx-proxy-dropped-tools')).toBe('tool_16, tool_17, tool_18, tool_19');
    expect(await raw.text()).toContain('response.completed');

    const refused = await outcome(() => ask(pair.off));
    expect((refused.error as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
    expect(refused.error?.message).toContain('accepts at most 16 tools');
  });

  it('an Anthropic client to codex (cap 10), translated to Responses', async () => {
    const body = {
      model: MODELS.codex,
      max_tokens: 256,
      messages: [{ role: 'user', content: 'read notes.txt' }],
      tools: Array.from({ length: 12 }, (_, i) => ({ name: `tool_${i}`, input_schema: schema })),
    };
    const done = await postToProxy(pair.on, '/v1/messages', body);
    expect(done.status).toBe(200);
    expect(done.headers.get('x-dbx-proxy-dropped-tools')).toBe('tool_10, tool_11');
    expect(names(upstreamBody(pair.on).tools)).toHaveLength(10);

    const refused = await postToProxy(pair.off, '/v1/messages', body);
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringContaining('at most 10 tools') } });
  });

  it('a few hundred dropped tools: the note stays a bounded header, counting what it cannot list, and undici clients read the answer', async () => {
    // 400 tools with 60-character names: listed whole, the header passed 16 KB, over undici's header limit (Node's fetch failed the answer).
    const long = (i: number) => `${'read_a_file_from_the_workspace_and_summarise_its_lines_'}${String(i).padStart(4, '0')}`;
    const tools = Array.from({ length: 400 }, (_, i) => ({ type: 'function', name: long(i), strict: false, parameters: schema }));
    for (const stream of [false, true]) {
      const raw = await fetch(`${pair.on.openaiBaseUrl}/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer local' },
        body: JSON.stringify({ model: MODELS.gpt, input: 'read notes.txt', tools, stream }),
      });
      expect(raw.status).toBe(200);
      const note = raw.headers.get('x-dbx-proxy-dropped-tools') ?? '';
      expect(note.length).toBeLessThanOrEqual(NOTE_HEADER_MAX);
      const listed = note.split(', ').slice(0, -1);
      expect(listed[0]).toBe(long(16));
      expect(note).toMatch(new RegExp(`, and ${384 - listed.length} more$`));
      expect(await raw.text()).toContain(stream ? 'response.completed' : '"status":"completed"');
    }
  });

  it('a family without a cap (claude) is left alone', async () => {
    const body = { model: MODELS.claude, max_tokens: 256, messages: [{ role: 'user', content: 'hi' }], tools: Array.from({ length: 40 }, (_, i) => ({ name: `tool_${i}`, input_schema: schema })) };
    const done = await postToProxy(pair.on, '/v1/messages', body);
    expect(done.status).toBe(200);
    expect(names(upstreamBody(pair.on).tools)).toHaveLength(40);
    expect(done.headers.get('x-dbx-proxy-dropped-tools')).toBeNull();
  });
});

describe('tool-cap configuration and surfaces', () => {
  it('never trims on the AI Gateway (no cap there)', async () => {
    const stack = await startStack({ emulator: { aiGateway: true, quirks: [QUIRK] } });
    try {
      const done = await openai(stack).chat.completions.create({ model: MODELS.llama, messages: [{ role: 'user', content: 'hi' }], tools: chatTools(40) });
      expect(done.choices[0]?.finish_reason).toBe('tool_calls');
      expect(lastInference(stack).path).toBe('/ai-gateway/mlflow/v1/chat/completions');
      expect(names(upstreamBody(stack).tools)).toHaveLength(40);
    } finally {
      await stack.close();
    }
  });

  it('repairs.toolCaps overrides a default and adds a cap to other families, in every tool shape', async () => {
    const stack = await startStack({ emulator: { aiGateway: false }, config: { repairs: { toolCaps: { llama: 3, claude: 2, gemini: 2 } } } });
    try {
      await openai(stack).chat.completions.create({ model: MODELS.llama, messages: [{ role: 'user', content: 'hi' }], tools: chatTools(5) });
      expect(names(upstreamBody(stack).tools)).toEqual(['tool_0', 'tool_1', 'tool_2']);

      const claude = await postToProxy(stack, '/v1/messages', {
        model: MODELS.claude,
        max_tokens: 256,
        messages: [{ role: 'user', content: 'hi' }],
        tools: Array.from({ length: 4 }, (_, i) => ({ name: `tool_${i}`, input_schema: schema })),
        tool_choice: { type: 'tool', name: 'tool_3' },
      });
      expect(claude.status).toBe(200);
      expect(names(upstreamBody(stack).tools)).toEqual(['tool_0', 'tool_3']);
      expect(claude.headers.get('x-dbx-proxy-dropped-tools')).toBe('tool_1, tool_2');

      // Gemini nests its declarations: the cap counts declarations, not `tools` entries.
      await openai(stack).chat.completions.stream({ model: MODELS.gemini, messages: [{ role: 'user', content: 'hi' }], tools: chatTools(4) }).finalChatCompletion();
      const gemini = upstreamBody(stack).tools as { functionDeclarations: { name: string }[] }[];
      expect(gemini.flatMap((tool) => tool.functionDeclarations.map((declaration) => declaration.name))).toEqual(['tool_0', 'tool_1']);
    } finally {
      await stack.close();
    }
  });
});
