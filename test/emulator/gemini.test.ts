import { describe, expect, it } from 'vitest';
import { gemini, SKIP_SIGNATURE_SENTINEL } from '../../src/emulator/dialects/gemini/index.js';
import { runModel } from '../../src/emulator/model.js';
import { signReasoning, verifyReasoning } from '../../src/emulator/signing.js';
import {
  type EmulatedEndpoint,
  type RenderContext,
  type ScriptBlock,
} from '../../src/emulator/types.js';
import { databricksErrorOf, scriptsFor } from '../helpers/emulator-scripts.js';

const GEMINI_3: EmulatedEndpoint = { name: 'databricks-gemini-3-pro', family: 'gemini', kind: 'foundation', onAiGateway: true };
const GEMINI_25: EmulatedEndpoint = { name: 'databricks-gemini-2-5-pro', family: 'gemini', kind: 'foundation', onAiGateway: true };

function context(endpoint: EmulatedEndpoint = GEMINI_3, streamMethod?: boolean): RenderContext {
  const ctx: RenderContext = { endpoint, quirks: new Set() };
  if (streamMethod !== undefined) ctx.streamMethod = streamMethod;
  return ctx;
}

const THOUGHT = '**Checking the weather**\n\nThe user wants the weather in two cities; I will call the tool twice.';

function reasoning(text = THOUGHT): ScriptBlock {
  return { type: 'reasoning', text, signature: signReasoning('gemini', text) };
}

const script = scriptsFor({
  id: 'M3iLaY-AI7zTxN8P3',
  created: 1_770_000_000,
  endpoint: GEMINI_3.name,
  usage: { inputTokens: 29, outputTokens: 60, reasoningTokens: 45, cachedInputTokens: 0 },
});

const WEATHER_CALLS: ScriptBlock[] = [
  { type: 'tool_call', callId: 'call_1', name: 'weather', arguments: { location: 'San Francisco' } },
  { type: 'tool_call', callId: 'call_2', name: 'weather', arguments: { location: 'Boston', unit: 'C' } },
];

/**
 * What a step's signature is bound to (Gemini signatures are checked without
 * the thought text): the step's first call as `name:` + JSON of its args with
 * sorted keys, else the step's visible text. Spelled out literally here so the
 * tests pin the format instead of re-deriving it.
 */
const SF_CALL = 'weather:{"location":"San Francisco"}';
const BOSTON_CALL = 'weather:{"location":"Boston","unit":"C"}';

const BAD_SIGNATURE = 'Invalid thought signature in a replayed part';

const WEATHER_TOOL = {
  functionDeclarations: [
    {
      name: 'weather',
      description: 'Current weather.',
      parameters: { type: 'OBJECT', properties: { location: { type: 'STRING' } }, required: ['location'] },
    },
  ],
};

/** Runs the emulator's model on a parsed request, as the server does; refuses a replay whose signatures do not verify. */
function run(body: unknown, ctx: RenderContext = context()) {
  return runModel(gemini.parse(body, ctx), ctx.endpoint);
}

function expectRefusedSignature(body: unknown, ctx: RenderContext = context()): void {
  const error = databricksErrorOf(() => run(body, ctx));
  expect(error.status).toBe(400);
  expect(error.errorCode).toBe('BAD_REQUEST');
  expect(error.message).toBe(BAD_SIGNATURE);
}

interface Part {
  text?: string;
  thought?: boolean;
  thoughtSignature?: string;
  functionCall?: { name: string; args: Record<string, unknown>; id?: string };
}
interface Usage {
  promptTokenCount: number;
  candidatesTokenCount: number;
  thoughtsTokenCount?: number;
  totalTokenCount: number;
}
interface Chunk {
  candidates: { content: { role: string; parts: Part[] }; finishReason?: string; index: number }[];
  usageMetadata: Usage;
  modelVersion: string;
  responseId: string;
}

