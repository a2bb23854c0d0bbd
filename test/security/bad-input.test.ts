import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../../src/server/json-body.js';
import { nestsDeeperThan } from '../../src/server/json-depth.js';
import { rawRequest } from '../helpers/raw-http.js';
import { startStack, type Stack } from '../helpers/stack.js';

/**
 * Shapes the proxy refuses itself, per route: each would otherwise crash a
 * codec or reach the upstream as nonsense. Each gets a 400 in the client's
 * dialect naming the offending place, and the upstream is never called. The
 * shapes after them are legitimate and must pass (the schemas may not refuse
 * what the APIs allow).
 */
type Body = Record<string, unknown>;

interface RouteCases {
  path: string;
  dialect: 'openai' | 'anthropic';
  base: Body;
  refused: [string, Body, RegExp][];
  accepted: [string, Body][];
}

const user = (content: unknown) => ({ role: 'user', content });

const ROUTES: Record<string, RouteCases> = {
  chat: {
    path: '/v1/chat/completions',
    dialect: 'openai',
    base: { model: 'databricks-meta-llama-3-3-70b-instruct', messages: [user('x')] },
    refused: [
      ['an unknown role', { messages: [{ role: 'robot', content: 'x' }] }, /messages\.0\.role/],
      ['a user message without content', { messages: [{ role: 'user' }] }, /content/],
      ['content of the wrong type', { messages: [user(42)] }, /messages\.0\.content/],
      ['a text part whose text is not a string', { messages: [user([{ type: 'text', text: { nested: true } }])] }, /content\.0\.text/],
      ['a part without a type', { messages: [user([{ text: 'x' }])] }, /type/],
      ['an image part without a url', { messages: [user([{ type: 'image_url', image_url: {} }])] }, /url/],
      ['a tool message without tool_call_id', { messages: [user('x'), { role: 'tool', content: 'r' }] }, /tool_call_id/],
      ['a tool call whose arguments are an object', { messages: [{ role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: {} } }] }] }, /arguments/],
      ['a tool that is not an object', { tools: ['read_file'] }, /tools\.0/],
      ['a function tool without a function', { tools: [{ type: 'function', name: 'f' }] }, /function/],
      ['a function tool whose parameters are a string', { tools: [{ type: 'function', function: { name: 'f', parameters: '{}' } }] }, /parameters/],
      ['max_tokens of 0', { max_tokens: 0 }, /max_tokens/],
      ['max_tokens that is not an integer', { max_tokens: 1.5 }, /max_tokens/],
      ['max_completion_tokens beyond 2^53', { max_completion_tokens: 1e300 }, /max_completion_tokens/],
      ['n as a string', { n: '2' }, /Invalid request: n must/],
      ['temperature as a string', { temperature: '0.5' }, /temperature/],
      ['stop as a number', { stop: 5 }, /stop/],
      ['an empty messages list', { messages: [] }, /messages/],
    ],
    accepted: [
      ['nulls where the OpenAI SDK allows them', { max_tokens: null, temperature: null, stop: null, n: null, stream: null, metadata: null }],
      ['an assistant turn with tool calls and null content, then the result', {
        messages: [user('x'), { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] }, { role: 'tool', tool_call_id: 'c1', content: 'r' }],
        tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: {} } } }],
      }],
      ['part types the proxy does not know', { messages: [user([{ type: 'text', text: 'x' }, { type: 'input_audio', input_audio: { data: '', format: 'wav' } }])] }],
    ],
  },
  responses: {
    path: '/v1/responses',
    dialect: 'openai',
    base: { model: 'databricks-gpt-5-2', input: 'x' },
    refused: [
      ['input of the wrong type', { input: 42 }, /input/],
      ['an input item that is a string', { input: ['hello'] }, /input\.0/],
      ['a message item without role', { input: [{ content: 'x' }] }, /role/],
      ['a message item with an unknown role', { input: [{ role: 'robot', content: 'x' }] }, /role/],
      ['an input_text part without text', { input: [{ role: 'user', content: [{ type: 'input_text' }] }] }, /text/],
      ['a function_call without call_id', { input: [{ type: 'function_call', name: 'f', arguments: '{}' }] }, /call_id/],
      ['a function_call whose arguments are an object', { input: [{ type: 'function_call', call_id: 'c', name: 'f', arguments: {} }] }, /arguments/],
      ['a function_call_output whose output is a number', { input: [{ type: 'function_call_output', call_id: 'c', output: 7 }] }, /output/],
      ['a function tool without a name', { tools: [{ type: 'function', parameters: {} }] }, /name/],
      ['a tool without a type', { tools: [{ name: 'f' }] }, /type/],
      ['max_output_tokens of -1', { max_output_tokens: -1 }, /max_output_tokens/],
      ['instructions as an array', { instructions: ['be brief'] }, /instructions/],
      ['include as a string', { include: 'reasoning.encrypted_content' }, /include/],
    ],
    accepted: [
      ['a function call round trip and nulls', {
        input: [user('x'), { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{}' }, { type: 'function_call_output', call_id: 'c1', output: 'r' }],
        tools: [{ type: 'function', name: 'f', parameters: { type: 'object', properties: {} }, strict: null }],
        max_output_tokens: null,
        temperature: null,
      }],
      ['a typed message item with parts', { input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'x' }] }] }],
    ],
  },
  messages: {
    path: '/v1/messages',
    dialect: 'anthropic',
    base: { model: 'databricks-claude-sonnet-4-6', max_tokens: 64, messages: [user('x')] },
    refused: [
      ['an unknown role in messages', { messages: [{ role: 'developer', content: 'x' }] }, /role/],
      ['a system message with an image', { messages: [{ role: 'system', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'x' } }] }, user('x')] }, /messages\.0\.content/],
      ['a message without content', { messages: [{ role: 'user' }] }, /content/],
      ['content of the wrong type', { messages: [user({ text: 'x' })] }, /messages\.0\.content/],
      ['a text block whose text is a number', { messages: [user([{ type: 'text', text: 1 }])] }, /text/],
      ['a tool_use block without input', { messages: [{ role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'f' }] }] }, /input/],
      ['a tool_result without tool_use_id', { messages: [user([{ type: 'tool_result', content: 'r' }])] }, /tool_use_id/],
      ['a thinking block without signature', { messages: [{ role: 'assistant', content: [{ type: 'thinking', thinking: 'hm' }] }] }, /signature/],
      ['an image without source', { messages: [user([{ type: 'image' }])] }, /source/],
      ['a custom tool without input_schema', { tools: [{ name: 'f' }] }, /input_schema/],
      ['a tool whose input_schema is a string', { tools: [{ name: 'f', input_schema: '{}' }] }, /input_schema/],
      ['an unknown tool_choice type', { tool_choice: { type: 'required' } }, /tool_choice/],
      ['tool_choice tool without a name', { tool_choice: { type: 'tool' } }, /name/],
      ['thinking enabled without a budget', { thinking: { type: 'enabled' } }, /budget_tokens/],
      ['max_tokens missing', { max_tokens: undefined }, /max_tokens/],
      ['max_tokens as a string', { max_tokens: '64' }, /max_tokens/],
      ['max_tokens beyond 2^53', { max_tokens: 2 ** 60 }, /max_tokens/],
      ['system as a number', { system: 1 }, /system/],
      ['stop_sequences with a number', { stop_sequences: ['a', 1] }, /stop_sequences/],
    ],
    accepted: [
      ['a tool round trip', {
        tools: [{ name: 'f', input_schema: { type: 'object', properties: {} } }],
        messages: [user('x'), { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'f', input: {} }] }, user([{ type: 'tool_result', tool_use_id: 't1', content: 'r' }])],
      }],
      ['system blocks and adaptive thinking', { system: [{ type: 'text', text: 'be brief' }], thinking: { type: 'adaptive' } }],
      // Claude Code's mid-conversation system messages: the system-messages repair hoists them.
      ['a system message in the conversation', { messages: [user('x'), { role: 'system', content: [{ type: 'text', text: 'be brief' }] }, user('y')] }],
    ],
  },
};

