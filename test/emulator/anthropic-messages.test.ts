import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { anthropicMessages, anthropicToolUseId, callIdFromAnthropic } from '../../src/emulator/dialects/anthropic-messages/index.js';
import { signReasoning } from '../../src/emulator/signing.js';
import { DatabricksApiError, type EmulatedEndpoint, type RenderContext, type Script } from '../../src/emulator/types.js';

function endpoint(name: string): EmulatedEndpoint {
  return { name, task: 'llm/v1/chat', family: 'claude', kind: 'foundation', onAiGateway: true };
}

const SONNET = 'databricks-claude-sonnet-4-5';
const OPUS_55 = 'databricks-claude-opus-5-5';
const context: RenderContext = { endpoint: endpoint(SONNET), quirks: new Set() };
const opus55: RenderContext = { endpoint: endpoint(OPUS_55), quirks: new Set() };

const THOUGHT = 'I should read the file before answering.';
const SIGNATURE = signReasoning('anthropic', THOUGHT);

function script(blocks: Script['blocks'], stop: Script['stop'], usage?: Partial<Script['usage']>): Script {
  return {
    id: 'abc123',
    created: 1_700_000_000,
    endpoint: SONNET,
    blocks,
    stop,
    usage: { inputTokens: 40, outputTokens: 25, reasoningTokens: 10, cachedInputTokens: 0, ...usage },
  };
}

const TOOL_SCRIPT = script(
  [
    { type: 'reasoning', text: THOUGHT, signature: SIGNATURE },
    { type: 'text', text: 'Let me look at that file for you.' },
    { type: 'tool_call', callId: 'call_0001', name: 'read_file', arguments: { path: 'src/a "quoted" \\ path.ts', lines: [1, 2] } },
    { type: 'tool_call', callId: 'call_0002', name: 'list_issues', arguments: {} },
  ],
  'tool_use',
);

const TEXT_SCRIPT = script([{ type: 'text', text: 'You said: hello there, how are you?' }], 'end_turn', { cachedInputTokens: 12 });

function client(response: () => Response): Anthropic {
  return new Anthropic({ apiKey: 'x', baseURL: 'http://emulator.test', maxRetries: 0, fetch: async () => response() });
}

function sse(frames: string[]): () => Response {
  return () => new Response(frames.join(''), { headers: { 'content-type': 'text/event-stream' } });
}

const REQUEST = { model: SONNET, max_tokens: 2048, messages: [{ role: 'user' as const, content: 'hi' }] };

/** Each SSE frame as {event, data}. */
function decode(frames: string[]): { event: string; data: Record<string, any> }[] {
  return frames.map((frame) => {
    const match = /^event: (.+)\ndata: (.+)\n\n$/.exec(frame);
    if (!match) throw new Error(`bad frame: ${JSON.stringify(frame)}`);
    return { event: match[1] as string, data: JSON.parse(match[2] as string) };
  });
}

function rejection(body: unknown, ctx: RenderContext = context): DatabricksApiError {
  try {
    anthropicMessages.parse(body, ctx);
  } catch (error) {
    if (error instanceof DatabricksApiError) return error;
    throw error;
  }
  throw new Error('the request was accepted');
}

