import { describe, expect, it } from 'vitest';
import { openaiResponses } from '../../src/emulator/dialects/openai-responses/index.js';
import { signReasoning, verifyReasoning } from '../../src/emulator/signing.js';
import {
  type EmulatedEndpoint,
  type RenderContext,
  type ScriptBlock,
} from '../../src/emulator/types.js';
import { databricksErrorOf, scriptsFor } from '../helpers/emulator-scripts.js';
import { openAiClientAnswering } from '../helpers/sdk-stubs.js';

const GPT: EmulatedEndpoint = {
  name: 'databricks-gpt-5-2',
  task: 'llm/v1/responses',
  family: 'gpt',
  kind: 'foundation',
  onAiGateway: true,
};

function context(endpoint: EmulatedEndpoint = GPT): RenderContext {
  return { endpoint, quirks: new Set() };
}

const REASONING_TEXT = '**Planning the call**\n\nI will add the two numbers with the calculator.';

function reasoning(text = REASONING_TEXT): ScriptBlock {
  return { type: 'reasoning', text, signature: signReasoning('openai', text) };
}

const script = scriptsFor({
  id: '01c6579bexample',
  created: 1_765_552_659,
  endpoint: GPT.name,
  usage: { inputTokens: 120, outputTokens: 40, reasoningTokens: 12, cachedInputTokens: 30 },
});

const CALC_TOOL = {
  type: 'function',
  name: 'calculator',
  description: 'Basic arithmetic.',
  parameters: {
    type: 'object',
    properties: { a: { type: 'number' }, b: { type: 'number' }, op: { type: 'string' } },
    required: ['a', 'b', 'op'],
  },
  strict: true,
};

/** An `openai` SDK client whose only upstream is the given body. */
function parse(body: unknown, ctx: RenderContext = context()) {
  return openaiResponses.parse(body, ctx);
}

interface Frame {
  event: string;
  data: Record<string, unknown> & { type: string; sequence_number: number };
}

function frames(lines: string[]): Frame[] {
  return lines.map((frame) => {
    const match = /^event: ([^\n]+)\ndata: ([^\n]+)\n\n$/.exec(frame);
    if (!match) throw new Error(`malformed frame: ${JSON.stringify(frame)}`);
    return { event: match[1] ?? '', data: JSON.parse(match[2] ?? '') };
  });
}

/** The harness assertions of wire-formats §6.5 that the SDK silently accepts. */
function checkStream(lines: string[]): Frame[] {
  const parsed = frames(lines);
  expect(lines.join('')).not.toContain('[DONE]');
  parsed.forEach((frame, i) => {
    expect(frame.event).toBe(frame.data.type);
    expect(frame.data.sequence_number).toBe(i);
  });
  expect(parsed[0]?.data.type).toBe('response.created');
  expect(parsed[1]?.data.type).toBe('response.in_progress');
  const terminals = parsed.filter((frame) =>
    ['response.completed', 'response.incomplete', 'response.failed'].includes(frame.data.type),
  );
  expect(terminals).toHaveLength(1);
  expect(parsed.at(-1)).toBe(terminals[0]);

  const added = new Map<number, Record<string, unknown>>();
  const done = new Map<number, Record<string, unknown>>();
  const deltas = new Map<string, string>();
  for (const { data } of parsed) {
    const index = data.output_index as number | undefined;
    if (data.type === 'response.output_item.added') added.set(index ?? -1, data.item as Record<string, unknown>);
    else if (data.type === 'response.output_item.done') done.set(index ?? -1, data.item as Record<string, unknown>);
    else if (index !== undefined) {
      // Every item-scoped event names the item announced at its output_index.
      expect(data.item_id).toBe(added.get(index)?.id);
      if (data.type.endsWith('.delta')) {
        deltas.set(`${index}:${data.type}`, (deltas.get(`${index}:${data.type}`) ?? '') + String(data.delta));
      }
      if (data.type === 'response.output_text.done') expect(deltas.get(`${index}:response.output_text.delta`)).toBe(data.text);
      if (data.type === 'response.reasoning_summary_text.done') {
        expect(deltas.get(`${index}:response.reasoning_summary_text.delta`) ?? '').toBe(data.text);
      }
      if (data.type === 'response.function_call_arguments.done') {
        expect(deltas.get(`${index}:response.function_call_arguments.delta`)).toBe(data.arguments);
      }
    }
  }
  expect([...added.keys()]).toEqual([...done.keys()]);
  for (const [index, item] of added) {
    expect(done.get(index)?.id).toBe(item.id);
    expect(String(item.id).length).toBeLessThanOrEqual(64);
  }
  const final = terminals[0]?.data.response as { output: unknown[]; usage: Record<string, number> };
  expect(final.output).toEqual([...done.values()]);
  return parsed;
}

