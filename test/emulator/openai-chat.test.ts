import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import type { Family } from '../../src/databricks/family.js';
import { openaiChat } from '../../src/emulator/dialects/openai-chat/index.js';
import { signReasoning } from '../../src/emulator/signing.js';
import { DatabricksApiError, type RenderContext, type Script } from '../../src/emulator/types.js';

function contextOf(name: string, family: Family): RenderContext {
  return { endpoint: { name, task: 'llm/v1/chat', family, kind: 'foundation', onAiGateway: true }, quirks: new Set() };
}

const CLAUDE = contextOf('databricks-claude-sonnet-4-5', 'claude');
const OPUS_55 = contextOf('databricks-claude-opus-5-5', 'claude');
const GPT = contextOf('databricks-gpt-5-2', 'gpt');
const GEMINI = contextOf('databricks-gemini-2-5-pro', 'gemini');
const LLAMA = contextOf('databricks-meta-llama-3-3-70b-instruct', 'llama');
const CODEX = contextOf('databricks-gpt-5-1-codex-max', 'codex');

const THOUGHT = 'The user wants the file; I will read it first.';

function script(endpoint: string, blocks: Script['blocks'], stop: Script['stop'], usage?: Partial<Script['usage']>): Script {
  return {
    id: 'xyz789',
    created: 1_700_000_000,
    endpoint,
    blocks,
    stop,
    usage: { inputTokens: 50, outputTokens: 30, reasoningTokens: 0, cachedInputTokens: 0, ...usage },
  };
}

const CALLS: Script['blocks'] = [
  { type: 'tool_call', callId: 'call_aaa', name: 'read_file', arguments: { path: 'src/"odd" \\ name.ts', limit: 20 } },
  { type: 'tool_call', callId: 'call_bbb', name: 'list_dir', arguments: {} },
];

function claudeReasoningScript(): Script {
  return script(
    CLAUDE.endpoint.name,
    [
      { type: 'reasoning', text: THOUGHT, signature: signReasoning('anthropic', THOUGHT) },
      { type: 'text', text: 'Reading it now.' },
      ...CALLS,
    ],
    'tool_use',
    { reasoningTokens: 12 },
  );
}

function client(response: () => Response): OpenAI {
  return new OpenAI({ apiKey: 'x', baseURL: 'http://emulator.test', maxRetries: 0, fetch: async () => response() });
}

function sse(frames: string[]): () => Response {
  return () => new Response(frames.join(''), { headers: { 'content-type': 'text/event-stream' } });
}

const REQUEST = { model: 'm', messages: [{ role: 'user' as const, content: 'hi' }] };

/** The JSON chunks of a stream (the [DONE] frame excluded). */
function chunks(frames: string[]): Record<string, any>[] {
  return frames.filter((f) => f !== 'data: [DONE]\n\n').map((frame) => {
    const match = /^data: (.+)\n\n$/.exec(frame);
    if (!match) throw new Error(`bad frame: ${JSON.stringify(frame)}`);
    return JSON.parse(match[1] as string);
  });
}

function rejection(body: unknown, ctx: RenderContext = LLAMA): DatabricksApiError {
  try {
    openaiChat.parse(body, ctx);
  } catch (error) {
    if (error instanceof DatabricksApiError) return error;
    throw error;
  }
  throw new Error('the request was accepted');
}

/** The documented "Extra inputs" body wraps its message in a JSON string. */
function innerMessage(error: DatabricksApiError): string {
  return (JSON.parse(error.message) as { message: string }).message;
}