describe('anthropic-messages respond', () => {
  it('is a Message the official SDK returns as is, with thinking, text and tool_use', async () => {
    const message = await client(() => Response.json(anthropicMessages.respond(TOOL_SCRIPT, context))).messages.create(REQUEST);
    expect(message.id).toBe('msg_abc123');
    expect(message.type).toBe('message');
    expect(message.role).toBe('assistant');
    expect(message.stop_reason).toBe('tool_use');
    expect(message.stop_sequence).toBeNull();
    expect(message.content.map((b) => b.type)).toEqual(['thinking', 'text', 'tool_use', 'tool_use']);
    const [thinking, text, read, list] = message.content;
    expect(thinking).toMatchObject({ thinking: THOUGHT, signature: SIGNATURE });
    expect(text).toMatchObject({ text: 'Let me look at that file for you.' });
    expect(read).toMatchObject({ name: 'read_file', input: { path: 'src/a "quoted" \\ path.ts', lines: [1, 2] } });
    expect(list).toMatchObject({ name: 'list_issues', input: {} });
    expect((read as Anthropic.ToolUseBlock).id).toMatch(/^toolu_[A-Za-z0-9_-]+$/);
    expect(message.usage.input_tokens).toBe(40);
    expect(message.usage.output_tokens).toBe(25);
  });

  it('reports cache reads apart from input tokens (Anthropic convention)', () => {
    const body = anthropicMessages.respond(TEXT_SCRIPT, context) as { usage: Record<string, number>; stop_reason: string };
    expect(body.usage).toEqual({ input_tokens: 28, output_tokens: 25, cache_creation_input_tokens: 0, cache_read_input_tokens: 12 });
    expect(body.stop_reason).toBe('end_turn');
  });

  it('maps max_tokens', () => {
    const body = anthropicMessages.respond(script([{ type: 'text', text: 'cut' }], 'max_tokens'), context) as { stop_reason: string };
    expect(body.stop_reason).toBe('max_tokens');
  });
});

describe('anthropic-messages stream', () => {
  it('is accepted by the official SDK and finalises to the non-streamed message', async () => {
    const frames = anthropicMessages.stream(TOOL_SCRIPT, context);
    const final = await client(sse(frames)).messages.stream(REQUEST).finalMessage();
    const whole = anthropicMessages.respond(TOOL_SCRIPT, context) as Anthropic.Message;
    expect(final.content).toEqual(whole.content);
    expect(final.stop_reason).toBe('tool_use');
    expect(final.usage.output_tokens).toBe(25);
    expect(final.usage.input_tokens).toBe(40);
    const read = final.content[2] as Anthropic.ToolUseBlock;
    expect(read.input).toEqual({ path: 'src/a "quoted" \\ path.ts', lines: [1, 2] });
    expect((final.content[0] as Anthropic.ThinkingBlock).signature).toBe(SIGNATURE);
  });

  it('gives finalText() the streamed text', async () => {
    const frames = anthropicMessages.stream(TEXT_SCRIPT, context);
    const stream = client(sse(frames)).messages.stream(REQUEST);
    expect(await stream.finalText()).toBe('You said: hello there, how are you?');
    const final = await stream.finalMessage();
    expect(final.stop_reason).toBe('end_turn');
    expect(final.usage.cache_read_input_tokens).toBe(12);
    expect(final.usage.input_tokens).toBe(28);
  });

  it('frames every event with an event line equal to data.type, in the documented order', () => {
    const events = decode(anthropicMessages.stream(TOOL_SCRIPT, context));
    for (const { event, data } of events) expect(event).toBe(data.type);
    expect(events[0]?.event).toBe('message_start');
    expect(events[0]?.data.message.usage).toMatchObject({ input_tokens: 40, output_tokens: 1 });
    expect(events.at(-1)?.event).toBe('message_stop');
    expect(events.at(-2)?.data).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { input_tokens: 40, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 25 },
    });
    expect(events.filter((e) => e.event === 'ping')).toHaveLength(1);

    // Blocks: contiguous indexes, start -> deltas -> stop, never interleaved.
    const blockEvents = events.filter((e) => e.event.startsWith('content_block_'));
    let open: number | undefined;
    let next = 0;
    for (const { event, data } of blockEvents) {
      if (event === 'content_block_start') {
        expect(open).toBeUndefined();
        expect(data.index).toBe(next);
        open = next++;
      } else {
        expect(data.index).toBe(open);
        if (event === 'content_block_stop') open = undefined;
      }
    }
    expect(next).toBe(4);
  });

  it('streams thinking as several thinking_deltas then one signature_delta right before the stop', () => {
    const events = decode(anthropicMessages.stream(TOOL_SCRIPT, context)).filter((e) => e.data.index === 0);
    expect(events[0]?.data.content_block).toEqual({ type: 'thinking', thinking: '', signature: '' });
    const deltas = events.filter((e) => e.event === 'content_block_delta').map((e) => e.data.delta);
    const thinking = deltas.filter((d) => d.type === 'thinking_delta');
    expect(thinking.length).toBeGreaterThan(1);
    expect(thinking.map((d) => d.thinking).join('')).toBe(THOUGHT);
    expect(deltas.at(-1)).toEqual({ type: 'signature_delta', signature: SIGNATURE });
    expect(events.at(-1)?.event).toBe('content_block_stop');
  });

  it('streams text as several word-sized text_deltas', () => {
    const events = decode(anthropicMessages.stream(TEXT_SCRIPT, context));
    const texts = events.filter((e) => e.data.delta?.type === 'text_delta').map((e) => e.data.delta.text as string);
    expect(texts.length).toBeGreaterThan(3);
    expect(texts.join('')).toBe('You said: hello there, how are you?');
  });

  it('streams tool input as input_json_delta fragments, and one empty partial_json for a call without arguments', () => {
    const events = decode(anthropicMessages.stream(TOOL_SCRIPT, context));
    const start = events.find((e) => e.event === 'content_block_start' && e.data.index === 2);
    expect(start?.data.content_block).toMatchObject({ type: 'tool_use', name: 'read_file', input: {} });
    const fragments = (index: number): string[] =>
      events.filter((e) => e.event === 'content_block_delta' && e.data.index === index).map((e) => e.data.delta.partial_json);
    expect(fragments(2).length).toBeGreaterThan(1);
    expect(JSON.parse(fragments(2).join(''))).toEqual({ path: 'src/a "quoted" \\ path.ts', lines: [1, 2] });
    expect(fragments(3)).toEqual(['']);
  });
});

