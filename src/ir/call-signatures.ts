/**
 * Gemini signs its function calls (a `thoughtSignature` on the call part) and
 * wants the signature back on that call in the next request. The other
 * dialects have no field on a call that could carry it, and an id must not
 * (ids would grow with the signature, past the 64 characters Responses
 * clients accept). What those clients do keep and send back is opaque
 * reasoning: Anthropic `redacted_thinking`, Responses `encrypted_content`,
 * Chat `thinking_blocks`. So toward them a call's signature travels as an
 * opaque reasoning part of its own right before its call, marked as a call
 * signature, and is put back on the call when the client replays the turn.
 * The proxy keeps nothing between requests: replicas share nothing.
 *
 * A client that replays the call without that reasoning still gets a request
 * Gemini accepts: the Gemini encoder marks an unsigned call as Google
 * documents for calls it did not sign (model-parts.ts).
 */
import type { IrMessage, IrPart, IrReasoningPart, IrRequest, IrToolCallPart } from './request.js';
import type { IrOutputPart, IrResponse } from './response.js';
import type { IrStreamEncoder, IrStreamEvent } from './stream.js';
import type { InboundCodec } from './codec.js';

const CALL_MARK = 'call.';

function carrier(signature: NonNullable<IrToolCallPart['signature']>): IrReasoningPart {
  return { type: 'reasoning', text: '', redacted: `${CALL_MARK}${signature.value}`, provider: signature.provider };
}

/** The call signature a reasoning part carries, if it is one. */
function carriedCallSignature(part: IrPart): IrToolCallPart['signature'] | undefined {
  if (part.type !== 'reasoning' || !part.provider || part.redacted === undefined || !part.redacted.startsWith(CALL_MARK)) return undefined;
  return { provider: part.provider, value: part.redacted.slice(CALL_MARK.length) };
}

/** Output parts with each call's signature moved into a carrier just before it. */
export function detachCallSignatures<T extends IrOutputPart | IrPart>(parts: readonly T[]): (T | IrReasoningPart)[] {
  return parts.flatMap((part) => {
    if (part.type !== 'tool_call' || !part.signature) return [part];
    const { signature, ...call } = part;
    return [carrier(signature), call as T];
  });
}

/** Each carrier a client sent back, put on the call after it (and taken out of the conversation). */
export function attachCallSignatures(messages: IrMessage[]): IrMessage[] {
  return messages.map((message) => {
    if (message.role !== 'assistant' || !message.parts.some((part) => carriedCallSignature(part))) return message;
    const parts: IrPart[] = [];
    let pending: IrToolCallPart['signature'];
    for (const part of message.parts) {
      const carried = carriedCallSignature(part);
      if (carried) pending = carried;
      else if (part.type === 'tool_call' && pending) {
        parts.push({ ...part, signature: pending });
        pending = undefined;
      } else parts.push(part);
    }
    return { ...message, parts };
  });
}

/**
 * The stream form: a call block that opens with a signature is preceded by a
 * carrier block, and the blocks after it move up one index (the IR's indexes
 * stay contiguous and in order).
 */
class CallSignatureStream implements IrStreamEncoder {
  private readonly indexes = new Map<number, number>();
  private shift = 0;

  constructor(private readonly inner: IrStreamEncoder) {}

  encode(event: IrStreamEvent): string {
    if (event.type === 'block_start') {
      let out = '';
      if (event.block.type === 'tool_call' && event.block.signature) {
        const { signature, ...block } = event.block;
        const at = event.index + this.shift++;
        const { redacted, provider } = carrier(signature);
        out += this.inner.encode({ type: 'block_start', index: at, block: { type: 'redacted_reasoning', data: redacted as string, ...(provider ? { provider } : {}) } });
        out += this.inner.encode({ type: 'block_stop', index: at });
        this.indexes.set(event.index, event.index + this.shift);
        return out + this.inner.encode({ ...event, index: event.index + this.shift, block });
      }
      this.indexes.set(event.index, event.index + this.shift);
      return this.inner.encode({ ...event, index: event.index + this.shift });
    }
    if (event.type === 'delta' || event.type === 'block_stop') return this.inner.encode({ ...event, index: this.indexes.get(event.index) ?? event.index + this.shift });
    return this.inner.encode(event);
  }
}

/**
 * An inbound codec whose clients cannot keep a signature on a call: call
 * signatures leave as carriers and come back onto their calls.
 */
export function withCallSignatureCarriers(codec: InboundCodec): InboundCodec {
  return {
    decodeRequest: (body, context) => {
      const request: IrRequest = codec.decodeRequest(body, context);
      return { ...request, messages: attachCallSignatures(request.messages) };
    },
    encodeResponse: (response, request, context) => {
      const detached: IrResponse = { ...response, content: detachCallSignatures(response.content) };
      return codec.encodeResponse(detached, request, context);
    },
    createStreamEncoder: (request, context) => new CallSignatureStream(codec.createStreamEncoder(request, context)),
  };
}
