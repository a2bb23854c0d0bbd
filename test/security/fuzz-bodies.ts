import fc from 'fast-check';

/**
 * Generated request bodies for the fuzz test, as JSON text: valid-looking
 * bodies of each route (every family of the emulator's catalog, so both
 * passthrough and translation run), the same bodies broken at a random place,
 * raw text that is not a JSON object at all, deep nesting and huge strings.
 */

const MODELS = [
  'databricks-claude-sonnet-4-6',
  'databricks-gpt-5-2',
  'databricks-gpt-5-1-codex-max',
  'databricks-gemini-2-5-pro',
  'databricks-meta-llama-3-3-70b-instruct',
  'databricks-qwen3-next-80b-a3b-instruct',
  'databricks-gemma-3-12b',
  'team-mistral-external',
  // Not served: unknown, not a chat endpoint, empty, the default alias with no default set.
  'databricks-gpt-7',
  'databricks-gte-large-en',
  '',
  'default',
];

const model = fc.constantFrom(...MODELS);

/** Characters that break naive text handling: lone surrogates, NUL, BOM, bidi override, line separators. */
const awkward = fc
  .array(fc.constantFrom('\ud800', '\udfff', 'a\ud83d', '\u0000', '\ufeff', '\u202e', '\u2028', '"', '\\', '</script>', 'data: [DONE]\n\n'), { minLength: 1, maxLength: 4 })
  .map((parts) => parts.join(''));

/**
 * Up to ~240 KB of UTF-8: inside the fuzz stack's 256 KiB limit alone, over
 * it when two meet. Mostly one long word: the echo model streams a word per
 * event, and 60,000 events per request would make the run slow, not harder.
 */
const huge = fc.oneof(
  fc.tuple(fc.integer({ min: 5_000, max: 60_000 }), fc.constantFrom('x', 'é', '字', '𝄞')).map(([count, unit]) => unit.repeat(count)),
  fc.integer({ min: 100, max: 2_000 }).map((count) => 'lorem ipsum '.repeat(count)),
);

/** A body holds about eight texts: with these weights about one body in seven carries a huge one. */
export const text = fc.oneof(
  { weight: 24, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 12, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 8, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 8, arbitrary: awkward },
  { weight: 1, arbitrary: huge },
);