describe('anthropic-messages tool-use ids', () => {
  it('mints toolu_ ids that map back to the script call id, 1:1', () => {
    const id = anthropicToolUseId('call_0001');
    expect(id).toMatch(/^toolu_[A-Za-z0-9_-]+$/);
    expect(anthropicToolUseId('call_0002')).not.toBe(id);
    expect(callIdFromAnthropic(id)).toBe('call_0001');
    // A client's own id passes through unchanged.
    expect(callIdFromAnthropic('toolu_01QE1WLsSVp5hy5Q3GmGTmjP')).toBe('toolu_01QE1WLsSVp5hy5Q3GmGTmjP');
  });

  it('reads back the ids it minted: a full tool round trip through the SDK', async () => {
    const message = await client(() => Response.json(anthropicMessages.respond(TOOL_SCRIPT, context))).messages.create(REQUEST);
    const uses = message.content.filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
    const conversation = anthropicMessages.parse(
      {
        ...REQUEST,
        thinking: { type: 'enabled', budget_tokens: 1024 },
        tools: [
          { name: 'read_file', input_schema: { type: 'object', properties: { path: { type: 'string' } } } },
          { name: 'list_issues', input_schema: { type: 'object' } },
        ],
        messages: [
          { role: 'user', content: 'read src/a.ts' },
          { role: 'assistant', content: message.content },
          {
            role: 'user',
            content: [
              ...uses.map((u) => ({ type: 'tool_result', tool_use_id: u.id, content: [{ type: 'text', text: `out of ${u.name}` }] })),
              { type: 'text', text: 'thanks' },
            ],
          },
        ],
      },
      context,
    );
    expect(conversation.toolResults).toEqual([
      { callId: 'call_0001', content: 'out of read_file' },
      { callId: 'call_0002', content: 'out of list_issues' },
    ]);
    expect(conversation.priorToolCalls).toEqual([
      { callId: 'call_0001', name: 'read_file' },
      { callId: 'call_0002', name: 'list_issues' },
    ]);
    expect(conversation.replayedReasoning).toEqual([{ text: THOUGHT, signature: SIGNATURE }]);
    expect(conversation.lastUserText).toBe('thanks');
    expect(conversation.reasoningRequested).toBe(true);
  });
});

