import type { ProxyError } from '../errors/proxy-error.js';
import type { IrStopReason, IrUsage } from './response.js';
import type { SignatureProvider } from './signatures.js';

/**
 * The canonical stream. Decoders promise a well-formed sequence whatever the
 * upstream sent: `start` first; each block `block_start` → deltas →
 * `block_stop`, with indexes counting from 0 in order; `usage` any number of
 * times (each a cumulative snapshot); then exactly one of `finish` or `error`.
 */
export type IrStreamEvent =
  | { type: 'start'; id: string; model: string; usage?: IrUsage }
  | { type: 'block_start'; index: number; block: IrBlockStart }
  | { type: 'delta'; index: number; delta: IrDelta }
  | { type: 'block_stop'; index: number }
  | { type: 'usage'; usage: IrUsage }
  | { type: 'finish'; stopReason: IrStopReason; stopSequence?: string }
  | { type: 'error'; error: ProxyError };

export type IrBlockStart =
  | { type: 'text' }
  | { type: 'reasoning'; provider?: SignatureProvider; id?: string }
  /** Opaque reasoning (Anthropic redacted_thinking): complete at start, no deltas. */
  | { type: 'redacted_reasoning'; data: string; provider?: SignatureProvider }
  | { type: 'tool_call'; id: string; name: string; signature?: { provider: SignatureProvider; value: string } };

export type IrDelta =
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  /** The signature of the current reasoning block (replaces any earlier one). */
  | { type: 'signature'; signature: string }
  /** A fragment of the tool call's JSON arguments. */
  | { type: 'tool_args'; json: string };

/** Turns upstream SSE frames into IR events. */
export interface IrStreamDecoder {
  /**
   * One upstream frame. `parsed` is its data as a JSON object when the relay
   * has parsed it already (to check it and run the repairs): the decoder then
   * reads that object instead of parsing the text a second time.
   */
  frame(event: string | undefined, data: string, parsed?: Record<string, unknown>): IrStreamEvent[];
  /** The upstream ended: close open blocks, and emit `finish` or `error` if none came. */
  end(): IrStreamEvent[];
}

/** Turns IR events into SSE text in a client's dialect. */
export interface IrStreamEncoder {
  encode(event: IrStreamEvent): string;
}