const toolName = fc.constantFrom('read_file', 'get_weather', 'Read', 'f');
const callId = fc.constantFrom('call_1', 'call_2', 'toolu_01', 'fc_1');
const args = fc.oneof(fc.constant('{}'), fc.constant('{"path":"a.txt"}'), fc.json({ maxDepth: 2 }), text);
const schema = fc.constantFrom(
  { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
  { type: 'object', properties: {} },
  {},
  { type: 'string' },
);
const imageUrl = fc.constantFrom('https://example.com/a.png', 'data:image/png;base64,iVBORw0KGgo=', 'data:image/png,raw', 'not a url');

// Chat Completions
const chatContent = fc.oneof(
  text,
  fc.array(
    fc.oneof(fc.record({ type: fc.constant('text'), text }), fc.record({ type: fc.constant('image_url'), image_url: fc.record({ url: imageUrl }) })),
    { minLength: 1, maxLength: 3 },
  ),
);
const chatToolCall = fc.record({ id: callId, type: fc.constant('function'), function: fc.record({ name: toolName, arguments: args }) });
const chatMessage = fc.oneof(
  fc.record({ role: fc.constantFrom('user', 'system', 'developer'), content: chatContent }),
  fc.record({ role: fc.constant('assistant'), content: fc.option(chatContent, { nil: null }), tool_calls: fc.array(chatToolCall, { minLength: 1, maxLength: 2 }) }, { requiredKeys: ['role'] }),
  fc.record({ role: fc.constant('tool'), tool_call_id: callId, content: text }),
);
const chatBody = fc.record(
  {
    model,
    messages: fc.array(chatMessage, { minLength: 1, maxLength: 4 }),
    stream: fc.boolean(),
    stream_options: fc.constant({ include_usage: true }),
    max_tokens: fc.integer({ min: 1, max: 100_000 }),
    temperature: fc.double({ min: 0, max: 2, noNaN: true }),
    tools: fc.array(fc.record({ type: fc.constant('function'), function: fc.record({ name: toolName, description: text, parameters: schema }, { requiredKeys: ['name'] }) }), { maxLength: 3 }),
    tool_choice: fc.constantFrom('auto', 'none', 'required', { type: 'function', function: { name: 'read_file' } }),
    reasoning_effort: fc.constantFrom('low', 'medium', 'high', 'none'),
  },
  { requiredKeys: ['model', 'messages', 'stream'] },
);

// Responses
const responsesPart = fc.oneof(
  fc.record({ type: fc.constant('input_text'), text }),
  fc.record({ type: fc.constant('input_image'), image_url: imageUrl }),
  fc.record({ type: fc.constant('output_text'), text }),
);
const responsesContent = fc.oneof(text, fc.array(responsesPart, { minLength: 1, maxLength: 3 }));
const responsesItem = fc.oneof(
  fc.record({ role: fc.constantFrom('user', 'system', 'developer', 'assistant'), content: responsesContent }),
  fc.record({ type: fc.constant('message'), role: fc.constant('user'), content: responsesContent }),
  fc.record({ type: fc.constant('function_call'), call_id: callId, name: toolName, arguments: args }),
  fc.record({ type: fc.constant('function_call_output'), call_id: callId, output: text }),
  fc.record({ type: fc.constant('reasoning'), summary: fc.array(fc.record({ type: fc.constant('summary_text'), text }), { maxLength: 2 }), encrypted_content: text }, { requiredKeys: ['type', 'summary'] }),
);
const responsesBody = fc.record(
  {
    model,
    input: fc.oneof(text, fc.array(responsesItem, { minLength: 1, maxLength: 4 })),
    instructions: text,
    stream: fc.boolean(),
    max_output_tokens: fc.integer({ min: 1, max: 100_000 }),
    // `strict: false` only: the SDK stream helper parses strict tools' arguments itself, which is not what is under test.
    tools: fc.array(fc.record({ type: fc.constant('function'), name: toolName, description: text, parameters: schema, strict: fc.constant(false) }, { requiredKeys: ['type', 'name'] }), { maxLength: 3 }),
    tool_choice: fc.constantFrom('auto', 'none', 'required', { type: 'function', name: 'read_file' }),
    reasoning: fc.constantFrom({ effort: 'low' }, { effort: 'high', summary: 'auto' }),
    store: fc.constant(false),
    include: fc.constant(['reasoning.encrypted_content']),
  },
  { requiredKeys: ['model', 'input', 'stream'] },
);

// Anthropic Messages
const block = fc.oneof(
  { weight: 4, arbitrary: fc.record({ type: fc.constant('text'), text }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('image'), source: fc.constantFrom({ type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' }, { type: 'url', url: 'https://example.com/a.png' }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('tool_use'), id: callId, name: toolName, input: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('tool_result'), tool_use_id: callId, content: fc.oneof(text, fc.array(fc.record({ type: fc.constant('text'), text }), { maxLength: 2 })), is_error: fc.boolean() }, { requiredKeys: ['type', 'tool_use_id'] }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('thinking'), thinking: text, signature: fc.constantFrom('', 'sig-0', 'EqQBCgIYAhIM') }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('redacted_thinking'), data: text }) },
);
const messagesBody = fc.record(
  {
    model,
    max_tokens: fc.integer({ min: 1, max: 64_000 }),
    messages: fc.array(fc.record({ role: fc.constantFrom('user', 'assistant'), content: fc.oneof(text, fc.array(block, { minLength: 1, maxLength: 3 })) }), { minLength: 1, maxLength: 4 }),
    system: fc.oneof(text, fc.array(fc.record({ type: fc.constant('text'), text }), { maxLength: 2 })),
    stream: fc.boolean(),
    tools: fc.array(fc.record({ name: toolName, description: text, input_schema: schema }), { maxLength: 3 }),
    tool_choice: fc.constantFrom({ type: 'auto' }, { type: 'any' }, { type: 'none' }, { type: 'tool', name: 'read_file' }),
    thinking: fc.constantFrom({ type: 'enabled', budget_tokens: 1024 }, { type: 'adaptive' }, { type: 'disabled' }),
    temperature: fc.double({ min: 0, max: 1, noNaN: true }),
    stop_sequences: fc.array(text, { maxLength: 2 }),
    metadata: fc.record({ user_id: text }),
  },
  { requiredKeys: ['model', 'max_tokens', 'messages', 'stream'] },
);

// Gemini: `model` in the body (a GenerateContentRequest field) names the path's model too (fuzz.test.ts).
const geminiArgs = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
const geminiPart = fc.oneof(
  { weight: 4, arbitrary: fc.record({ text }) },
  { weight: 1, arbitrary: fc.record({ text, thought: fc.constant(true), thoughtSignature: fc.constantFrom('CiQBsig', 'dbxsig.anthropic.EqQB', 'dbxsig.gemini.call.CiQB', '') }, { requiredKeys: ['text'] }) },
  { weight: 1, arbitrary: fc.record({ inlineData: fc.record({ mimeType: fc.constantFrom('image/png', 'application/pdf', ''), data: fc.constantFrom('iVBORw0KGgo=', '') }) }) },
  { weight: 1, arbitrary: fc.record({ fileData: fc.record({ mimeType: fc.constantFrom('image/png', 'video/mp4'), fileUri: fc.constantFrom('gs://b/a.png', 'https://example.com/a.png') }) }) },
  {
    weight: 1,
    arbitrary: fc.record(
      { functionCall: fc.record({ name: toolName, args: geminiArgs, id: callId }, { requiredKeys: ['name'] }), thoughtSignature: fc.constantFrom('CiQBsig', 'skip_thought_signature_validator') },
      { requiredKeys: ['functionCall'] },
    ),
  },
  { weight: 1, arbitrary: fc.record({ functionResponse: fc.record({ name: toolName, id: callId, response: geminiArgs }, { requiredKeys: ['name', 'response'] }) }) },
);
const geminiBody = fc.record(
  {
    model,
    contents: fc.array(fc.record({ role: fc.constantFrom('user', 'model'), parts: fc.array(geminiPart, { minLength: 1, maxLength: 3 }) }), { minLength: 1, maxLength: 4 }),
    systemInstruction: fc.record({ parts: fc.array(fc.record({ text }), { maxLength: 2 }) }),
    tools: fc.array(fc.record({ functionDeclarations: fc.array(fc.record({ name: toolName, description: text, parameters: schema }, { requiredKeys: ['name'] }), { maxLength: 2 }) }), { maxLength: 1 }),
    toolConfig: fc.constantFrom(
      { functionCallingConfig: { mode: 'AUTO' } },
      { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['read_file'] } },
      { functionCallingConfig: { mode: 'NONE' } },
    ),
    generationConfig: fc.record(
      {
        maxOutputTokens: fc.integer({ min: 1, max: 64_000 }),
        temperature: fc.double({ min: 0, max: 1, noNaN: true }),
        stopSequences: fc.array(text, { maxLength: 2 }),
        thinkingConfig: fc.constantFrom({ thinkingBudget: 1024, includeThoughts: true }, { thinkingLevel: 'LOW' }, { thinkingBudget: 0 }, { thinkingBudget: -1 }),
        responseMimeType: fc.constantFrom('text/plain', 'application/json'),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ['model', 'contents'] },
);

export const VALID_LOOKING = { chat: chatBody, responses: responsesBody, messages: messagesBody, gemini: geminiBody } as const;
export type RouteName = keyof typeof VALID_LOOKING;

// Breaking a body: a value replaced, a key removed, an unknown key added, at a random place.
const DEEP = '"__deep__"';
const weird = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 3, arbitrary: fc.constantFrom<unknown>(null, -1, 0, 1.5, 1e308, -1e308, 2 ** 63, '', [], {}, true, '42', [null], { type: 'nonsense' }) },
  { weight: 2, arbitrary: text },
  { weight: 1, arbitrary: fc.constant(JSON.parse(DEEP) as unknown) },
);
const mutation = fc.record({ kind: fc.constantFrom('replace', 'delete', 'add'), at: fc.nat(), value: weird, key: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('type', 'role', 'content', 'model', '__proto__', 'constructor')) });
type Mutation = { kind: 'replace' | 'delete' | 'add'; at: number; value: unknown; key: string };

/** Every object and array in a value. */
function containers(value: unknown, found: (Record<string, unknown> | unknown[])[] = []): (Record<string, unknown> | unknown[])[] {
  if (typeof value === 'object' && value !== null) {
    found.push(value as Record<string, unknown>);
    for (const child of Object.values(value)) containers(child, found);
  }
  return found;
}

function mutate(body: Record<string, unknown>, mutations: Mutation[]): Record<string, unknown> {
  const copy = structuredClone(body);
  for (const { kind, at, value: generated, key } of mutations) {
    // A copy: constantFrom hands out one shared `{}` / `[]`, which inserted twice could end up inside itself.
    const value = structuredClone(generated);
    const all = containers(copy);
    const target = all[at % all.length];
    if (!target) continue;
    if (Array.isArray(target)) {
      const index = at % Math.max(target.length, 1);
      if (kind === 'add' || target.length === 0) target.push(value);
      else if (kind === 'delete') target.splice(index, 1);
      else target[index] = value;
      continue;
    }
    const keys = Object.keys(target);
    const slot = keys[at % Math.max(keys.length, 1)];
    // defineProperty, so that `__proto__` becomes an own key (a prototype-poisoning attempt) instead of a prototype.
    if (kind === 'add' || slot === undefined) Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
    else if (kind === 'delete') delete target[slot];
    else target[slot] = value;
  }
  return copy;
}

/**
 * Nesting on both sides of the proxy's limit (512 levels) and far past the
 * depth where a recursive walk overflows the stack (a few thousand levels),
 * written as text: building it as a value would overflow here first.
 */
const deepText = fc
  .tuple(fc.oneof(fc.integer({ min: 50, max: 600 }), fc.integer({ min: 600, max: 40_000 })), fc.constantFrom(['[', ']'], ['{"a":', '}'], ['[{"x":', '}]']))
  .map(([depth, [open, close]]) => `${open.repeat(depth)}1${close.repeat(depth)}`);

const raw = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value) ?? 'null'),
  fc.constantFrom('', '{', '{"model":', '{"messages":[}', 'null', '[]', '"text"', '{}', '\ufeff{}', '{"a":1}{"b":2}'),
);