/** Structural checks of a GenerateContentResponse (no Gemini SDK is installed). */
function checkResponse(value: unknown): Chunk {
  const chunk = value as Chunk;
  expect(Object.keys(chunk).sort()).toEqual(['candidates', 'modelVersion', 'responseId', 'usageMetadata']);
  expect(chunk.candidates).toHaveLength(1);
  const [candidate] = chunk.candidates;
  expect(candidate?.index).toBe(0);
  expect(candidate?.content.role).toBe('model');
  expect(Array.isArray(candidate?.content.parts)).toBe(true);
  for (const part of candidate?.content.parts ?? []) {
    const data = ['text', 'functionCall'].filter((key) => key in part);
    expect(data).toHaveLength(1);
    if (part.functionCall) {
      expect(typeof part.functionCall.name).toBe('string');
      expect(typeof part.functionCall.args).toBe('object');
      // Gemini calls carry no id (wire-formats §4).
      expect(part.functionCall.id).toBeUndefined();
    }
    if ('thought' in part) expect(part.thought).toBe(true);
  }
  const usage = chunk.usageMetadata;
  expect(usage.totalTokenCount).toBe(usage.promptTokenCount + usage.candidatesTokenCount + (usage.thoughtsTokenCount ?? 0));
  return chunk;
}

/** Parses and checks a stream; returns the parts of all chunks in order and the chunks. */
function checkStream(frames: string[]): { parts: Part[]; chunks: Chunk[] } {
  expect(frames.length).toBeGreaterThan(0);
  expect(frames.join('')).not.toContain('[DONE]');
  const chunks = frames.map((frame) => {
    const match = /^data: ([^\n]+)\n\n$/.exec(frame);
    if (!match) throw new Error(`malformed frame ${JSON.stringify(frame)}`);
    return checkResponse(JSON.parse(match[1] ?? ''));
  });
  chunks.forEach((chunk, i) => {
    const last = i === chunks.length - 1;
    expect(chunk.candidates[0]?.finishReason !== undefined).toBe(last);
    expect(chunk.responseId).toBe(chunks[0]?.responseId);
    if (i > 0) {
      const previous = chunks[i - 1]?.usageMetadata as Usage;
      // Running totals never go down and the prompt count never changes.
      expect(chunk.usageMetadata.promptTokenCount).toBe(previous.promptTokenCount);
      expect(chunk.usageMetadata.candidatesTokenCount).toBeGreaterThanOrEqual(previous.candidatesTokenCount);
      expect(chunk.usageMetadata.thoughtsTokenCount ?? 0).toBeGreaterThanOrEqual(previous.thoughtsTokenCount ?? 0);
    }
    if (!last) expect(chunk.candidates[0]?.content.parts.length).toBeGreaterThan(0);
  });
  return { parts: chunks.flatMap((chunk) => chunk.candidates[0]?.content.parts ?? []), chunks };
}

function joined(parts: Part[], thought: boolean): string {
  return parts
    .filter((part) => part.text !== undefined && (part.thought === true) === thought)
    .map((part) => part.text)
    .join('');
}

/** The next request a faithful client sends: history + the model turn + tool results. */
function followUp(modelParts: Part[], results: { name: string; response: Record<string, unknown> }[]) {
  return {
    contents: [
      { role: 'user', parts: [{ text: 'Weather in SF and Boston?' }] },
      { role: 'model', parts: modelParts },
      { role: 'user', parts: results.map((result) => ({ functionResponse: result })) },
    ],
    tools: [WEATHER_TOOL],
  };
}