const ERROR_SHAPE = {
  openai: { error: { message: expect.any(String), type: 'invalid_request_error', param: expect.any(String), code: expect.any(String) } },
  anthropic: { type: 'error', error: { type: 'invalid_request_error', message: expect.any(String) } },
};

describe.each(Object.entries(ROUTES))('bad input on %s', (_name, route) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.emulator.clearTranscript());

  const post = (body: Body) =>
    rawRequest(stack.proxy.url, { method: 'POST', path: route.path, headers: { 'anthropic-version': '2023-06-01' }, body: JSON.stringify({ ...route.base, ...body }) });

  it.each(route.refused)('refuses %s: 400 in the client dialect, naming the place, upstream untouched', async (_what, body, place) => {
    const response = await post(body);
    expect(response.status, response.text).toBe(400);
    const parsed = JSON.parse(response.text) as unknown;
    expect(parsed).toEqual(ERROR_SHAPE[route.dialect]);
    expect(JSON.stringify(parsed)).toMatch(place);
    expect(stack.emulator.counters.inference).toBe(0);
  });

  it.each(route.accepted)('lets %s through to the upstream', async (_what, body) => {
    const response = await post(body);
    expect(stack.emulator.counters.inference, response.text).toBe(1);
    expect(response.status, response.text).toBe(200);
  });
});

