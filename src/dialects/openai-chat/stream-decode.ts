/**
 * Databricks `chat.completion.chunk` frames → the IR stream.
 *
 * - Reasoning comes as Databricks list content (`delta.content` arrays of
 *   reasoning items: summary_text pieces, a signature, encrypted entries) or
 *   as `reasoning_content` strings (other upstreams). A reasoning text after
 *   the block's signature starts a new block.
 * - Tool calls are keyed by their `index` (see ToolCallSequencer).
 * - Every choice is read as choice 0: the proxy never asks for more than one,
 *   and some layers number pieces of one answer as separate choices.
 * - `finish` is held until usage arrives after it (the trailing `choices: []`
 *   chunk), `[DONE]`, or the end of the stream, so usage always precedes it.
 * - The stream ending without a `finish_reason` (and without `[DONE]`) is an
 *   upstream failure; a missing `[DONE]` after a finish_reason is not.
 */
import type { CodecContext } from '../../ir/codec.js';
import { FAMILY_SIGNER } from '../../ir/codec.js';
import { ProxyError } from '../../errors/proxy-error.js';
import type { SignatureProvider } from '../../ir/signatures.js';
import type { IrStreamDecoder, IrStreamEvent } from '../../ir/stream.js';
import { googleSignature } from './gemini-signature.js';
import { IrBlocks } from '../common/ir-blocks.js';
import { isRecord, type JsonObject, parseObject, stringOr } from '../common/json.js';
import { irUsage } from './maps.js';
import { ToolCallSequencer } from './tool-call-sequencer.js';
import { errorInBody } from '../common/upstream-error.js';
import { upstreamStopReason } from './upstream-read.js';

export class ChatStreamDecoder implements IrStreamDecoder {
  private readonly out: IrStreamEvent[] = [];
  private readonly blocks = new IrBlocks(this.out);
  private readonly tools = new ToolCallSequencer(this.blocks, () => `call_${crypto.randomUUID()}`);
  private readonly provider: SignatureProvider | undefined;
  private started = false;
  private done = false;
  private finishReason: string | undefined;

  constructor(private readonly context: CodecContext) {
    this.provider = FAMILY_SIGNER[context.family];
  }

  frame(_event: string | undefined, data: string, parsed?: JsonObject): IrStreamEvent[] {
    if (this.done) return [];
    if (!parsed && data === '[DONE]') return this.completed();
    const chunk = parsed ?? parseObject(data);
    if (!chunk) return this.fail(new ProxyError('upstream', 'the upstream sent a stream chunk that is not a JSON object'));
    const error = errorInBody(chunk);
    if (error) return this.fail(error);
    this.start(chunk);
    const choices = Array.isArray(chunk.choices) ? chunk.choices.filter(isRecord) : [];
    for (const choice of choices) this.choice(choice);
    if (isRecord(chunk.usage)) {
      this.out.push({ type: 'usage', usage: irUsage(chunk.usage) });
      // OpenAI's trailing usage chunk is the last thing before [DONE]: nothing can follow the finish now.
      if (this.finishReason !== undefined && choices.length === 0) this.terminate();
    }
    return this.drain();
  }

  end(): IrStreamEvent[] {
    if (this.done) return [];
    if (this.finishReason === undefined) return this.fail(new ProxyError('upstream', 'the upstream stream ended before a finish_reason'));
    this.terminate();
    return this.drain();
  }

  /** `[DONE]` is the upstream's own end marker: without a finish_reason, the reason is inferred from what came. */
  private completed(): IrStreamEvent[] {
    this.start({});
    this.terminate();
    return this.drain();
  }

  private start(chunk: JsonObject): void {
    if (this.started) return;
    this.started = true;
    const id = stringOr(chunk.id) || `chatcmpl-${crypto.randomUUID()}`;
    this.out.push({ type: 'start', id, model: stringOr(chunk.model) || this.context.endpoint });
  }