describe('gemini respond', () => {
  it('renders thought, parallel calls (signature on the first only), STOP and usage', () => {
    const response = checkResponse(gemini.respond(script([reasoning(), ...WEATHER_CALLS]), context()));
    const [candidate] = response.candidates;
    expect(candidate?.finishReason).toBe('STOP');
    const parts = candidate?.content.parts ?? [];
    expect(parts).toHaveLength(3);
    expect(parts[0]).toEqual({ text: THOUGHT, thought: true });
    expect(parts[1]?.functionCall).toEqual({ name: 'weather', args: { location: 'San Francisco' } });
    // The step's signature is bound to its first call, not to the thought text.
    expect(parts[1]?.thoughtSignature).toBe(signReasoning('gemini', SF_CALL));
    expect(parts[1]?.thoughtSignature).not.toBe(signReasoning('gemini', THOUGHT));
    expect(parts[2]?.functionCall).toEqual({ name: 'weather', args: { location: 'Boston', unit: 'C' } });
    expect(parts[2]?.thoughtSignature).toBeUndefined();
    expect(parts[0]?.thoughtSignature).toBeUndefined();
    expect(response.usageMetadata).toEqual({
      promptTokenCount: 29,
      candidatesTokenCount: 15,
      thoughtsTokenCount: 45,
      totalTokenCount: 89,
    });
    expect(response.modelVersion).toBe(GEMINI_3.name);
    expect(response.responseId.length).toBeGreaterThan(0);
  });

  it('puts the signature on the last text part when there is no call, and MAX_TOKENS on a cut answer', () => {
    const response = checkResponse(
      gemini.respond(
        script([reasoning(), { type: 'text', text: 'First.' }, { type: 'text', text: 'Second.' }], { stop: 'max_tokens' }),
        context(),
      ),
    );
    const [candidate] = response.candidates;
    expect(candidate?.finishReason).toBe('MAX_TOKENS');
    const parts = candidate?.content.parts ?? [];
    expect(parts.map((part) => part.text)).toEqual([THOUGHT, 'First.', 'Second.']);
    expect(parts[0]?.thoughtSignature).toBeUndefined();
    expect(parts[1]?.thoughtSignature).toBeUndefined();
    // Without a call, the signature is bound to the step's visible text, joined.
    expect(parts[2]?.thoughtSignature).toBe(signReasoning('gemini', 'First.Second.'));
  });

  it('binds a call signature to the arguments whatever their key order', () => {
    const call: ScriptBlock = { type: 'tool_call', callId: 'c', name: 'weather', arguments: { unit: 'C', location: 'Boston' } };
    const response = gemini.respond(script([reasoning(), call]), context()) as Chunk;
    expect(response.candidates[0]?.content.parts[1]?.thoughtSignature).toBe(signReasoning('gemini', BOSTON_CALL));
  });

  it('omits thoughtsTokenCount when nothing was spent on thinking', () => {
    const response = checkResponse(
      gemini.respond(
        script([{ type: 'text', text: 'Hi' }], {
          usage: { inputTokens: 5, outputTokens: 2, reasoningTokens: 0, cachedInputTokens: 0 },
        }),
        context(GEMINI_25),
      ),
    );
    expect(response.usageMetadata).toEqual({ promptTokenCount: 5, candidatesTokenCount: 2, totalTokenCount: 7 });
  });

  it('replays its own non-streamed turn: signatures verify and tool results are read', () => {
    const response = gemini.respond(script([reasoning(), ...WEATHER_CALLS]), context()) as Chunk;
    const modelParts = response.candidates[0]?.content.parts ?? [];
    const results = [
      { name: 'weather', response: { temperature: 18 } },
      { name: 'weather', response: { temperature: 4 } },
    ];
    const body = followUp(modelParts, results);
    const conversation = gemini.parse(body, context());
    // The signature on the first call is paired with that call's content.
    expect(conversation.replayedReasoning).toEqual([{ text: SF_CALL, signature: signReasoning('gemini', SF_CALL) }]);
    for (const replay of conversation.replayedReasoning) {
      expect(verifyReasoning('gemini', replay.text, replay.signature)).toBe(true);
    }
    // The model accepts the faithful replay and answers from the tool results.
    const answer = run(body);
    expect(answer.stop).toBe('end_turn');
    expect(JSON.stringify(answer.blocks)).toContain('temperature');
    // Like real Gemini, the thought text need not come back: dropping it still verifies.
    expect(() => run(followUp(modelParts.filter((part) => part.thought !== true), results))).not.toThrow();
    // A tampered signature, or a call changed under its signature, is refused.
    const tampered = structuredClone(modelParts);
    const signature = tampered[1]?.thoughtSignature ?? '';
    (tampered[1] as Part).thoughtSignature = `${signature.slice(0, -2)}${signature.endsWith('xx') ? 'yy' : 'xx'}`;
    expectRefusedSignature(followUp(tampered, results));
    const edited = structuredClone(modelParts);
    (edited[1] as Part).functionCall = { name: 'weather', args: { location: 'Paris' } };
    expectRefusedSignature(followUp(edited, results));
    expect(conversation.toolResults).toEqual([
      { callId: 'weather', content: '{"temperature":18}' },
      { callId: 'weather', content: '{"temperature":4}' },
    ]);
    expect(conversation.priorToolCalls).toEqual([
      { callId: 'weather', name: 'weather' },
      { callId: 'weather', name: 'weather' },
    ]);
    expect(conversation.lastUserText).toBe('Weather in SF and Boston?');
  });

  it('signs a Gemini 3 function call even when the script has no reasoning, so the replay passes', () => {
    const response = gemini.respond(script([WEATHER_CALLS[0] as ScriptBlock]), context()) as Chunk;
    const parts = response.candidates[0]?.content.parts ?? [];
    expect(parts).toHaveLength(1);
    expect(parts[0]?.thoughtSignature).toBe(signReasoning('gemini', SF_CALL));
    const body = followUp(parts, [{ name: 'weather', response: { t: 1 } }]);
    const conversation = gemini.parse(body, context());
    expect(conversation.replayedReasoning).toEqual([{ text: SF_CALL, signature: signReasoning('gemini', SF_CALL) }]);
    expect(() => run(body)).not.toThrow();
    // Without that signature the Gemini 3 rule refuses the replay.
    const unsigned = parts.map(({ thoughtSignature: _signature, ...part }) => part);
    expect(databricksErrorOf(() => run(followUp(unsigned, [{ name: 'weather', response: { t: 1 } }]))).message).toBe(
      'Function call is missing a thought_signature in functionCall parts',
    );
    // Not on Gemini 2.5: no reasoning, no signature.
    const older = gemini.respond(script([WEATHER_CALLS[0] as ScriptBlock]), context(GEMINI_25)) as Chunk;
    expect(older.candidates[0]?.content.parts[0]?.thoughtSignature).toBeUndefined();
  });
});