describe('anthropic-messages parse', () => {
  it('fills the conversation', () => {
    const conversation = anthropicMessages.parse(
      {
        model: SONNET,
        max_tokens: 500,
        stream: true,
        system: [{ type: 'text', text: 'You are terse.' }],
        tools: [{ name: 'Read', description: 'Read a file', input_schema: { type: 'object', properties: { file_path: { type: 'string' } } } }],
        tool_choice: { type: 'any', disable_parallel_tool_use: true },
        metadata: { user_id: 'u1' },
        cache_control: { type: 'ephemeral' },
        service_tier: 'auto',
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'first question' }] },
          { role: 'assistant', content: 'first answer' },
          { role: 'user', content: [{ type: 'text', text: 'second' }, { type: 'text', text: 'question' }] },
        ],
      },
      context,
    );
    expect(conversation).toMatchObject({
      endpoint: SONNET,
      stream: true,
      lastUserText: 'second\nquestion',
      toolChoice: 'required',
      parallelToolCalls: false,
      toolResults: [],
      priorToolCalls: [],
      reasoningRequested: false,
      replayedReasoning: [],
      maxOutputTokens: 500,
    });
    expect(conversation.tools).toEqual([
      { name: 'Read', description: 'Read a file', parameters: { type: 'object', properties: { file_path: { type: 'string' } } } },
    ]);
    for (const piece of ['You are terse.', 'first question', 'first answer', 'second', 'Read a file']) {
      expect(conversation.allText).toContain(piece);
    }
  });

  it.each([
    [{ type: 'auto' }, 'auto'],
    [{ type: 'none' }, 'none'],
    [{ type: 'tool', name: 'Read' }, { name: 'Read' }],
  ])('maps tool_choice %j', (choice, expected) => {
    const conversation = anthropicMessages.parse(
      { ...REQUEST, tools: [{ name: 'Read', input_schema: { type: 'object' } }], tool_choice: choice },
      context,
    );
    expect(conversation.toolChoice).toEqual(expected);
    expect(conversation.parallelToolCalls).toBe(true);
    expect(conversation.stream).toBe(false);
  });

  it('accepts adaptive thinking and output_config on opus-5-5', () => {
    const conversation = anthropicMessages.parse(
      { ...REQUEST, model: OPUS_55, thinking: { type: 'adaptive' }, output_config: { effort: 'high' } },
      opus55,
    );
    expect(conversation.reasoningRequested).toBe(true);
  });

  it('accepts thinking disabled and a final assistant tool_use without thinking when thinking is off', () => {
    const body = {
      ...REQUEST,
      thinking: { type: 'disabled' },
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'Read', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'ok' }] },
      ],
    };
    expect(anthropicMessages.parse(body, context).reasoningRequested).toBe(false);
  });
});