describe('openai-chat respond', () => {
  it('is a chat.completion the official SDK returns, with text, tool calls and usage', async () => {
    const body = openaiChat.respond(script(GPT.endpoint.name, [{ type: 'text', text: 'On it.' }, ...CALLS], 'tool_use'), GPT);
    const completion = await client(() => Response.json(body)).chat.completions.create(REQUEST);
    expect(completion.id).toBe('chatcmpl-xyz789');
    expect(completion.object).toBe('chat.completion');
    expect(completion.created).toBe(1_700_000_000);
    expect(completion.model).toBe(GPT.endpoint.name);
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.role).toBe('assistant');
    expect(choice?.message.content).toBe('On it.');
    const calls = choice?.message.tool_calls ?? [];
    expect(calls.map((c) => c.type === 'function' && [c.id, c.function.name, JSON.parse(c.function.arguments)])).toEqual([
      ['call_aaa', 'read_file', { path: 'src/"odd" \\ name.ts', limit: 20 }],
      ['call_bbb', 'list_dir', {}],
    ]);
    expect(completion.usage).toEqual({ prompt_tokens: 50, completion_tokens: 30, total_tokens: 80 });
  });

  it('uses null content for a turn that is only tool calls, and maps stop and length', () => {
    const onlyCalls = openaiChat.respond(script('m', CALLS, 'tool_use'), LLAMA) as any;
    expect(onlyCalls.choices[0].message.content).toBeNull();
    const stop = openaiChat.respond(script('m', [{ type: 'text', text: 'done' }], 'end_turn'), LLAMA) as any;
    expect(stop.choices[0]).toEqual({ index: 0, message: { role: 'assistant', content: 'done' }, finish_reason: 'stop' });
    const length = openaiChat.respond(script('m', [{ type: 'text', text: 'cu' }], 'max_tokens'), LLAMA) as any;
    expect(length.choices[0].finish_reason).toBe('length');
  });

  it("renders Claude reasoning as Databricks' list content, with the signature", () => {
    const body = openaiChat.respond(claudeReasoningScript(), CLAUDE) as any;
    expect(body.choices[0].message.content).toEqual([
      { type: 'reasoning', summary: [{ type: 'summary_text', text: THOUGHT, signature: signReasoning('anthropic', THOUGHT) }] },
      { type: 'text', text: 'Reading it now.' },
    ]);
    expect(body.choices[0].message.tool_calls).toHaveLength(2);
    expect(body.usage.completion_tokens_details).toEqual({ reasoning_tokens: 12 });
  });

  it('hides GPT and Gemini reasoning from content but counts its tokens', () => {
    for (const ctx of [GPT, GEMINI]) {
      const thought = signReasoning('openai', THOUGHT);
      const body = openaiChat.respond(
        script(ctx.endpoint.name, [{ type: 'reasoning', text: THOUGHT, signature: thought }, { type: 'text', text: 'Hi.' }], 'end_turn', {
          reasoningTokens: 9,
        }),
        ctx,
      ) as any;
      expect(body.choices[0].message.content).toBe('Hi.');
      expect(JSON.stringify(body)).not.toContain(THOUGHT);
      expect(body.usage.completion_tokens_details).toEqual({ reasoning_tokens: 9 });
    }
  });

  it('reports cached input tokens inside prompt_tokens', () => {
    const body = openaiChat.respond(script('m', [{ type: 'text', text: 'x' }], 'end_turn', { cachedInputTokens: 20 }), LLAMA) as any;
    expect(body.usage).toEqual({ prompt_tokens: 50, completion_tokens: 30, total_tokens: 80, prompt_tokens_details: { cached_tokens: 20 } });
  });
});

