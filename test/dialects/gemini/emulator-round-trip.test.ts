/**
 * Round trips through the project's Gemini emulator (the strict stand-in for
 * Databricks): its answer is decoded into the IR, the IR answer is replayed as
 * history in the next request, and the emulator, which validates like the
 * real API (Gemini 3's call-signature rule included), must accept it and find
 * every signature verifiable.
 */
import { UNSIGNED_CALL_SIGNATURE } from '../../../src/dialects/gemini/contents-encode.js';
import { describe, expect, it } from 'vitest';
import { geminiUpstream } from '../../../src/dialects/gemini/codec.js';
import { foldAnswer } from '../../../src/dialects/gemini/answer-fold.js';
import { gemini } from '../../../src/emulator/dialects/gemini/index.js';
import { signReasoning, verifyReasoning } from '../../../src/emulator/signing.js';
import { DatabricksApiError, type RenderContext, type ScriptBlock } from '../../../src/emulator/types.js';
import type { IrMessage, IrRequest } from '../../../src/ir/request.js';
import type { IrResponse } from '../../../src/ir/response.js';
import { CONTEXT, decodeSse, expectWellFormed } from './support.js';
import { scriptsFor } from '../../helpers/emulator-scripts.js';

const EMULATOR: RenderContext = { endpoint: { name: CONTEXT.endpoint, family: 'gemini', kind: 'foundation', onAiGateway: true }, quirks: new Set() };
const THOUGHT = 'Two cities: I will look both up.';

const script = scriptsFor({
  id: 'EmuResp1',
  created: 1_770_000_000,
  endpoint: CONTEXT.endpoint,
  usage: { inputTokens: 40, outputTokens: 70, reasoningTokens: 30, cachedInputTokens: 0 },
});

const CALLS: ScriptBlock[] = [
  { type: 'tool_call', callId: 'x1', name: 'weather', arguments: { city: 'Oslo' } },
  { type: 'tool_call', callId: 'x2', name: 'weather', arguments: { city: 'Lima' } },
];
const WEATHER = { name: 'weather', description: 'Weather now', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };

function streamed(blocks: ScriptBlock[]): IrResponse {
  const events = decodeSse(new TextEncoder().encode(gemini.stream(script(blocks), { ...EMULATOR, streamMethod: true }).join('')));
  expectWellFormed(events);
  return foldAnswer(events);
}

function nextRequest(answer: IrResponse, results: boolean): IrRequest {
  const messages: IrMessage[] = [
    { role: 'user', parts: [{ type: 'text', text: 'Weather in Oslo and Lima?' }] },
    { role: 'assistant', parts: answer.content },
  ];
  const calls = answer.content.flatMap((part) => (part.type === 'tool_call' ? [part] : []));
  if (results) messages.push({ role: 'user', parts: calls.map((call) => ({ type: 'tool_result' as const, callId: call.id, content: [{ type: 'text' as const, text: '{"temp":3}' }] })) });
  else messages.push({ role: 'user', parts: [{ type: 'text', text: 'Thanks!' }] });
  return { model: CONTEXT.endpoint, system: [], messages, tools: [WEATHER], stream: true, reasoning: { effort: 'low' } };
}

describe('gemini codec against the emulator', () => {
  it.each([
    ['streamed', (blocks: ScriptBlock[]) => streamed(blocks)],
    ['whole', (blocks: ScriptBlock[]) => geminiUpstream.decodeResponse(gemini.respond(script(blocks), EMULATOR), CONTEXT)],
  ])('replays a %s signed tool-calling turn that Gemini 3 accepts', (_mode, answerOf) => {
    const answer = answerOf([{ type: 'reasoning', text: THOUGHT, signature: signReasoning('gemini', THOUGHT) }, ...CALLS]);
    expect(answer.stopReason).toBe('tool_use');
    const calls = answer.content.filter((part) => part.type === 'tool_call');
    expect(calls.map((call) => call.arguments)).toEqual(['{"city":"Oslo"}', '{"city":"Lima"}']);
    const conversation = gemini.parse(geminiUpstream.encodeRequest(nextRequest(answer, true), CONTEXT), EMULATOR);
    expect(conversation.reasoningRequested).toBe(true);
    expect(conversation.toolResults).toHaveLength(2);
    expect(conversation.replayedReasoning).toHaveLength(1);
    for (const replay of conversation.replayedReasoning) expect(verifyReasoning('gemini', replay.text, replay.signature)).toBe(true);
  });

  it.each(['streamed', 'whole'])('replays a %s text turn with its signature, verifiable', (mode) => {
    const blocks: ScriptBlock[] = [{ type: 'reasoning', text: THOUGHT, signature: signReasoning('gemini', THOUGHT) }, { type: 'text', text: 'It is 3 degrees in both.' }];
    const answer = mode === 'streamed' ? streamed(blocks) : geminiUpstream.decodeResponse(gemini.respond(script(blocks), EMULATOR), CONTEXT);
    const visible = answer.content.flatMap((part) => (part.type === 'text' ? [part.text] : []));
    expect(visible.join('')).toBe('It is 3 degrees in both.');
    const conversation = gemini.parse(geminiUpstream.encodeRequest(nextRequest(answer, false), CONTEXT), EMULATOR);
    expect(conversation.replayedReasoning).toHaveLength(1);
    const [replay] = conversation.replayedReasoning;
    expect(verifyReasoning('gemini', replay?.text ?? '', replay?.signature)).toBe(true);
  });

  it('sends a call that lost its signature with Google\'s placeholder, which Gemini 3 accepts (without it, it refuses)', () => {
    const answer = streamed([{ type: 'reasoning', text: THOUGHT, signature: signReasoning('gemini', THOUGHT) }, ...CALLS]);
    const unsigned: IrResponse = { ...answer, content: answer.content.map((part) => (part.type === 'tool_call' ? { ...part, signature: undefined } : part)) };
    const body = geminiUpstream.encodeRequest(nextRequest(unsigned, true), CONTEXT) as { contents: { parts: { functionCall?: unknown; thoughtSignature?: string }[] }[] };
    const firstCall = body.contents.flatMap((content) => content.parts).find((part) => part.functionCall);
    expect(firstCall?.thoughtSignature).toBe(UNSIGNED_CALL_SIGNATURE);
    expect(() => gemini.parse(body, EMULATOR)).not.toThrow();
    delete firstCall?.thoughtSignature;
    expect(() => gemini.parse(body, EMULATOR)).toThrow(DatabricksApiError);
  });
});