describe('anthropic-messages validation', () => {
  const toolLoop = (assistant: unknown[]) => ({
    ...REQUEST,
    thinking: { type: 'enabled', budget_tokens: 1024 },
    messages: [
      { role: 'user', content: 'go' },
      { role: 'assistant', content: assistant },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'ok' }] },
    ],
  });

  it.each<[string, unknown, RegExp]>([
    ['a body that is not an object', [REQUEST], /JSON object/],
    ['no model', { messages: REQUEST.messages, max_tokens: 10 }, /^model: Field required$/],
    ['no messages', { model: SONNET, max_tokens: 10 }, /^messages: Field required$/],
    ['empty messages', { ...REQUEST, messages: [] }, /^messages: List should have at least 1 item/],
    ['no max_tokens', { model: SONNET, messages: REQUEST.messages }, /^max_tokens: Field required$/],
    ['max_tokens 0', { ...REQUEST, max_tokens: 0 }, /^max_tokens:/],
    ['max_tokens 1.5', { ...REQUEST, max_tokens: 1.5 }, /^max_tokens:/],
    ['an unknown top-level field', { ...REQUEST, container: 'c1' }, /^container: Extra inputs are not permitted$/],
    ['inference_geo', { ...REQUEST, inference_geo: 'us' }, /^inference_geo: Extra inputs are not permitted$/],
    ['context_management', { ...REQUEST, context_management: { edits: [] } }, /^context_management: Extra inputs are not permitted$/],
    ['output_config off opus-5-5', { ...REQUEST, output_config: { effort: 'high' } }, /^output_config: Extra inputs are not permitted$/],
    ['a tool without name', { ...REQUEST, tools: [{ input_schema: { type: 'object' } }] }, /^tools\.0\.name: Field required$/],
    ['a tool without input_schema', { ...REQUEST, tools: [{ name: 'a' }] }, /^tools\.0\.input_schema: Field required$/],
    [
      'an input_schema without type object',
      { ...REQUEST, tools: [{ name: 'a', input_schema: { properties: { x: { type: 'string' } } } }] },
      /^tools\.0\.input_schema\.type:/,
    ],
    [
      'a server tool',
      { ...REQUEST, tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 5 }] },
      /^tools\.0: Input tag 'web_search_20250305' found using 'type' does not match any of the expected tags$/,
    ],
    [
      'a code execution tool',
      { ...REQUEST, tools: [{ type: 'code_execution_20250825', name: 'code_execution' }] },
      /Input tag 'code_execution_20250825'/,
    ],
    [
      'eager_input_streaming on a tool',
      { ...REQUEST, tools: [{ name: 'a', input_schema: { type: 'object' }, eager_input_streaming: true }] },
      /^tools\.0\.eager_input_streaming: Extra inputs are not permitted$/,
    ],
    [
      'a thinking budget under 1024',
      { ...REQUEST, thinking: { type: 'enabled', budget_tokens: 1023 } },
      /greater than or equal to 1024/,
    ],
    [
      'a thinking budget equal to max_tokens',
      { ...REQUEST, max_tokens: 2048, thinking: { type: 'enabled', budget_tokens: 2048 } },
      /^`max_tokens` must be greater than `thinking\.budget_tokens`$/,
    ],
    ['adaptive thinking off opus-5-5', { ...REQUEST, thinking: { type: 'adaptive' } }, /Input tag 'adaptive'/],
    ['an unknown thinking type', { ...REQUEST, thinking: { type: 'auto' } }, /Input tag 'auto'/],
    ['a system role message', { ...REQUEST, messages: [{ role: 'system', content: 'x' }] }, /^messages\.0\.role:/],
    ['an extra message field', { ...REQUEST, messages: [{ role: 'user', content: 'x', name: 'bob' }] }, /^messages\.0\.name: Extra inputs/],
    [
      'an empty text block',
      { ...REQUEST, messages: [{ role: 'user', content: [{ type: 'text', text: '' }] }] },
      /^messages: text content blocks must be non-empty$/,
    ],
    [
      'a whitespace-only text block',
      { ...REQUEST, messages: [{ role: 'user', content: [{ type: 'text', text: ' \n ' }] }] },
      /text content blocks must be non-empty/,
    ],
    ['an empty string content', { ...REQUEST, messages: [{ role: 'user', content: '' }] }, /text content blocks must be non-empty/],
    [
      'an empty text block inside a tool_result',
      {
        ...REQUEST,
        messages: [
          { role: 'user', content: 'go' },
          { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'Read', input: {} }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: '' }] }] },
        ],
      },
      /text content blocks must be non-empty/,
    ],
    [
      'an unknown content block',
      { ...REQUEST, messages: [{ role: 'user', content: [{ type: 'server_tool_use', id: 's', name: 'web_search', input: {} }] }] },
      /^messages\.0\.content\.0: Input tag 'server_tool_use'/,
    ],
    [
      'a tool_use without tool_result',
      {
        ...REQUEST,
        messages: [
          { role: 'user', content: 'go' },
          {
            role: 'assistant',
            content: [
              { type: 'tool_use', id: 'toolu_1', name: 'Read', input: {} },
              { type: 'tool_use', id: 'toolu_2', name: 'Read', input: {} },
            ],
          },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'ok' }] },
        ],
      },
      /^messages\.2: tool_use ids were found without tool_result blocks immediately after: toolu_2$/,
    ],
    [
      'a tool_result that comes one message too late',
      {
        ...REQUEST,
        messages: [
          { role: 'user', content: 'go' },
          { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'Read', input: {} }] },
          { role: 'user', content: 'wait' },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'ok' }] },
        ],
      },
      /tool_use ids were found without tool_result blocks immediately after: toolu_1/,
    ],
    [
      'a thinking tool loop whose final assistant message does not start with thinking',
      toolLoop([
        { type: 'text', text: 'Reading.' },
        { type: 'tool_use', id: 'toolu_1', name: 'Read', input: {} },
      ]),
      /^messages\.1\.content\.0\.type: Expected `thinking` or `redacted_thinking`, but found `text`\. When `thinking` is enabled, a final `assistant` message must start with a thinking block/,
    ],
    [
      'a thinking tool loop whose final assistant message is only a tool_use',
      toolLoop([{ type: 'tool_use', id: 'toolu_1', name: 'Read', input: {} }]),
      /but found `tool_use`/,
    ],
  ])('refuses %s with 400', (_name, body, message) => {
    const error = rejection(body);
    expect(error.status).toBe(400);
    expect(error.errorCode).toBe('BAD_REQUEST');
    expect(error.message).toMatch(message);
  });

  it('refuses enabled thinking on opus-5-5 (documented: adaptive only)', () => {
    const error = rejection({ ...REQUEST, model: OPUS_55, thinking: { type: 'enabled', budget_tokens: 1024 } }, opus55);
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/adaptive/);
  });

  it('refuses an unknown output_config.effort on opus-5-5', () => {
    expect(rejection({ ...REQUEST, model: OPUS_55, output_config: { effort: 'extreme' } }, opus55).message).toMatch(
      /^output_config\.effort:/,
    );
  });

  it('accepts the same tool loop when it starts with thinking or redacted_thinking', () => {
    const withThinking = toolLoop([
      { type: 'thinking', thinking: THOUGHT, signature: SIGNATURE },
      { type: 'tool_use', id: 'toolu_1', name: 'Read', input: {} },
    ]);
    expect(anthropicMessages.parse(withThinking, context).replayedReasoning).toEqual([{ text: THOUGHT, signature: SIGNATURE }]);
    const redacted = toolLoop([
      { type: 'redacted_thinking', data: 'opaque' },
      { type: 'tool_use', id: 'toolu_1', name: 'Read', input: {} },
    ]);
    expect(anthropicMessages.parse(redacted, context).replayedReasoning).toEqual([]);
  });
});