describe('openai-chat stream', () => {
  it('is accepted by the official SDK and finalises to the non-streamed answer', async () => {
    const s = script(GPT.endpoint.name, [{ type: 'text', text: 'I will read two things now.' }, ...CALLS], 'tool_use');
    const final = await client(sse(openaiChat.stream(s, GPT)))
      .chat.completions.stream({ ...REQUEST, stream_options: { include_usage: true } })
      .finalChatCompletion();
    const choice = final.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBe('I will read two things now.');
    expect(choice?.message.tool_calls?.map((c) => c.type === 'function' && [c.id, c.function.name, JSON.parse(c.function.arguments)])).toEqual([
      ['call_aaa', 'read_file', { path: 'src/"odd" \\ name.ts', limit: 20 }],
      ['call_bbb', 'list_dir', {}],
    ]);
    expect(final.usage?.prompt_tokens).toBe(50);
    expect(final.usage?.completion_tokens).toBe(30);
    expect(final.usage?.total_tokens).toBe(80);
  });

  it('gives finalContent() the streamed text', async () => {
    const s = script('m', [{ type: 'text', text: 'You said: hello there friend' }], 'end_turn');
    const stream = client(sse(openaiChat.stream(s, LLAMA))).chat.completions.stream(REQUEST);
    expect(await stream.finalContent()).toBe('You said: hello there friend');
    expect((await stream.finalChatCompletion()).choices[0]?.finish_reason).toBe('stop');
  });

  it('frames chunks the documented way: data lines only, role first, one finish chunk carrying usage, [DONE] last', () => {
    const s = script('m', [{ type: 'text', text: 'one two three four' }, ...CALLS], 'tool_use');
    const frames = openaiChat.stream(s, LLAMA);
    expect(frames.every((f) => f.startsWith('data: ') && f.endsWith('\n\n') && !f.includes('event:'))).toBe(true);
    expect(frames.at(-1)).toBe('data: [DONE]\n\n');
    const all = chunks(frames);
    for (const c of all) {
      expect(c).toMatchObject({ id: 'chatcmpl-xyz789', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'm' });
      expect(c.choices).toHaveLength(1);
      expect(c.choices[0].index).toBe(0);
    }
    expect(all[0]?.choices[0].delta).toEqual({ role: 'assistant', content: '' });
    const finishing = all.filter((c) => c.choices[0].finish_reason !== null);
    expect(finishing).toHaveLength(1);
    expect(finishing[0]).toBe(all.at(-1));
    expect(finishing[0]?.choices[0].delta).toEqual({});
    expect(finishing[0]?.usage).toEqual({ prompt_tokens: 50, completion_tokens: 30, total_tokens: 80 });
    expect(all.slice(0, -1).every((c) => c.usage === undefined)).toBe(true);
    const texts = all.map((c) => c.choices[0].delta.content).filter((t) => typeof t === 'string' && t !== '');
    expect(texts.length).toBeGreaterThan(2);
    expect(texts.join('')).toBe('one two three four');
  });

  it('introduces each tool call once (index, id, type, name, empty arguments), then argument fragments', () => {
    const all = chunks(openaiChat.stream(script('m', CALLS, 'tool_use'), LLAMA));
    const deltas = all.flatMap((c) => (c.choices[0].delta.tool_calls ?? []) as Record<string, any>[]);
    const firsts = deltas.filter((d) => d.id !== undefined);
    expect(firsts).toEqual([
      { index: 0, id: 'call_aaa', type: 'function', function: { name: 'read_file', arguments: '' } },
      { index: 1, id: 'call_bbb', type: 'function', function: { name: 'list_dir', arguments: '' } },
    ]);
    const args = (index: number): string[] => deltas.filter((d) => d.index === index && d.id === undefined).map((d) => d.function.arguments);
    expect(args(0).length).toBeGreaterThan(1);
    expect(JSON.parse(args(0).join(''))).toEqual({ path: 'src/"odd" \\ name.ts', limit: 20 });
    expect(args(1).join('')).toBe('{}');
    for (const d of deltas.filter((x) => x.id === undefined)) expect(Object.keys(d).sort()).toEqual(['function', 'index']);
  });

  it('sends no OpenAI-style choices:[] usage chunk even with include_usage (usage rides the final chunk)', () => {
    const all = chunks(openaiChat.stream(script('m', [{ type: 'text', text: 'a' }], 'end_turn'), LLAMA));
    expect(all.some((c) => c.choices.length === 0)).toBe(false);
    expect(all.at(-1)?.usage?.total_tokens).toBe(80);
  });

  it('streams Claude reasoning as delta.content arrays of reasoning items, signature last', async () => {
    const s = claudeReasoningScript();
    const frames = openaiChat.stream(s, CLAUDE);
    const all = chunks(frames);
    const arrays = all.map((c) => c.choices[0].delta.content).filter((content) => Array.isArray(content)) as any[][];
    expect(arrays.length).toBeGreaterThan(2);
    const summaries = arrays.flatMap((items) => items.flatMap((item) => (item.type === 'reasoning' ? item.summary : [])));
    expect(summaries.every((x: any) => x.type === 'summary_text')).toBe(true);
    expect(summaries.map((x: any) => x.text).join('')).toBe(THOUGHT);
    expect(summaries.at(-1)?.signature).toBe(signReasoning('anthropic', THOUGHT));
    // The reasoning comes before the text.
    const firstText = all.findIndex((c) => typeof c.choices[0].delta.content === 'string' && c.choices[0].delta.content !== '');
    const lastArray = all.findLastIndex((c) => Array.isArray(c.choices[0].delta.content));
    expect(lastArray).toBeLessThan(firstText);
    // The SDK accepts the stream (it has no notion of list content, but must not throw) and keeps the calls.
    const final = await client(sse(frames)).chat.completions.stream(REQUEST).finalChatCompletion();
    expect(final.choices[0]?.message.tool_calls?.map((c) => c.type === 'function' && c.function.name)).toEqual(['read_file', 'list_dir']);
    expect(final.usage?.completion_tokens_details?.reasoning_tokens).toBe(12);
  });

  it('does not stream GPT reasoning', () => {
    const s = script(GPT.endpoint.name, [{ type: 'reasoning', text: THOUGHT, signature: 'sig' }, { type: 'text', text: 'ok' }], 'end_turn');
    const frames = openaiChat.stream(s, GPT);
    expect(frames.join('')).not.toContain('The user wants');
    expect(chunks(frames).some((c) => Array.isArray(c.choices[0].delta.content))).toBe(false);
  });
});