describe('gemini stream', () => {
  it('streams thoughts and text in pieces, running usage, a trailing signed empty part with STOP', () => {
    const text = 'It is sunny and eighteen degrees in San Francisco today.';
    const frames = gemini.stream(script([reasoning(), { type: 'text', text }]), context(GEMINI_3, true));
    const { parts, chunks } = checkStream(frames);
    expect(parts.filter((part) => part.thought).length).toBeGreaterThan(1);
    expect(parts.filter((part) => !part.thought && part.text).length).toBeGreaterThan(1);
    expect(joined(parts, true)).toBe(THOUGHT);
    expect(joined(parts, false)).toBe(text);
    // One part per chunk except nothing else: each chunk carries only new parts.
    expect(parts.length).toBe(chunks.length);
    const signed = parts.filter((part) => part.thoughtSignature !== undefined);
    // The step has no call, so its signature is bound to the whole visible text.
    expect(signed).toEqual([{ text: '', thoughtSignature: signReasoning('gemini', text) }]);
    const last = chunks.at(-1) as Chunk;
    expect(last.candidates[0]?.finishReason).toBe('STOP');
    expect(last.candidates[0]?.content.parts).toEqual(signed);
    expect(last.usageMetadata).toEqual({
      promptTokenCount: 29,
      candidatesTokenCount: 15,
      thoughtsTokenCount: 45,
      totalTokenCount: 89,
    });
    expect(chunks[0]?.usageMetadata.totalTokenCount).toBeLessThan(89);

    // A client that keeps every streamed part replays a valid turn: the text
    // pieces before the signed empty part join back into the signed text.
    const replay = (modelParts: Part[]) => ({
      contents: [
        { role: 'user', parts: [{ text: 'Weather in SF?' }] },
        { role: 'model', parts: modelParts },
        { role: 'user', parts: [{ text: 'Thanks' }] },
      ],
    });
    expect(gemini.parse(replay(parts), context()).replayedReasoning).toEqual([
      { text, signature: signReasoning('gemini', text) },
    ]);
    expect(() => run(replay(parts))).not.toThrow();
    // Dropping a text piece breaks the binding.
    const firstText = parts.findIndex((part) => !part.thought && part.text);
    expectRefusedSignature(replay(parts.filter((_, i) => i !== firstText)));
  });

  it('streams each function call whole in its own chunk, signature on the first', () => {
    const frames = gemini.stream(script([reasoning(), ...WEATHER_CALLS]), context(GEMINI_3, true));
    const { parts, chunks } = checkStream(frames);
    const callChunks = chunks.filter((chunk) => chunk.candidates[0]?.content.parts.some((part) => part.functionCall));
    expect(callChunks).toHaveLength(2);
    const calls = parts.filter((part) => part.functionCall);
    expect(calls.map((part) => part.functionCall)).toEqual([
      { name: 'weather', args: { location: 'San Francisco' } },
      { name: 'weather', args: { location: 'Boston', unit: 'C' } },
    ]);
    expect(calls[0]?.thoughtSignature).toBe(signReasoning('gemini', SF_CALL));
    expect(calls[1]?.thoughtSignature).toBeUndefined();
    expect(parts.filter((part) => part.thoughtSignature !== undefined)).toHaveLength(1);
    expect(chunks.at(-1)?.candidates[0]?.finishReason).toBe('STOP');

    // A client that keeps every streamed part replays a valid turn.
    const body = followUp(parts, [
      { name: 'weather', response: { temperature: 18 } },
      { name: 'weather', response: { temperature: 4 } },
    ]);
    const conversation = gemini.parse(body, context(GEMINI_3, true));
    expect(conversation.stream).toBe(true);
    expect(conversation.replayedReasoning).toEqual([{ text: SF_CALL, signature: signReasoning('gemini', SF_CALL) }]);
    expect(conversation.toolResults).toHaveLength(2);
    expect(run(body, context(GEMINI_3, true)).stop).toBe('end_turn');
    // The signature belongs to the first call. Moved onto the second, Gemini 3
    // finds the first call unsigned; where that rule does not apply (2.5), the
    // signature is paired with the second call and does not verify.
    const moved = parts.map(({ thoughtSignature: _signature, ...part }) =>
      part.functionCall?.args.location === 'Boston' ? { ...part, thoughtSignature: calls[0]?.thoughtSignature } : part,
    );
    const movedBody = followUp(moved, [{ name: 'weather', response: {} }]);
    expect(databricksErrorOf(() => run(movedBody)).message).toBe('Function call is missing a thought_signature in functionCall parts');
    expectRefusedSignature(movedBody, context(GEMINI_25));
  });

  it('ends a cut answer with MAX_TOKENS on the last content chunk', () => {
    const frames = gemini.stream(
      script([{ type: 'text', text: 'one two three four five' }], {
        stop: 'max_tokens',
        usage: { inputTokens: 3, outputTokens: 5, reasoningTokens: 0, cachedInputTokens: 0 },
      }),
      context(GEMINI_25, true),
    );
    const { parts, chunks } = checkStream(frames);
    expect(joined(parts, false)).toBe('one two three four five');
    expect(chunks.at(-1)?.candidates[0]?.finishReason).toBe('MAX_TOKENS');
    expect(chunks.at(-1)?.usageMetadata.candidatesTokenCount).toBe(5);
  });

  it('replays two reasoning steps of one turn separately', () => {
    const second = 'Now I summarise.';
    const blocks: ScriptBlock[] = [
      reasoning(),
      WEATHER_CALLS[0] as ScriptBlock,
      reasoning(second),
      { type: 'text', text: 'Done.' },
    ];
    for (const render of [
      () => (gemini.respond(script(blocks), context()) as Chunk).candidates[0]?.content.parts ?? [],
      () => checkStream(gemini.stream(script(blocks), context(GEMINI_3, true))).parts,
    ]) {
      const parts = render();
      const signatures = parts.flatMap((part) => (part.thoughtSignature === undefined ? [] : [part.thoughtSignature]));
      expect(signatures).toEqual([signReasoning('gemini', SF_CALL), signReasoning('gemini', 'Done.')]);
      const body = followUp(parts, [{ name: 'weather', response: {} }]);
      const conversation = gemini.parse(body, context());
      // Each step pairs its signature with its own content: the first call, then the second step's text.
      expect(conversation.replayedReasoning).toEqual([
        { text: SF_CALL, signature: signReasoning('gemini', SF_CALL) },
        { text: 'Done.', signature: signReasoning('gemini', 'Done.') },
      ]);
      expect(() => run(body)).not.toThrow();
      // Swapping the two steps' signatures is refused.
      const swapped = parts.map((part) =>
        part.thoughtSignature === undefined
          ? part
          : { ...part, thoughtSignature: signatures[part.thoughtSignature === signatures[0] ? 1 : 0] },
      );
      expectRefusedSignature(followUp(swapped, [{ name: 'weather', response: {} }]));
    }
  });
});