describe('anthropic-messages with the emulator model', () => {
  it('runs a thinking tool loop: the streamed thinking and tool ids, replayed, are accepted on the next turn', async () => {
    const { runModel } = await import('../../src/emulator/model.js');
    const tools = [{ name: 'Read', input_schema: { type: 'object', properties: { file_path: { type: 'string' } }, required: ['file_path'] } }];
    const first = {
      ...REQUEST,
      stream: true,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      tools,
      messages: [{ role: 'user', content: 'read /tmp/a.txt' }],
    };
    const turn1 = runModel(anthropicMessages.parse(first, context), context.endpoint);
    const message = await client(sse(anthropicMessages.stream(turn1, context)))
      .messages.stream(first as Anthropic.MessageCreateParamsStreaming)
      .finalMessage();
    expect(message.stop_reason).toBe('tool_use');
    const use = message.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
    expect(use?.input).toEqual({ file_path: '/tmp/a.txt' });

    const second = {
      ...first,
      messages: [
        ...first.messages,
        { role: 'assistant', content: message.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: use?.id, content: 'TOKEN-42' }] },
      ],
    };
    const turn2 = runModel(anthropicMessages.parse(second, context), context.endpoint);
    const answer = anthropicMessages.respond(turn2, context) as Anthropic.Message;
    expect(answer.stop_reason).toBe('end_turn');
    expect(JSON.stringify(answer.content)).toContain('TOKEN-42');
  });
});
