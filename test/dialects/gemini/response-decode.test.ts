import { describe, expect, it } from 'vitest';
import { ProxyError } from '../../../src/errors/proxy-error.js';
import { geminiUpstream } from '../../../src/dialects/gemini/codec.js';
import { foldAnswer } from '../../../src/dialects/gemini/answer-fold.js';
import { CONTEXT, decodeFixture, fixtureChunks } from './support.js';

describe('gemini whole-answer decoding', () => {
  it('reads thoughts, text with its signature, a signed call and usage', () => {
    const answer = geminiUpstream.decodeResponse(
      {
        candidates: [
          {
            content: {
              role: 'model',
              parts: [
                { text: 'Need the file first.', thought: true },
                { text: 'Reading it now.' },
                { functionCall: { name: 'read_file', args: { path: 'a.ts' } }, thoughtSignature: 'SIGwhole1' },
              ],
            },
            finishReason: 'STOP',
            index: 0,
          },
        ],
        usageMetadata: { promptTokenCount: 100, cachedContentTokenCount: 60, candidatesTokenCount: 9, thoughtsTokenCount: 30, totalTokenCount: 139 },
        modelVersion: 'gemini-2.5-pro',
        responseId: 'W1',
      },
      CONTEXT,
    );
    expect(answer).toEqual({
      id: 'W1',
      model: 'gemini-2.5-pro',
      content: [
        { type: 'reasoning', text: 'Need the file first.', provider: 'gemini' },
        { type: 'text', text: 'Reading it now.' },
        { type: 'tool_call', id: 'call_gemini_W1_0', name: 'read_file', arguments: '{"path":"a.ts"}', signature: { provider: 'gemini', value: 'SIGwhole1' } },
      ],
      stopReason: 'tool_use',
      usage: { inputTokens: 40, outputTokens: 39, cacheReadTokens: 60, cacheWriteTokens: 0, reasoningTokens: 30 },
    });
  });

  it('keeps the signature Gemini puts on the last text part, apart from the visible text', () => {
    const answer = geminiUpstream.decodeResponse(
      { candidates: [{ content: { parts: [{ text: 'Hello.', thoughtSignature: 'SIGtext9' }] }, finishReason: 'STOP' }], responseId: 'W2' },
      CONTEXT,
    );
    expect(answer.content).toEqual([
      { type: 'text', text: 'Hello.' },
      { type: 'reasoning', text: '', signature: 'SIGtext9', provider: 'gemini' },
    ]);
    expect(answer.stopReason).toBe('end_turn');
    expect(answer.model).toBe('databricks-gemini-3-pro');
  });

  it('reads a blocked prompt as a refusal with no content', () => {
    const answer = geminiUpstream.decodeResponse({ promptFeedback: { blockReason: 'SAFETY' }, usageMetadata: { promptTokenCount: 7, totalTokenCount: 7 } }, CONTEXT);
    expect(answer.content).toEqual([]);
    expect(answer.stopReason).toBe('refusal');
    expect(answer.usage.inputTokens).toBe(7);
  });

  it('takes an answer without finishReason as complete', () => {
    const answer = geminiUpstream.decodeResponse({ candidates: [{ content: { parts: [{ text: 'ok' }] } }] }, CONTEXT);
    expect(answer.stopReason).toBe('end_turn');
    expect(answer.content).toEqual([{ type: 'text', text: 'ok' }]);
  });

  it('throws the ProxyError an error body carries', () => {
    const google = () => geminiUpstream.decodeResponse({ error: { code: 400, message: 'Function call is missing a thought_signature in functionCall parts', status: 'INVALID_ARGUMENT' } }, CONTEXT);
    expect(google).toThrow(ProxyError);
    expect(google).toThrow(/thought_signature/);
    try {
      google();
    } catch (error) {
      expect((error as ProxyError).kind).toBe('invalid_request');
      expect((error as ProxyError).status).toBe(400);
      expect((error as ProxyError).upstreamCode).toBe('INVALID_ARGUMENT');
    }
    expect(() => geminiUpstream.decodeResponse({ error_code: 'ENDPOINT_NOT_FOUND', message: 'no such endpoint' }, CONTEXT)).toThrow('no such endpoint');
    expect(() => geminiUpstream.decodeResponse([], CONTEXT)).toThrow(ProxyError);
  });

  it('gives the same answer as the stream of the same content', () => {
    for (const name of ['reasoning', 'tool-calls', 'text']) {
      const chunks = fixtureChunks(name);
      // A whole answer is the chunks' parts in one candidate, with the last chunk's usage and finish.
      const parts = chunks.flatMap((chunk) => ((chunk.candidates as { content: { parts: unknown[] } }[])[0]?.content.parts ?? []));
      const last = chunks.at(-1) as Record<string, unknown>;
      const finishReason = (last.candidates as { finishReason: string }[])[0]?.finishReason;
      const whole = { ...last, candidates: [{ content: { role: 'model', parts }, finishReason, index: 0 }] };
      expect(geminiUpstream.decodeResponse(whole, CONTEXT)).toEqual(foldAnswer(decodeFixture(name)));
    }
  });
});