describe('openai-responses respond', () => {
  it('renders reasoning, parallel function calls and usage that the SDK accepts', async () => {
    const s = script([
      reasoning(),
      { type: 'tool_call', callId: 'call_a1', name: 'calculator', arguments: { a: 12, b: 7, op: 'add' } },
      { type: 'tool_call', callId: 'call_b2', name: 'calculator', arguments: { a: 3, b: 4, op: 'multiply' } },
    ]);
    const body = JSON.stringify(openaiResponses.respond(s, context()));
    const response = await openAiClientAnswering(body, 'application/json').responses.create({ model: GPT.name, input: 'add' });

    expect(response.id).toMatch(/^resp_/);
    expect(response.object).toBe('response');
    expect(response.status).toBe('completed');
    expect(response.incomplete_details).toBeNull();
    expect(response.error).toBeNull();
    expect(response.model).toBe(GPT.name);
    const [rs, fc1, fc2] = response.output;
    expect(rs?.type).toBe('reasoning');
    if (rs?.type !== 'reasoning') throw new Error('unreachable');
    expect(rs.id).toMatch(/^rs_/);
    expect(rs.summary).toEqual([{ type: 'summary_text', text: REASONING_TEXT }]);
    expect(verifyReasoning('openai', REASONING_TEXT, rs.encrypted_content ?? undefined)).toBe(true);
    for (const [item, args, callId] of [
      [fc1, { a: 12, b: 7, op: 'add' }, 'call_a1'],
      [fc2, { a: 3, b: 4, op: 'multiply' }, 'call_b2'],
    ] as const) {
      if (item?.type !== 'function_call') throw new Error('expected a function_call');
      expect(item.id).toMatch(/^fc_/);
      expect(item.call_id).toBe(callId);
      expect(item.name).toBe('calculator');
      expect(item.status).toBe('completed');
      expect(JSON.parse(item.arguments)).toEqual(args);
    }
    expect(response.usage).toEqual({
      input_tokens: 120,
      input_tokens_details: { cached_tokens: 30 },
      output_tokens: 40,
      output_tokens_details: { reasoning_tokens: 12 },
      total_tokens: 160,
    });
    const ids = response.output.map((item) => (item as { id: string }).id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of [...ids, response.id]) expect(id.length).toBeLessThanOrEqual(64);
  });

  it('renders a text answer with output_text', async () => {
    const body = JSON.stringify(openaiResponses.respond(script([{ type: 'text', text: 'Hello there.' }]), context()));
    const response = await openAiClientAnswering(body, 'application/json').responses.create({ model: GPT.name, input: 'hi' });
    expect(response.output_text).toBe('Hello there.');
    const [message] = response.output;
    if (message?.type !== 'message') throw new Error('expected a message');
    expect(message.id).toMatch(/^msg_/);
    expect(message.role).toBe('assistant');
    expect(message.content).toEqual([{ type: 'output_text', text: 'Hello there.', annotations: [], logprobs: [] }]);
    expect(response.usage?.total_tokens).toBeGreaterThan(0);
  });

  it('answers incomplete with reason max_output_tokens when the script stopped on max_tokens', () => {
    const response = openaiResponses.respond(
      script([{ type: 'text', text: 'Cut' }], { stop: 'max_tokens' }),
      context(),
    ) as Record<string, unknown>;
    expect(response.status).toBe('incomplete');
    expect(response.incomplete_details).toEqual({ reason: 'max_output_tokens' });
  });

  it('echoes the request parameters recorded by parse', () => {
    const ctx = context();
    parse(
      {
        model: GPT.name,
        input: 'hi',
        tools: [CALC_TOOL],
        tool_choice: 'required',
        parallel_tool_calls: false,
        instructions: 'Be brief.',
        store: false,
      },
      ctx,
    );
    const response = openaiResponses.respond(script([{ type: 'text', text: 'ok' }]), ctx) as Record<string, unknown>;
    expect(response.tools).toEqual([CALC_TOOL]);
    expect(response.tool_choice).toBe('required');
    expect(response.parallel_tool_calls).toBe(false);
    expect(response.instructions).toBe('Be brief.');
    expect(response.store).toBe(false);
  });

  it('keeps ids within 64 characters for a long script id', () => {
    const long = script([reasoning(), { type: 'text', text: 'x' }], { id: 'a'.repeat(200) });
    const response = openaiResponses.respond(long, context()) as { id: string; output: { id: string }[] };
    expect(response.id.length).toBeLessThanOrEqual(64);
    const ids = response.output.map((item) => item.id);
    for (const id of ids) expect(id.length).toBeLessThanOrEqual(64);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('openai-responses stream', () => {
  async function finalResponse(lines: string[]) {
    const client = openAiClientAnswering(lines.join(''), 'text/event-stream');
    return client.responses.stream({ model: GPT.name, input: 'go' }).finalResponse();
  }

  it('streams reasoning and parallel function calls through responses.stream()', async () => {
    const s = script([
      reasoning(),
      { type: 'tool_call', callId: 'call_a1', name: 'calculator', arguments: { a: 12, b: 7, op: 'add' } },
      { type: 'tool_call', callId: 'call_b2', name: 'lookup', arguments: { query: 'größe 🌍 "quoted"' } },
    ]);
    const lines = openaiResponses.stream(s, context());
    const parsed = checkStream(lines);
    const types = parsed.map((frame) => frame.data.type);
    expect(types.filter((type) => type === 'response.reasoning_summary_text.delta').length).toBeGreaterThan(1);
    expect(types.filter((type) => type === 'response.function_call_arguments.delta').length).toBeGreaterThan(2);
    // `.added` of a function call: empty arguments, in progress.
    const addedCall = parsed.find(
      (frame) => frame.data.type === 'response.output_item.added' && frame.data.output_index === 1,
    )?.data.item as Record<string, unknown>;
    expect(addedCall).toMatchObject({ type: 'function_call', arguments: '', status: 'in_progress', call_id: 'call_a1' });

    const response = await finalResponse(lines);
    expect(response.status).toBe('completed');
    const [rs, fc1, fc2] = response.output;
    if (rs?.type !== 'reasoning' || fc1?.type !== 'function_call' || fc2?.type !== 'function_call') {
      throw new Error(`unexpected output ${JSON.stringify(response.output)}`);
    }
    expect(rs.summary[0]?.text).toBe(REASONING_TEXT);
    expect(verifyReasoning('openai', REASONING_TEXT, rs.encrypted_content ?? undefined)).toBe(true);
    expect(fc1.name).toBe('calculator');
    expect(JSON.parse(fc1.arguments)).toEqual({ a: 12, b: 7, op: 'add' });
    expect(fc2.name).toBe('lookup');
    expect(JSON.parse(fc2.arguments)).toEqual({ query: 'größe 🌍 "quoted"' });
    expect(response.usage?.total_tokens).toBe(160);
    expect(response.usage?.output_tokens_details.reasoning_tokens).toBe(12);
  });

  it('streams reasoning then text', async () => {
    const text = 'The final result is **570**, after three steps of arithmetic.';
    const lines = openaiResponses.stream(script([reasoning(), { type: 'text', text }]), context());
    const parsed = checkStream(lines);
    const deltas = parsed.filter((frame) => frame.data.type === 'response.output_text.delta');
    expect(deltas.length).toBeGreaterThan(1);
    for (const delta of deltas) expect(delta.data.logprobs).toEqual([]);
    const created = parsed[0]?.data.response as Record<string, unknown>;
    expect(created.status).toBe('in_progress');
    expect(created.output).toEqual([]);

    const response = await finalResponse(lines);
    expect(response.output_text).toBe(text);
    expect(response.output.map((item) => item.type)).toEqual(['reasoning', 'message']);
    expect(response.usage?.input_tokens).toBeGreaterThan(0);
  });

  it('ends a max_tokens script with response.incomplete', async () => {
    const lines = openaiResponses.stream(
      script([{ type: 'text', text: 'This answer was cut' }], { stop: 'max_tokens' }),
      context(),
    );
    const parsed = checkStream(lines);
    expect(parsed.at(-1)?.data.type).toBe('response.incomplete');
    const response = await finalResponse(lines);
    expect(response.status).toBe('incomplete');
    expect(response.incomplete_details?.reason).toBe('max_output_tokens');
    expect(response.output_text).toBe('This answer was cut');
  });

  it('streams an empty script as a bare lifecycle', async () => {
    const lines = openaiResponses.stream(script([]), context());
    checkStream(lines);
    const response = await finalResponse(lines);
    expect(response.output).toEqual([]);
    expect(response.status).toBe('completed');
  });
});

describe('openai-responses parse', () => {
  it('reads a Codex-shaped request', () => {
    const conversation = parse({
      model: GPT.name,
      instructions: 'You are Codex.',
      input: [
        { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'Sandbox rules.' }] },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'What is 12 + 7?' }] },
      ],
      tools: [CALC_TOOL],
      tool_choice: 'auto',
      parallel_tool_calls: true,
      reasoning: { summary: 'auto' },
      store: false,
      stream: true,
      include: ['reasoning.encrypted_content'],
      prompt_cache_key: 'thread-1',
      client_metadata: { originator: 'codex' },
      service_tier: 'auto',
    });
    expect(conversation.endpoint).toBe(GPT.name);
    expect(conversation.stream).toBe(true);
    expect(conversation.lastUserText).toBe('What is 12 + 7?');
    expect(conversation.allText).toContain('You are Codex.');
    expect(conversation.allText).toContain('Sandbox rules.');
    expect(conversation.tools).toEqual([
      { name: 'calculator', description: 'Basic arithmetic.', parameters: CALC_TOOL.parameters },
    ]);
    expect(conversation.toolChoice).toBe('auto');
    expect(conversation.parallelToolCalls).toBe(true);
    expect(conversation.reasoningRequested).toBe(true);
    expect(conversation.toolResults).toEqual([]);
    expect(conversation.maxOutputTokens).toBeUndefined();
  });

  it('maps tool_choice, parallel_tool_calls, max_output_tokens and reasoning', () => {
    const base = { model: GPT.name, input: 'hi', tools: [CALC_TOOL] };
    expect(parse({ ...base, tool_choice: 'none' }).toolChoice).toBe('none');
    expect(parse({ ...base, tool_choice: 'required' }).toolChoice).toBe('required');
    expect(parse({ ...base, tool_choice: { type: 'function', name: 'calculator' } }).toolChoice).toEqual({
      name: 'calculator',
    });
    expect(parse({ ...base, parallel_tool_calls: false }).parallelToolCalls).toBe(false);
    expect(parse({ ...base, max_output_tokens: 256 }).maxOutputTokens).toBe(256);
    expect(parse(base).reasoningRequested).toBe(false);
    expect(parse({ ...base, reasoning: { effort: 'none' } }).reasoningRequested).toBe(false);
    expect(parse({ ...base, reasoning: { effort: 'high' } }).reasoningRequested).toBe(true);
    expect(parse({ ...base, reasoning: { summary: 'detailed' } }).reasoningRequested).toBe(true);
    expect(parse({ ...base, stream: false }).stream).toBe(false);
    expect(parse({ model: GPT.name, input: 'plain string' }).lastUserText).toBe('plain string');
    expect(databricksErrorOf(() => parse({ ...base, tool_choice: 'any' })).status).toBe(400);
  });

  it('reads back its own output: replayed reasoning verifies, tool results follow the calls', () => {
    const s = script([
      reasoning(),
      { type: 'tool_call', callId: 'call_a1', name: 'calculator', arguments: { a: 12, b: 7, op: 'add' } },
      { type: 'tool_call', callId: 'call_b2', name: 'calculator', arguments: { a: 1, b: 2, op: 'add' } },
    ]);
    const output = (openaiResponses.respond(s, context()) as { output: unknown[] }).output;
    const conversation = parse({
      model: GPT.name,
      store: false,
      include: ['reasoning.encrypted_content'],
      input: [
        { role: 'user', content: 'Add them.' },
        ...output,
        { type: 'function_call_output', call_id: 'call_a1', output: '19' },
        { type: 'function_call_output', call_id: 'call_b2', output: [{ type: 'input_text', text: '3' }] },
      ],
      tools: [CALC_TOOL],
    });
    expect(conversation.lastUserText).toBe('Add them.');
    expect(conversation.priorToolCalls).toEqual([
      { callId: 'call_a1', name: 'calculator' },
      { callId: 'call_b2', name: 'calculator' },
    ]);
    expect(conversation.toolResults).toEqual([
      { callId: 'call_a1', content: '19' },
      { callId: 'call_b2', content: '3' },
    ]);
    expect(conversation.replayedReasoning).toHaveLength(1);
    const [replay] = conversation.replayedReasoning;
    expect(replay?.text).toBe(REASONING_TEXT);
    expect(verifyReasoning('openai', replay?.text ?? '', replay?.signature)).toBe(true);
  });

  it('drops tool results that an assistant turn already answered', () => {
    const conversation = parse({
      model: GPT.name,
      input: [
        { role: 'user', content: 'first' },
        { type: 'function_call', call_id: 'call_1', name: 'calculator', arguments: '{}' },
        { type: 'function_call_output', call_id: 'call_1', output: 'one' },
        { role: 'assistant', content: [{ type: 'output_text', text: 'done' }] },
        { role: 'user', content: 'second' },
      ],
    });
    expect(conversation.toolResults).toEqual([]);
    expect(conversation.lastUserText).toBe('second');
  });

  describe('validation', () => {
    const base = { model: GPT.name, input: 'hi' };

    it('requires model and input', () => {
      expect(databricksErrorOf(() => parse({ input: 'hi' })).message).toBe('model: Field required');
      expect(databricksErrorOf(() => parse({ model: GPT.name })).message).toBe('input: Field required');
      expect(databricksErrorOf(() => parse({ model: GPT.name, input: 42 })).status).toBe(400);
      expect(databricksErrorOf(() => parse('not an object')).status).toBe(400);
    });

    it('refuses fields outside the allow-list', () => {
      for (const field of ['stream_options', 'frobnicate', 'messages']) {
        const error = databricksErrorOf(() => parse({ ...base, [field]: {} }));
        expect(error.status).toBe(400);
        expect(error.errorCode).toBe('BAD_REQUEST');
        expect(error.message).toBe(`${field}: Extra inputs are not permitted`);
        expect(error.toBody()).toEqual({ error_code: 'BAD_REQUEST', message: error.message });
      }
    });

    it('refuses previous_response_id', () => {
      const error = databricksErrorOf(() => parse({ ...base, previous_response_id: 'resp_123' }));
      expect(error.status).toBe(400);
      expect(error.message).toContain('previous_response_id');
    });

    it('refuses hosted tools', () => {
      for (const type of ['web_search', 'web_search_preview', 'file_search', 'code_interpreter', 'custom']) {
        const error = databricksErrorOf(() => parse({ ...base, tools: [CALC_TOOL, { type }] }));
        expect(error.status).toBe(400);
        expect(error.message).toContain(`'${type}'`);
      }
    });

    it('refuses chat-shaped (nested) function tools', () => {
      const nested = { type: 'function', function: { name: 'calculator', parameters: CALC_TOOL.parameters } };
      expect(databricksErrorOf(() => parse({ ...base, tools: [nested] })).message).toBe(
        'tools.0.function: Extra inputs are not permitted',
      );
    });

    it('refuses a tool schema without type "object"', () => {
      const { type: _dropped, ...untyped } = CALC_TOOL.parameters;
      const error = databricksErrorOf(() => parse({ ...base, tools: [{ ...CALC_TOOL, parameters: untyped }] }));
      expect(error.status).toBe(400);
      expect(error.message).toContain('tools.0.parameters');
      expect(databricksErrorOf(() => parse({ ...base, tools: [{ type: 'function', name: 'f' }] })).status).toBe(400);
      expect(parse({ ...base, tools: [CALC_TOOL] }).tools).toHaveLength(1);
    });

    it('refuses input ids longer than 64 characters', () => {
      const long = `fc_${'x'.repeat(62)}`; // 65
      const call = { type: 'function_call', id: long, call_id: 'call_1', name: 'calculator', arguments: '{}' };
      expect(databricksErrorOf(() => parse({ ...base, input: [{ role: 'user', content: 'q' }, call] })).message).toBe(
        "Invalid 'input[1].id': string too long. Expected a string with maximum length 64, but got a string with length 65 instead.",
      );
      const longCall = { type: 'function_call_output', call_id: `call_${'y'.repeat(70)}`, output: 'r' };
      expect(databricksErrorOf(() => parse({ ...base, input: [longCall] })).message).toBe(
        "Invalid 'input[0].call_id': string too long. Expected a string with maximum length 64, but got a string with length 75 instead.",
      );
      const longMessage = { type: 'message', id: `msg_${'z'.repeat(100)}`, role: 'assistant', content: 'a' };
      expect(databricksErrorOf(() => parse({ ...base, input: [longMessage] })).message).toContain("'input[0].id'");
      // Exactly 64 is fine.
      expect(() => parse({ ...base, input: [{ ...call, id: `fc_${'x'.repeat(61)}` }] })).not.toThrow();
    });

    it('refuses a reasoning item without encrypted_content when store is false', () => {
      const item = { type: 'reasoning', id: 'rs_abc', summary: [{ type: 'summary_text', text: 'thinking' }] };
      const error = databricksErrorOf(() => parse({ ...base, store: false, input: [item] }));
      expect(error.status).toBe(400);
      expect(error.message).toBe(
        "Item with id 'rs_abc' not found. Items are not persisted when `store` is set to false.",
      );
      const withContent = { ...item, encrypted_content: signReasoning('openai', 'thinking') };
      const replay = parse({ ...base, store: false, input: [withContent] }).replayedReasoning;
      expect(replay).toEqual([{ text: 'thinking', signature: withContent.encrypted_content }]);
    });

    it("takes a reasoning item replayed by its content without an id (opencode's store:false replay), not one with neither", () => {
      const summary = [{ type: 'summary_text', text: 'thinking' }];
      const byContent = { type: 'reasoning', encrypted_content: signReasoning('openai', 'thinking'), summary };
      const replay = parse({ ...base, store: false, input: [byContent] }).replayedReasoning;
      expect(replay).toEqual([{ text: 'thinking', signature: byContent.encrypted_content }]);
      expect(databricksErrorOf(() => parse({ ...base, store: false, input: [{ type: 'reasoning', summary }] })).message).toBe('input.0.id: Field required');
    });

    it('refuses unknown input items and roles', () => {
      expect(databricksErrorOf(() => parse({ ...base, input: [{ type: 'web_search_call', id: 'ws_1' }] })).status).toBe(400);
      expect(databricksErrorOf(() => parse({ ...base, input: [{ role: 'tool', content: 'x' }] })).status).toBe(400);
      expect(
        databricksErrorOf(() => parse({ ...base, input: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }] })).status,
      ).toBe(400);
    });
  });
});