  private choice(choice: JsonObject): void {
    const delta = isRecord(choice.delta) ? choice.delta : {};
    const reasoning = stringOr(delta.reasoning_content);
    if (reasoning) this.reasoningText(reasoning);
    if (typeof delta.content === 'string' && delta.content !== '') this.text(delta.content);
    if (Array.isArray(delta.content)) delta.content.filter(isRecord).forEach((item) => this.contentItem(item));
    if (Array.isArray(delta.tool_calls)) delta.tool_calls.filter(isRecord).forEach((call, position) => this.toolCall(call, position));
    const finishReason = stringOr(choice.finish_reason);
    if (finishReason) {
      this.finishReason = finishReason;
      this.closeBlocks();
    }
  }

  private contentItem(item: JsonObject): void {
    if (item.type === 'text' && typeof item.text === 'string' && item.text !== '') this.text(item.text);
    if (item.type !== 'reasoning' || !Array.isArray(item.summary)) return;
    for (const entry of item.summary.filter(isRecord)) {
      if (entry.type === 'summary_text') {
        const text = stringOr(entry.text);
        if (text) this.reasoningText(text);
        const signature = stringOr(entry.signature);
        if (signature) this.signature(signature);
      } else if (entry.type === 'summary_encrypted_text' && typeof entry.data === 'string') {
        this.closeBlocks();
        this.blocks.start({ type: 'redacted_reasoning', data: entry.data, ...this.providerField() });
        this.blocks.close();
      }
    }
  }

  private text(text: string): void {
    if (this.blocks.current?.kind !== 'text') this.openBlock({ type: 'text' });
    this.blocks.delta({ type: 'text', text });
  }

  private reasoningText(text: string): void {
    const current = this.blocks.current;
    if (current?.kind !== 'reasoning' || current.signed) this.openBlock({ type: 'reasoning', ...this.providerField() });
    this.blocks.delta({ type: 'reasoning', text });
  }

  /** A signature closes its block's text; one that arrives alone signs an empty block (Anthropic keeps those). */
  private signature(signature: string): void {
    const current = this.blocks.current;
    if (current?.kind !== 'reasoning' || current.signed) this.openBlock({ type: 'reasoning', ...this.providerField() });
    this.blocks.delta({ type: 'signature', signature });
  }

  private toolCall(call: JsonObject, position: number): void {
    const fn = isRecord(call.function) ? call.function : {};
    const signature = googleSignature(call.extra_content);
    const key = typeof call.index === 'number' ? call.index : position;
    this.tools.fragment(key, {
      ...(stringOr(call.id) ? { id: call.id as string } : {}),
      ...(stringOr(fn.name) ? { name: fn.name as string } : {}),
      ...(stringOr(fn.arguments) ? { arguments: fn.arguments as string } : {}),
      ...(signature ? { signature } : {}),
    });
  }

  private openBlock(block: Parameters<IrBlocks['start']>[0]): void {
    this.tools.flush();
    this.blocks.start(block);
  }

  private closeBlocks(): void {
    this.tools.flush();
    this.blocks.close();
  }

  private providerField(): { provider?: SignatureProvider } {
    return this.provider ? { provider: this.provider } : {};
  }

  /** The usage (already out) is followed by the held finish. */
  private terminate(): void {
    this.closeBlocks();
    this.out.push({ type: 'finish', stopReason: upstreamStopReason(this.finishReason, this.tools.count > 0) });
    this.done = true;
  }

  private fail(error: ProxyError): IrStreamEvent[] {
    this.start({});
    this.closeBlocks();
    this.out.push({ type: 'error', error });
    this.done = true;
    return this.drain();
  }

  private drain(): IrStreamEvent[] {
    return this.out.splice(0);
  }
}

export function createChatStreamDecoder(context: CodecContext): IrStreamDecoder {
  return new ChatStreamDecoder(context);
}