describe('openai-chat parse', () => {
  it('fills the conversation', () => {
    const conversation = openaiChat.parse(
      {
        model: LLAMA.endpoint.name,
        max_tokens: 300,
        stream: true,
        stream_options: { include_usage: true },
        parallel_tool_calls: false,
        tool_choice: 'required',
        tools: [{ type: 'function', function: { name: 'read_file', description: 'Read a file', parameters: { type: 'object', properties: {} } } }],
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: [{ type: 'text', text: 'read a.ts' }] },
          { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.ts"}' } }] },
          { role: 'tool', tool_call_id: 'call_1', content: 'file body' },
        ],
      },
      LLAMA,
    );
    expect(conversation).toMatchObject({
      endpoint: LLAMA.endpoint.name,
      stream: true,
      lastUserText: 'read a.ts',
      toolChoice: 'required',
      parallelToolCalls: false,
      toolResults: [{ callId: 'call_1', content: 'file body' }],
      priorToolCalls: [{ callId: 'call_1', name: 'read_file' }],
      reasoningRequested: false,
      replayedReasoning: [],
      maxOutputTokens: 300,
    });
    expect(conversation.tools).toEqual([{ name: 'read_file', description: 'Read a file', parameters: { type: 'object', properties: {} } }]);
    for (const piece of ['Be brief.', 'read a.ts', 'file body', 'Read a file']) expect(conversation.allText).toContain(piece);
  });

  it('takes tool results only after the last assistant message', () => {
    const call = (id: string) => ({ role: 'assistant', content: 'x', tool_calls: [{ id, type: 'function', function: { name: 'f', arguments: '{}' } }] });
    const conversation = openaiChat.parse(
      {
        ...REQUEST,
        messages: [
          { role: 'user', content: 'go' },
          call('call_old'),
          { role: 'tool', tool_call_id: 'call_old', content: 'old' },
          call('call_new'),
          { role: 'tool', tool_call_id: 'call_new', content: 'new' },
        ],
      },
      LLAMA,
    );
    expect(conversation.toolResults).toEqual([{ callId: 'call_new', content: 'new' }]);
    expect(conversation.parallelToolCalls).toBe(true);
    expect(conversation.toolChoice).toBe('auto');
    expect(conversation.lastUserText).toBe('go');
  });

  it("collects replayed Claude reasoning from Databricks' list content", () => {
    const signature = signReasoning('anthropic', THOUGHT);
    const conversation = openaiChat.parse(
      {
        ...REQUEST,
        thinking: { type: 'enabled', budget_tokens: 1024 },
        max_tokens: 4096,
        messages: [
          { role: 'user', content: 'go' },
          {
            role: 'assistant',
            content: [
              { type: 'reasoning', summary: [{ type: 'summary_text', text: THOUGHT, signature }] },
              { type: 'reasoning', summary: [{ type: 'summary_encrypted_text', data: 'opaque' }] },
              { type: 'text', text: 'Reading.' },
            ],
            tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }],
          },
          { role: 'tool', tool_call_id: 'call_1', content: 'ok' },
        ],
      },
      CLAUDE,
    );
    expect(conversation.replayedReasoning).toEqual([{ text: THOUGHT, signature }]);
    expect(conversation.reasoningRequested).toBe(true);
  });

  it('reads back what respond() produced for Claude (round trip of the list content)', () => {
    const body = openaiChat.respond(claudeReasoningScript(), CLAUDE) as any;
    const message = body.choices[0].message;
    const conversation = openaiChat.parse(
      {
        ...REQUEST,
        messages: [
          { role: 'user', content: 'go' },
          message,
          ...message.tool_calls.map((c: any) => ({ role: 'tool', tool_call_id: c.id, content: `out ${c.function.name}` })),
        ],
      },
      CLAUDE,
    );
    expect(conversation.replayedReasoning).toEqual([{ text: THOUGHT, signature: signReasoning('anthropic', THOUGHT) }]);
    expect(conversation.toolResults.map((r) => r.callId)).toEqual(['call_aaa', 'call_bbb']);
  });

  it.each<[unknown, boolean]>([
    ['low', true],
    ['none', false],
  ])('reasoning_effort %j requests reasoning: %j', (effort, requested) => {
    expect(openaiChat.parse({ ...REQUEST, reasoning_effort: effort }, GPT).reasoningRequested).toBe(requested);
  });

  it('maps a named tool_choice and accepts strict on GPT', () => {
    const conversation = openaiChat.parse(
      {
        ...REQUEST,
        tools: [{ type: 'function', function: { name: 'f', strict: true, parameters: { type: 'object' } } }],
        tool_choice: { type: 'function', function: { name: 'f' } },
      },
      GPT,
    );
    expect(conversation.toolChoice).toEqual({ name: 'f' });
  });

  it('accepts adaptive thinking and output_config on opus-5-5, stream_options off Gemini, text response_format when streaming', () => {
    expect(
      openaiChat.parse({ ...REQUEST, thinking: { type: 'adaptive' }, output_config: { effort: 'max' } }, OPUS_55).reasoningRequested,
    ).toBe(true);
    expect(openaiChat.parse({ ...REQUEST, stream: true, stream_options: { include_usage: true } }, GPT).stream).toBe(true);
    expect(openaiChat.parse({ ...REQUEST, stream: true, response_format: { type: 'text' } }, GPT).stream).toBe(true);
    expect(openaiChat.parse({ ...REQUEST, response_format: { type: 'json_object' } }, GPT).stream).toBe(false);
  });
});