/** The generated bodies of one route, as the text that goes on the wire. */
export function bodies(route: RouteName): fc.Arbitrary<string> {
  const valid = VALID_LOOKING[route] as fc.Arbitrary<Record<string, unknown>>;
  const withDeep = (body: unknown, deep: string) => (JSON.stringify(body) ?? 'null').replaceAll(DEEP, deep);
  return fc.oneof(
    { weight: 7, arbitrary: valid.map((body) => JSON.stringify(body)) },
    { weight: 9, arbitrary: fc.tuple(valid, fc.array(mutation, { minLength: 1, maxLength: 3 }), deepText).map(([body, mutations, deep]) => withDeep(mutate(body, mutations as Mutation[]), deep)) },
    { weight: 2, arbitrary: raw },
    { weight: 1, arbitrary: fc.tuple(valid, deepText).map(([body, deep]) => withDeep({ ...body, metadata: JSON.parse(DEEP) as unknown }, deep)) },
    { weight: 1, arbitrary: fc.tuple(valid, deepText).map(([body, deep]) => withDeep(mutate(body, [{ kind: 'add', at: 7, key: 'input_schema', value: JSON.parse(DEEP) }]), deep)) },
    // Over the fuzz stack's 256 KiB limit: 413.
    { weight: 1, arbitrary: valid.map((body) => JSON.stringify({ ...body, padding: 'x'.repeat(300_000) })) },
  );
}
