/**
 * IR events → a Gemini stream: each `data:` frame a whole
 * `GenerateContentResponse` with only the new parts (wire-formats.md §4).
 * Text and thoughts go out as they come; a call goes out whole once its
 * arguments are complete (Gemini never streams them); the running
 * `usageMetadata` rides on every chunk once known; the last chunk carries the
 * `finishReason`. A failure is a chunk with a top-level `error`, the last.
 */
import type { ProxyError } from '../../errors/proxy-error.js';
import type { CodecContext } from '../../ir/codec.js';
import type { IrUsage } from '../../ir/response.js';
import type { SignatureProvider } from '../../ir/signatures.js';
import type { IrBlockStart, IrStreamEncoder, IrStreamEvent } from '../../ir/stream.js';
import { formatFrame } from '../../sse/parse-frame.js';
import { callPart, finishReasonOf, thoughtPart, usageMetadataOf } from './client-answer.js';
import { geminiErrorFrame } from './stream-tracker.js';
import type { Part } from './wire.js';

type OpenBlock =
  | { type: 'text' }
  | { type: 'reasoning'; provider?: SignatureProvider }
  | { type: 'tool_call'; id: string; name: string; arguments: string; signature?: { provider: SignatureProvider; value: string } };

export class GeminiStreamEncoder implements IrStreamEncoder {
  private readonly blocks = new Map<number, OpenBlock>();
  private responseId = '';
  private usage: IrUsage | undefined;
  private ended = false;

  constructor(private readonly context: CodecContext) {}

  encode(event: IrStreamEvent): string {
    if (this.ended) return '';
    switch (event.type) {
      case 'start':
        this.responseId = event.id;
        if (event.usage) this.usage = event.usage;
        return '';
      case 'usage':
        this.usage = event.usage;
        return '';
      case 'block_start':
        return this.blockStart(event.index, event.block);
      case 'delta':
        return this.delta(event.index, event.delta);
      case 'block_stop':
        return this.blockStop(event.index);
      case 'finish':
        this.ended = true;
        // Google's last chunk carries an empty text part beside the reason; clients read the content of every chunk.
        return this.chunk([{ text: '' }], finishReasonOf(event.stopReason));
      case 'error':
        return this.failure(event.error);
    }
  }

  private blockStart(index: number, block: IrBlockStart): string {
    switch (block.type) {
      case 'redacted_reasoning':
        return this.chunk([thoughtPart('', { redacted: block.data, ...(block.provider ? { provider: block.provider } : {}) })]);
      case 'tool_call':
        this.blocks.set(index, { type: 'tool_call', id: block.id, name: block.name, arguments: '', ...(block.signature ? { signature: block.signature } : {}) });
        return '';
      case 'reasoning':
        this.blocks.set(index, { type: 'reasoning', ...(block.provider ? { provider: block.provider } : {}) });
        return '';
      case 'text':
        this.blocks.set(index, { type: 'text' });
        return '';
    }
  }

  private delta(index: number, delta: Extract<IrStreamEvent, { type: 'delta' }>['delta']): string {
    const block = this.blocks.get(index);
    switch (delta.type) {
      case 'text':
        return delta.text === '' ? '' : this.chunk([{ text: delta.text }]);
      case 'reasoning':
        return delta.text === '' ? '' : this.chunk([{ text: delta.text, thought: true }]);
      case 'signature': {
        const provider = block?.type === 'reasoning' ? block.provider : undefined;
        return this.chunk([thoughtPart('', { signature: delta.signature, ...(provider ? { provider } : {}) })]);
      }
      case 'tool_args':
        if (block?.type === 'tool_call') block.arguments += delta.json;
        return '';
    }
  }

  private blockStop(index: number): string {
    const block = this.blocks.get(index);
    this.blocks.delete(index);
    return block?.type === 'tool_call' ? this.chunk([callPart(block)]) : '';
  }

  private chunk(parts: Part[], finishReason?: string): string {
    const candidate = { content: { role: 'model', parts }, ...(finishReason ? { finishReason } : {}), index: 0 };
    const body = {
      candidates: [candidate],
      ...(this.usage ? { usageMetadata: usageMetadataOf(this.usage) } : {}),
      modelVersion: this.context.clientModel,
      ...(this.responseId ? { responseId: this.responseId } : {}),
    };
    return formatFrame(JSON.stringify(body));
  }

  private failure(error: ProxyError): string {
    this.ended = true;
    return geminiErrorFrame(error);
  }
}