describe('openai-chat validation', () => {
  const tool = { type: 'function', function: { name: 'f', parameters: { type: 'object' } } };

  it.each<[string, unknown]>([
    ['store', true],
    ['service_tier', 'auto'],
    ['max_completion_tokens', 100],
    ['prompt_cache_key', 'k'],
    ['strict', true],
  ])('refuses top-level %s with the documented Extra inputs body', (field, value) => {
    const error = rejection({ ...REQUEST, [field]: value });
    expect(error.status).toBe(400);
    expect(error.errorCode).toBe('BAD_REQUEST');
    expect(innerMessage(error)).toBe(`${field}: Extra inputs are not permitted`);
  });

  it.each<[string, Record<string, unknown>]>([
    ['thinking_blocks', { thinking_blocks: [{ type: 'thinking', thinking: 'x', signature: 's' }] }],
    ['reasoning_content', { reasoning_content: 'x' }],
  ])('refuses assistant %s as messages.<i>.<field>, message wrapped in a JSON string', (field, extra) => {
    const error = rejection({
      ...REQUEST,
      messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b', ...extra }, { role: 'user', content: 'c' }],
    });
    expect(error.errorCode).toBe('BAD_REQUEST');
    expect(error.message).toBe(JSON.stringify({ message: `messages.1.${field}: Extra inputs are not permitted` }));
  });

  it.each<[string, unknown, RegExp]>([
    ['a body that is not an object', 'hello', /JSON object/],
    ['no model', { messages: REQUEST.messages }, /^model: Field required$/],
    ['no messages', { model: 'm' }, /^messages: Field required$/],
    ['empty messages', { model: 'm', messages: [] }, /^messages: List should have at least 1 item/],
    ['max_tokens 0', { ...REQUEST, max_tokens: 0 }, /^max_tokens:/],
    ['an unknown role', { ...REQUEST, messages: [{ role: 'function', content: 'x', name: 'f' }] }, /^messages\.0\.role:/],
    [
      'parameters without type object',
      { ...REQUEST, tools: [{ type: 'function', function: { name: 'f', parameters: { properties: {} } } }] },
      /^tools\.0\.function\.parameters\.type:/,
    ],
    ['a function without name', { ...REQUEST, tools: [{ type: 'function', function: { parameters: { type: 'object' } } }] }, /^tools\.0\.function\.name: Field required$/],
    ['a bad tool_choice', { ...REQUEST, tools: [tool], tool_choice: 'any' }, /^tool_choice:/],
    ['a tool message without tool_call_id', { ...REQUEST, messages: [{ role: 'tool', content: 'x' }] }, /^messages\.0\.tool_call_id: Field required$/],
    ['an unknown user part', { ...REQUEST, messages: [{ role: 'user', content: [{ type: 'video', url: 'x' }] }] }, /Input tag 'video'/],
    ['a thinking budget under 1024', { ...REQUEST, thinking: { type: 'enabled', budget_tokens: 512 } }, /greater than or equal to 1024/],
    [
      'a thinking budget not under max_tokens',
      { ...REQUEST, max_tokens: 2000, thinking: { type: 'enabled', budget_tokens: 2000 } },
      /^`max_tokens` must be greater than `thinking\.budget_tokens`$/,
    ],
    ['adaptive thinking off opus-5-5', { ...REQUEST, thinking: { type: 'adaptive' } }, /Input tag 'adaptive'/],
    ['output_config off opus-5-5', { ...REQUEST, output_config: { effort: 'high' } }, /output_config: Extra inputs are not permitted/],
  ])('refuses %s with 400', (_name, body, message) => {
    const error = rejection(body);
    expect(error.status).toBe(400);
    expect(error.message).toMatch(message);
  });

  it('refuses a non-function tool with the documented INVALID_PARAMETER_VALUE body', () => {
    for (const bad of [{ type: 'web_search' }, { type: 'function' }, { type: 'custom', custom: { name: 'x' } }]) {
      const error = rejection({ ...REQUEST, tools: [bad] });
      expect(error.status).toBe(400);
      expect(error.errorCode).toBe('INVALID_PARAMETER_VALUE');
      expect(error.message).toBe("INVALID_PARAMETER_VALUE: Missing 'function' in the tool specification.");
    }
  });

  it('refuses every request to a Codex endpoint: Responses only', () => {
    const error = rejection(REQUEST, CODEX);
    expect(error.status).toBe(400);
    expect(error.message).toBe(
      'Model databricks-gpt-5-1-codex-max only supports the Responses API. Please use /serving-endpoints/responses instead.',
    );
  });

  it('refuses GPT with tools and reasoning_effort, but not either alone', () => {
    const error = rejection({ ...REQUEST, tools: [tool], reasoning_effort: 'high' }, GPT);
    expect(error.message).toBe(
      'Function tools with reasoning_effort are not supported for databricks-gpt-5-2 in /v1/chat/completions. Please use /v1/responses',
    );
    expect(() => openaiChat.parse({ ...REQUEST, tools: [tool] }, GPT)).not.toThrow();
    expect(() => openaiChat.parse({ ...REQUEST, tools: [tool], reasoning_effort: 'high' }, LLAMA)).not.toThrow();
  });

  it('refuses stream_options on Gemini only', () => {
    const body = { ...REQUEST, stream: true, stream_options: { include_usage: true } };
    const error = rejection(body, GEMINI);
    expect(error.status).toBe(400);
    expect(error.message).toContain('stream_options');
    expect(() => openaiChat.parse(body, CLAUDE)).not.toThrow();
  });

  it('refuses function.strict off GPT', () => {
    const body = { ...REQUEST, tools: [{ type: 'function', function: { name: 'f', strict: true, parameters: { type: 'object' } } }] };
    for (const ctx of [CLAUDE, GEMINI, LLAMA]) {
      expect(innerMessage(rejection(body, ctx))).toBe('tools.0.function.strict: Extra inputs are not permitted');
    }
    expect(() => openaiChat.parse(body, GPT)).not.toThrow();
  });

  it('refuses structured output with streaming', () => {
    const error = rejection({ ...REQUEST, stream: true, response_format: { type: 'json_object' } });
    expect(error.message).toBe('Structured output is not currently supported with streaming');
    expect(rejection({ ...REQUEST, stream: true, response_format: { type: 'json_schema', json_schema: { name: 'x' } } }).status).toBe(400);
  });

  it('refuses empty assistant text with tool_calls on Claude only', () => {
    const call = [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }];
    for (const content of ['', '  ', [{ type: 'text', text: '' }]]) {
      const body = {
        ...REQUEST,
        messages: [
          { role: 'user', content: 'go' },
          { role: 'assistant', content, tool_calls: call },
          { role: 'tool', tool_call_id: 'call_1', content: 'ok' },
        ],
      };
      expect(rejection(body, CLAUDE).message).toBe('messages: text content blocks must be non-empty');
      expect(() => openaiChat.parse(body, LLAMA)).not.toThrow();
    }
  });

  it.each(['system', 'assistant', 'tool', 'developer'])('refuses name on a %s message, keeps it on user messages', (role) => {
    const message: Record<string, unknown> = { role, content: 'x', name: 'bob' };
    if (role === 'tool') message.tool_call_id = 'call_1';
    const error = rejection({ ...REQUEST, messages: [message, { role: 'user', content: 'y' }] });
    expect(innerMessage(error)).toBe('messages.0.name: Extra inputs are not permitted');
    expect(() => openaiChat.parse({ ...REQUEST, messages: [{ role: 'user', content: 'x', name: 'bob' }] }, LLAMA)).not.toThrow();
  });
});

