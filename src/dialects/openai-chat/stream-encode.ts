/**
 * IR stream → a client's `chat.completion.chunk` stream.
 *
 * - Every chunk has the same id, `created`, the client's model name and
 *   choice index 0; the first one carries `role: 'assistant'`.
 * - Each tool call gets its own `index` (0, 1, …) and introduces itself once
 *   with id, type and name; argument fragments follow.
 * - Reasoning streams as `reasoning_content`; a signed block is repeated whole
 *   in one `thinking_blocks` delta at its end (the signature only exists then).
 * - Exactly one chunk has `finish_reason`; the usage chunk (`choices: []`)
 *   follows when the client asked for it (all zeros if no usage was
 *   reported, so its presence never depends on the upstream); `data: [DONE]`
 *   ends the stream.
 * - On an IR `error`: one `{"error": …}` data frame and nothing after it. The
 *   OpenAI SDKs raise on that frame and stop reading; leaving `[DONE]` out
 *   keeps the stream visibly unfinished for clients that only watch for
 *   `[DONE]`, and matches what the passthrough route sends on failure
 *   (`ChatStreamTracker`).
 */
import type { CodecContext } from '../../ir/codec.js';
import type { IrRequest } from '../../ir/request.js';
import { EMPTY_USAGE, type IrUsage } from '../../ir/response.js';
import type { SignatureProvider } from '../../ir/signatures.js';
import type { IrStreamEncoder, IrStreamEvent } from '../../ir/stream.js';
import { formatFrame } from '../../sse/parse-frame.js';
import { openAiErrorObject } from '../openai-error.js';
import { clientCallId, completionId, redactedThinkingBlock, signedThinkingBlock, unixSeconds } from './client-shapes.js';
import { chatUsage, FINISH_REASON } from './maps.js';
import type { ChatCompletionChunk, ClientDelta, FinishReason } from './wire.js';

type OpenBlock =
  | { kind: 'text' }
  | { kind: 'tool'; toolIndex: number }
  | { kind: 'reasoning'; provider: SignatureProvider | undefined; text: string; signature?: string };

export class ChatStreamEncoder implements IrStreamEncoder {
  private id = completionId(`proxy-${crypto.randomUUID()}`);
  private readonly created = unixSeconds();
  private started = false;
  private ended = false;
  private nextToolIndex = 0;
  private usage: IrUsage | undefined;
  private readonly blocks = new Map<number, OpenBlock>();

  constructor(
    private readonly includeUsage: boolean,
    private readonly model: string,
  ) {}

  encode(event: IrStreamEvent): string {
    if (this.ended) return '';
    if (event.type === 'start') return this.start(event.id, event.usage);
    if (event.type === 'error') return this.fail(event);
    return this.opening() + this.body(event);
  }

  private start(id: string, usage: IrUsage | undefined): string {
    if (usage) this.usage = usage;
    if (this.started) return '';
    this.id = completionId(id);
    return this.opening();
  }

  /** The role chunk, sent once before anything else. */
  private opening(): string {
    if (this.started) return '';
    this.started = true;
    return this.chunk({ role: 'assistant', content: '' });
  }

  private body(event: Exclude<IrStreamEvent, { type: 'start' | 'error' }>): string {
    switch (event.type) {
      case 'block_start':
        return this.blockStart(event.index, event.block);
      case 'delta':
        return this.delta(event.index, event.delta);
      case 'block_stop':
        return this.blockStop(event.index);
      case 'usage':
        this.usage = event.usage;
        return '';
      case 'finish':
        return this.finish(FINISH_REASON[event.stopReason]);
    }
  }

  private blockStart(index: number, block: Extract<IrStreamEvent, { type: 'block_start' }>['block']): string {
    switch (block.type) {
      case 'text':
        this.blocks.set(index, { kind: 'text' });
        return '';
      case 'reasoning':
        this.blocks.set(index, { kind: 'reasoning', provider: block.provider, text: '' });
        return '';
      case 'redacted_reasoning':
        // Complete at its start; nothing readable to stream.
        return this.chunk({ thinking_blocks: [redactedThinkingBlock(block.data, block.provider)] });
      case 'tool_call': {
        const toolIndex = this.nextToolIndex++;
        this.blocks.set(index, { kind: 'tool', toolIndex });
        const call = { index: toolIndex, id: clientCallId(block), type: 'function' as const, function: { name: block.name, arguments: '' } };
        return this.chunk({ tool_calls: [call] });
      }
    }
  }

  private delta(index: number, delta: Extract<IrStreamEvent, { type: 'delta' }>['delta']): string {
    const block = this.blocks.get(index);
    switch (delta.type) {
      case 'text':
        return delta.text === '' ? '' : this.chunk({ content: delta.text });
      case 'reasoning':
        if (block?.kind === 'reasoning') block.text += delta.text;
        return delta.text === '' ? '' : this.chunk({ reasoning_content: delta.text });
      case 'signature':
        if (block?.kind === 'reasoning') block.signature = delta.signature;
        return '';
      case 'tool_args':
        if (block?.kind !== 'tool' || delta.json === '') return '';
        return this.chunk({ tool_calls: [{ index: block.toolIndex, function: { arguments: delta.json } }] });
    }
  }

  private blockStop(index: number): string {
    const block = this.blocks.get(index);
    this.blocks.delete(index);
    return block ? this.closeBlock(block) : '';
  }

  private closeBlock(block: OpenBlock): string {
    if (block.kind !== 'reasoning' || block.signature === undefined) return '';
    return this.chunk({ thinking_blocks: [signedThinkingBlock(block.text, block.signature, block.provider)] });
  }

  private finish(finishReason: FinishReason): string {
    // A block left open still owes its signature.
    let text = [...this.blocks.values()].map((block) => this.closeBlock(block)).join('');
    this.blocks.clear();
    text += this.frame({ ...this.envelope(), choices: [{ index: 0, delta: {}, finish_reason: finishReason, logprobs: null }] });
    if (this.includeUsage) text += this.frame({ ...this.envelope(), choices: [], usage: chatUsage(this.usage ?? EMPTY_USAGE) });
    this.ended = true;
    return `${text}data: [DONE]\n\n`;
  }

  private fail(event: Extract<IrStreamEvent, { type: 'error' }>): string {
    this.ended = true;
    return formatFrame(JSON.stringify({ error: openAiErrorObject(event.error) }));
  }

  private chunk(delta: ClientDelta): string {
    return this.frame({ ...this.envelope(), choices: [{ index: 0, delta, finish_reason: null, logprobs: null }] });
  }

  private envelope(): Omit<ChatCompletionChunk, 'choices'> {
    return {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      // With include_usage, OpenAI marks every chunk but the last with usage: null.
      ...(this.includeUsage ? { usage: null } : {}),
    };
  }

  private frame(chunk: ChatCompletionChunk): string {
    return formatFrame(JSON.stringify(chunk));
  }
}

export function createChatStreamEncoder(request: IrRequest, context: CodecContext): IrStreamEncoder {
  return new ChatStreamEncoder(request.includeUsage === true, context.clientModel);
}
