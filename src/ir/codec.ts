import type { Family } from '../databricks/family.js';
import type { IrRequest } from './request.js';
import type { IrResponse } from './response.js';
import type { SignatureProvider } from './signatures.js';
import type { IrStreamDecoder, IrStreamEncoder } from './stream.js';

/** Which provider signs the reasoning of each family (Claude: Anthropic, GPT/Codex: OpenAI, Gemini: Google). */
export const FAMILY_SIGNER: Record<Family, SignatureProvider | undefined> = {
  claude: 'anthropic',
  gpt: 'openai',
  codex: 'openai',
  gemini: 'gemini',
  llama: undefined,
  qwen: undefined,
  gemma: undefined,
  other: undefined,
};

/** What a codec knows about the request it is translating. */
export interface CodecContext {
  /** The serving endpoint the upstream call addresses. */
  endpoint: string;
  family: Family;
  /** The model name the client asked for (echoed back in responses). */
  clientModel: string;
}

/**
 * The side of a dialect that faces clients: it reads their requests and writes
 * answers and streams in their shape. Decoding throws a ProxyError
 * (`invalid_request`, naming the field) for shapes it cannot act on.
 */
export interface InboundCodec {
  decodeRequest(body: Record<string, unknown>, context: CodecContext): IrRequest;
  encodeResponse(response: IrResponse, request: IrRequest, context: CodecContext): unknown;
  /**
   * A stream encoder for one response. It guarantees the dialect's stream
   * contract whatever it is given (terminal event always last; on an `error`
   * event, the dialect's error event followed by its terminal event).
   */
  createStreamEncoder(request: IrRequest, context: CodecContext): IrStreamEncoder;
}

/** The side of a dialect that faces a Databricks surface: it writes requests and reads answers and streams. */
export interface UpstreamCodec {
  encodeRequest(request: IrRequest, context: CodecContext): Record<string, unknown>;
  /**
   * `request` is the IR request the answer replies to: a codec that emulated
   * something upstream (structured output as a tool call on Claude) needs it
   * to undo that on the way back. Optional so that a bare answer still decodes.
   */
  decodeResponse(body: unknown, context: CodecContext, request?: IrRequest): IrResponse;
  createStreamDecoder(request: IrRequest, context: CodecContext): IrStreamDecoder;
}
