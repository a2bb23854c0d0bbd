/**
 * Databricks Gemini stream chunks → the IR stream. Each `data:` frame is a
 * complete GenerateContentResponse with only the new parts (wire-formats.md
 * §4); there are no event names and no `[DONE]`.
 *
 * - Only the first candidate is read: the proxy never asks for more.
 * - `usageMetadata` is a running total on every chunk: each one with counts
 *   becomes an IR usage snapshot.
 * - The chunk with `finishReason` ends the answer; later chunks may still
 *   bring usage, so `finish` is held until the upstream ends.
 * - A prompt blocked before any answer (`promptFeedback.blockReason`, no
 *   candidates) ends as a refusal.
 * - A chunk with an `error` (Google's or Databricks' shape) ends the stream as
 *   an IR error; so does the upstream ending before any `finishReason`.
 */
import { ProxyError } from '../../errors/proxy-error.js';
import type { CodecContext } from '../../ir/codec.js';
import type { IrUsage } from '../../ir/response.js';
import type { IrStreamDecoder, IrStreamEvent } from '../../ir/stream.js';
import { IrBlocks } from '../common/ir-blocks.js';
import { callIdMinter } from './call-ids.js';
import { isRecord, type JsonObject, parseObject, stringOr } from '../common/json.js';
import { hasTokenCounts, irUsageOf, stopReasonOf } from './maps.js';
import { PartsReader } from './parts-reader.js';
import { errorInBody } from './upstream-error.js';

export interface GeminiDecoderOptions {
  /**
   * The input is one whole `generateContent` answer: an answer without a
   * `finishReason` is complete anyway (a natural end), not cut short.
   */
  wholeAnswer?: boolean;
}

export class GeminiStreamDecoder implements IrStreamDecoder {
  private readonly out: IrStreamEvent[] = [];
  private readonly blocks = new IrBlocks(this.out);
  private parts: PartsReader | undefined;
  private done = false;
  /** The `finishReason` given, or `blocked` for a prompt refused before any answer. */
  private ending: { finishReason: string } | { blocked: true } | undefined;

  constructor(
    private readonly context: CodecContext,
    private readonly options: GeminiDecoderOptions = {},
  ) {}

  frame(_event: string | undefined, data: string, parsed?: JsonObject): IrStreamEvent[] {
    if (this.done) return [];
    // Not Gemini's, but a relay in between may add OpenAI's end marker: the upstream's end decides.
    if (!parsed && data.trim() === '[DONE]') return [];
    const chunk = parsed ?? parseObject(data);
    if (!chunk) return this.fail(new ProxyError('upstream', 'the upstream sent a stream chunk that is not a JSON object'));
    return this.chunk(chunk);
  }

  /** One GenerateContentResponse (a parsed stream chunk, or a whole answer). */
  chunk(chunk: JsonObject): IrStreamEvent[] {
    if (this.done) return [];
    const error = errorInBody(chunk);
    if (error) return this.fail(error);
    const parts = this.start(chunk);
    // Content after the finish has no place in the answer; only usage is still read.
    if (!this.ending) this.content(chunk, parts);
    const usage = usageOf(chunk);
    if (usage) this.out.push({ type: 'usage', usage });
    return this.drain();
  }

  end(): IrStreamEvent[] {
    if (this.done) return [];
    const ending = this.ending ?? (this.options.wholeAnswer ? { finishReason: 'STOP' } : undefined);
    if (!ending) return this.fail(new ProxyError('upstream', 'the upstream stream ended before a finishReason'));
    const parts = this.start({});
    parts.flush();
    this.blocks.close();
    const stopReason = 'blocked' in ending ? 'refusal' : stopReasonOf(ending.finishReason, parts.calls > 0);
    this.out.push({ type: 'finish', stopReason });
    this.done = true;
    return this.drain();
  }

  private content(chunk: JsonObject, parts: PartsReader): void {
    const candidate = firstCandidate(chunk);
    if (!candidate) {
      const feedback = isRecord(chunk.promptFeedback) ? chunk.promptFeedback : undefined;
      if (feedback && stringOr(feedback.blockReason)) this.ending = { blocked: true };
      return;
    }
    const content = isRecord(candidate.content) ? candidate.content : {};
    if (Array.isArray(content.parts)) content.parts.filter(isRecord).forEach((part) => parts.part(part));
    const finishReason = stringOr(candidate.finishReason);
    if (!finishReason) return;
    this.ending = { finishReason };
    // The answer is complete: its last block closes now, only the finish waits.
    parts.flush();
    this.blocks.close();
  }

  /** `start` goes out with the first chunk; its ids also seed the minted call ids. */
  private start(chunk: JsonObject): PartsReader {
    if (this.parts) return this.parts;
    const responseId = stringOr(chunk.responseId) || undefined;
    this.parts = new PartsReader(this.blocks, callIdMinter(responseId));
    const usage = usageOf(chunk);
    this.out.push({
      type: 'start',
      id: responseId ?? `gemini-${crypto.randomUUID()}`,
      model: stringOr(chunk.modelVersion) || this.context.endpoint,
      ...(usage ? { usage } : {}),
    });
    return this.parts;
  }

  private fail(error: ProxyError): IrStreamEvent[] {
    this.start({});
    this.blocks.close();
    this.out.push({ type: 'error', error });
    this.done = true;
    return this.drain();
  }

  private drain(): IrStreamEvent[] {
    return this.out.splice(0);
  }
}

/** The chunk's running usage total, when it has counts (early chunks may carry only `trafficType`). */
function usageOf(chunk: JsonObject): IrUsage | undefined {
  return isRecord(chunk.usageMetadata) && hasTokenCounts(chunk.usageMetadata) ? irUsageOf(chunk.usageMetadata) : undefined;
}

/** The candidate of index 0 (or the first one given). */
function firstCandidate(chunk: JsonObject): JsonObject | undefined {
  const candidates = Array.isArray(chunk.candidates) ? chunk.candidates.filter(isRecord) : [];
  return candidates.find((candidate) => (candidate.index ?? 0) === 0) ?? candidates[0];
}

export function createGeminiStreamDecoder(context: CodecContext): IrStreamDecoder {
  return new GeminiStreamDecoder(context);
}