describe('gemini parse', () => {
  const base = { contents: [{ role: 'user', parts: [{ text: 'Hello' }] }] };

  it('reads a request: system, tools, tool config, thinking and limits', () => {
    const conversation = gemini.parse(
      {
        ...base,
        systemInstruction: { parts: [{ text: 'Be terse.' }] },
        tools: [WEATHER_TOOL],
        toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['weather'] } },
        generationConfig: { maxOutputTokens: 512, thinkingConfig: { includeThoughts: true } },
        safetySettings: [],
      },
      context(GEMINI_3, false),
    );
    expect(conversation.endpoint).toBe(GEMINI_3.name);
    expect(conversation.stream).toBe(false);
    expect(conversation.lastUserText).toBe('Hello');
    expect(conversation.allText).toContain('Be terse.');
    expect(conversation.tools).toEqual([
      {
        name: 'weather',
        description: 'Current weather.',
        parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
      },
    ]);
    expect(conversation.toolChoice).toEqual({ name: 'weather' });
    expect(conversation.maxOutputTokens).toBe(512);
    expect(conversation.reasoningRequested).toBe(true);
    expect(conversation.parallelToolCalls).toBe(true);
  });

  it('accepts snake_case field names', () => {
    const conversation = gemini.parse(
      {
        contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
        system_instruction: { parts: [{ text: 'System.' }] },
        tools: [{ function_declarations: [{ name: 'f', parameters_json_schema: { type: 'object' } }] }],
        tool_config: { function_calling_config: { mode: 'NONE' } },
        generation_config: { max_output_tokens: 64, thinking_config: { thinking_budget: 1024 } },
      },
      context(),
    );
    expect(conversation.allText).toContain('System.');
    expect(conversation.tools.map((tool) => tool.name)).toEqual(['f']);
    expect(conversation.toolChoice).toBe('none');
    expect(conversation.maxOutputTokens).toBe(64);
    expect(conversation.reasoningRequested).toBe(true);
  });

  it('maps tool config modes and thinking settings', () => {
    const choice = (config: unknown) =>
      gemini.parse({ ...base, tools: [WEATHER_TOOL], toolConfig: { functionCallingConfig: config } }, context())
        .toolChoice;
    expect(choice({ mode: 'AUTO' })).toBe('auto');
    expect(choice({ mode: 'ANY' })).toBe('required');
    expect(choice({ mode: 'NONE' })).toBe('none');
    expect(gemini.parse(base, context()).toolChoice).toBe('auto');
    const thinking = (thinkingConfig: unknown) =>
      gemini.parse({ ...base, generationConfig: { thinkingConfig } }, context()).reasoningRequested;
    expect(thinking({ thinkingBudget: 0 })).toBe(false);
    expect(thinking({ includeThoughts: false })).toBe(false);
    expect(thinking({ thinkingLevel: 'high' })).toBe(true);
    expect(thinking({ thinkingBudget: 2048 })).toBe(true);
    expect(gemini.parse(base, context()).reasoningRequested).toBe(false);
    expect(gemini.parse(base, context(GEMINI_3, true)).stream).toBe(true);
  });

  it('takes tool results only after the last model turn, with ids when present', () => {
    const conversation = gemini.parse(
      {
        contents: [
          { role: 'user', parts: [{ text: 'Go' }] },
          { role: 'model', parts: [{ functionCall: { name: 'a', args: {}, id: 'c1' }, thoughtSignature: 'sig' }] },
          { role: 'user', parts: [{ functionResponse: { name: 'a', id: 'c1', response: { ok: 1 } } }] },
          { role: 'model', parts: [{ functionCall: { name: 'b', args: {} }, thoughtSignature: 'sig2' }] },
          { role: 'user', parts: [{ functionResponse: { name: 'b', response: { ok: 2 } } }] },
        ],
      },
      context(),
    );
    expect(conversation.toolResults).toEqual([{ callId: 'b', content: '{"ok":2}' }]);
    expect(conversation.priorToolCalls).toEqual([
      { callId: 'c1', name: 'a' },
      { callId: 'b', name: 'b' },
    ]);
    expect(conversation.lastUserText).toBe('Go');
  });

  describe('validation', () => {
    it('refuses unknown top-level fields in Databricks error shape', () => {
      for (const field of ['model', 'stream', 'messages']) {
        const error = databricksErrorOf(() => gemini.parse({ ...base, [field]: true }, context()));
        expect(error.status).toBe(400);
        expect(error.message).toContain(`"${field}"`);
        expect(Object.keys(error.toBody()).sort()).toEqual(['error_code', 'message']);
      }
    });

    it('requires non-empty contents', () => {
      expect(databricksErrorOf(() => gemini.parse({}, context())).status).toBe(400);
      expect(databricksErrorOf(() => gemini.parse({ contents: [] }, context())).status).toBe(400);
    });

    it('refuses roles other than user and model, and unknown part fields', () => {
      expect(
        databricksErrorOf(() => gemini.parse({ contents: [{ role: 'assistant', parts: [{ text: 'x' }] }] }, context())).message,
      ).toBe('Please use a valid role: user, model.');
      expect(
        databricksErrorOf(() => gemini.parse({ contents: [{ role: 'user', parts: [{ text: 'x', cache: true }] }] }, context()))
          .message,
      ).toContain('"cache"');
      expect(databricksErrorOf(() => gemini.parse({ contents: [{ role: 'user', parts: [{}] }] }, context())).status).toBe(400);
    });

    it('refuses function schemas without an object type', () => {
      const declare = (declaration: Record<string, unknown>) => ({ ...base, tools: [{ functionDeclarations: [declaration] }] });
      const noType = databricksErrorOf(() =>
        gemini.parse(declare({ name: 'f', parameters: { properties: { a: { type: 'STRING' } } } }), context()),
      );
      expect(noType.status).toBe(400);
      expect(noType.message).toContain('parameters');
      expect(databricksErrorOf(() => gemini.parse(declare({ name: 'f', parameters: { type: 'STRING' } }), context())).status).toBe(
        400,
      );
      expect(
        databricksErrorOf(() => gemini.parse(declare({ name: 'f', parametersJsonSchema: { properties: {} } }), context())).status,
      ).toBe(400);
      // Upper- or lower-case OBJECT is fine, and so is no schema at all.
      expect(gemini.parse(declare({ name: 'f', parameters: { type: 'OBJECT' } }), context()).tools).toHaveLength(1);
      expect(gemini.parse(declare({ name: 'f', parameters: { type: 'object' } }), context()).tools).toHaveLength(1);
      expect(gemini.parse(declare({ name: 'f' }), context()).tools[0]?.parameters).toEqual({
        type: 'object',
        properties: {},
      });
    });

    it('refuses built-in tools', () => {
      for (const tool of [{ googleSearch: {} }, { codeExecution: {} }, { google_search: {} }]) {
        const error = databricksErrorOf(() => gemini.parse({ ...base, tools: [tool] }, context()));
        expect(error.status).toBe(400);
        expect(error.errorCode).toBe('INVALID_PARAMETER_VALUE');
      }
    });

    describe('Gemini 3 thought signatures', () => {
      const call = (signature?: string) => ({
        functionCall: { name: 'weather', args: { location: 'Paris' } },
        ...(signature === undefined ? {} : { thoughtSignature: signature }),
      });
      const request = (modelParts: unknown[]) => ({
        contents: [
          { role: 'user', parts: [{ text: 'Weather?' }] },
          { role: 'model', parts: modelParts },
          { role: 'user', parts: [{ functionResponse: { name: 'weather', response: { t: 1 } } }] },
        ],
      });

      it('refuses a current-turn function call without its signature', () => {
        const error = databricksErrorOf(() => gemini.parse(request([call()]), context()));
        expect(error.status).toBe(400);
        expect(error.message).toBe('Function call is missing a thought_signature in functionCall parts');
      });

      it('checks only the first call of a step and only the current turn', () => {
        expect(() => gemini.parse(request([call('sig'), call()]), context())).not.toThrow();
        // Gemini 2.5 has no such rule.
        expect(() => gemini.parse(request([call()]), context(GEMINI_25))).not.toThrow();
        // A model turn before the last user text is history, not the current turn.
        const older = {
          contents: [
            ...request([call()]).contents,
            { role: 'model', parts: [{ text: 'It is mild.' }] },
            { role: 'user', parts: [{ text: 'Thanks' }] },
          ],
        };
        expect(() => gemini.parse(older, context())).not.toThrow();
        // A later step of the current turn is checked too.
        const laterStep = {
          contents: [
            ...request([call('sig')]).contents,
            { role: 'model', parts: [call()] },
            { role: 'user', parts: [{ functionResponse: { name: 'weather', response: {} } }] },
          ],
        };
        expect(databricksErrorOf(() => gemini.parse(laterStep, context())).status).toBe(400);
      });

      it('accepts the gateway sentinel without treating it as a replay', () => {
        const conversation = gemini.parse(request([call(SKIP_SIGNATURE_SENTINEL)]), context());
        expect(conversation.replayedReasoning).toEqual([]);
      });
    });
  });
});