describe('openai-chat with the emulator model', () => {
  it('runs a Claude thinking tool loop over streamed list content: the replayed reasoning verifies', async () => {
    const { runModel } = await import('../../src/emulator/model.js');
    const tools = [{ type: 'function', function: { name: 'read_file', parameters: { type: 'object', properties: { path: { type: 'string' } } } } }];
    const first = { ...REQUEST, stream: true, max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 1024 }, tools, messages: [{ role: 'user', content: 'read ./a.txt' }] };
    const turn1 = runModel(openaiChat.parse(first, CLAUDE), CLAUDE.endpoint);
    const all = chunks(openaiChat.stream(turn1, CLAUDE));
    // Reassemble the way a Databricks-aware client does: join summary texts, keep the signature.
    const summaries = all
      .flatMap((c) => (Array.isArray(c.choices[0].delta.content) ? c.choices[0].delta.content : []))
      .flatMap((item: any) => item.summary);
    const reasoning = { type: 'reasoning', summary: [{ type: 'summary_text', text: summaries.map((s: any) => s.text).join(''), signature: summaries.at(-1)?.signature }] };
    const call = all.flatMap((c) => c.choices[0].delta.tool_calls ?? []);
    const id = call.find((d: any) => d.id)?.id as string;
    const args = call.map((d: any) => d.function.arguments).join('');
    expect(JSON.parse(args)).toEqual({ path: './a.txt' });

    const second = {
      ...first,
      stream: false,
      messages: [
        ...first.messages,
        { role: 'assistant', content: [reasoning], tool_calls: [{ id, type: 'function', function: { name: 'read_file', arguments: args } }] },
        { role: 'tool', tool_call_id: id, content: 'TOKEN-77' },
      ],
    };
    const turn2 = runModel(openaiChat.parse(second, CLAUDE), CLAUDE.endpoint);
    const body = openaiChat.respond(turn2, CLAUDE) as any;
    expect(body.choices[0].finish_reason).toBe('stop');
    expect(JSON.stringify(body.choices[0].message.content)).toContain('TOKEN-77');

    // A tampered replay is refused by the model.
    const tampered = structuredClone(second);
    (tampered.messages[1] as any).content[0].summary[0].text += ' (edited)';
    expect(() => runModel(openaiChat.parse(tampered, CLAUDE), CLAUDE.endpoint)).toThrow(DatabricksApiError);
  });
});