describe('deep nesting', () => {
  it('nestsDeeperThan counts brackets outside strings only, escapes included', () => {
    expect(nestsDeeperThan(`${'['.repeat(513)}${']'.repeat(513)}`, 512)).toBe(true);
    expect(nestsDeeperThan(`${'['.repeat(512)}${']'.repeat(512)}`, 512)).toBe(false);
    expect(nestsDeeperThan(`{"a":"${'['.repeat(2000)}"}`, 512)).toBe(false);
    expect(nestsDeeperThan(`{"a":"\\"${'['.repeat(2000)}"}`, 512)).toBe(false);
    expect(nestsDeeperThan(`{"a":"\\\\",${'['.repeat(600)}1${']'.repeat(600)}}`, 512)).toBe(true);
  });

  describe.each(Object.entries(ROUTES))('on %s', (_name, route) => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack();
    });
    afterAll(() => stack.close());

    const withDeepMetadata = (depth: number) => JSON.stringify({ ...route.base, metadata: { x: '@' } }).replace('"@"', `${'['.repeat(depth)}1${']'.repeat(depth)}`);

    it(`refuses a body nested deeper than ${MAX_JSON_DEPTH} levels with a 400 in the client dialect, before the upstream`, async () => {
      // 20,000 levels: JSON.stringify of the upstream body alone would overflow the stack (a 500) without the limit.
      for (const depth of [MAX_JSON_DEPTH, 20_000]) {
        stack.emulator.clearTranscript();
        const response = await rawRequest(stack.proxy.url, { method: 'POST', path: route.path, headers: { 'anthropic-version': '2023-06-01' }, body: withDeepMetadata(depth) });
        expect(response.status, response.text).toBe(400);
        expect(JSON.parse(response.text)).toMatchObject(route.dialect === 'openai' ? { error: { type: 'invalid_request_error' } } : { type: 'error', error: { type: 'invalid_request_error' } });
        expect(response.text).toContain(`deeper than ${MAX_JSON_DEPTH} levels`);
        expect(stack.emulator.counters.inference).toBe(0);
      }
    });

    it('accepts nesting a real request has (100 levels in a tool schema)', async () => {
      const schema = JSON.parse(`${'{"type":"object","properties":{"a":'.repeat(50)}{"type":"string"}${'}}'.repeat(50)}`) as Body;
      const tools =
        route.dialect === 'anthropic'
          ? [{ name: 'f', input_schema: schema }]
          : route.path.endsWith('responses')
            ? [{ type: 'function', name: 'f', parameters: schema }]
            : [{ type: 'function', function: { name: 'f', parameters: schema } }];
      const response = await rawRequest(stack.proxy.url, {
        method: 'POST',
        path: route.path,
        headers: { 'anthropic-version': '2023-06-01' },
        body: JSON.stringify({ ...route.base, tools }),
      });
      expect(response.status, response.text).toBe(200);
    });
  });
});
