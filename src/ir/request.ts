/**
 * The canonical request: what every inbound dialect decodes into and every
 * upstream dialect encodes from, when the two differ. It is modelled on block
 * lifecycles (the richest of the four dialects) and keeps whatever a target
 * may carry: signatures, cache hints, ids.
 */
import type { SignatureProvider } from './signatures.js';

export interface IrRequest {
  /** The serving endpoint (already resolved from aliases). */
  model: string;
  /** System and developer instructions, in order (hoisted from wherever the inbound dialect had them). */
  system: IrTextPart[];
  messages: IrMessage[];
  tools: IrTool[];
  toolChoice?: IrToolChoice;
  /** False when the client disabled parallel tool calls. */
  parallelToolCalls?: boolean;
  maxOutputTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stopSequences?: string[];
  reasoning?: IrReasoningSettings;
  responseFormat?: IrResponseFormat;
  stream: boolean;
  /** Chat `stream_options.include_usage`: the client wants a usage chunk at the end of its stream. */
  includeUsage?: boolean;
  /** Opaque end-user id (Anthropic metadata.user_id, OpenAI user / safety_identifier). */
  user?: string;
}

export interface IrMessage {
  role: 'user' | 'assistant';
  parts: IrPart[];
}

export type IrPart = IrTextPart | IrImagePart | IrToolCallPart | IrToolResultPart | IrReasoningPart;

export interface IrTextPart {
  type: 'text';
  text: string;
  /** Anthropic prompt-cache breakpoint; dropped toward dialects without one. */
  cacheControl?: { type: 'ephemeral'; ttl?: '5m' | '1h' };
}

export interface IrImagePart {
  type: 'image';
  source: { kind: 'base64'; mediaType: string; data: string } | { kind: 'url'; url: string };
}

export interface IrToolCallPart {
  type: 'tool_call';
  /** The id that pairs the call with its result (Responses `call_id`, Anthropic `tool_use.id`, Chat `tool_calls[].id`). */
  id: string;
  name: string;
  /** Arguments as JSON text ("{}" when none). */
  arguments: string;
  /** Gemini's thoughtSignature travels on the call part it was given with. */
  signature?: { provider: SignatureProvider; value: string };
}

export interface IrToolResultPart {
  type: 'tool_result';
  callId: string;
  /** Tool name when known (Gemini's functionResponse needs it). */
  name?: string;
  content: (IrTextPart | IrImagePart)[];
  isError?: boolean;
}

/**
 * Replayable reasoning. Signatures are bound to the provider that made them:
 * encoders pass them only to that provider and drop the part elsewhere, never
 * turning reasoning into visible text.
 */
export interface IrReasoningPart {
  type: 'reasoning';
  text: string;
  signature?: string;
  /** Anthropic redacted_thinking data / Databricks summary_encrypted_text. */
  redacted?: string;
  provider?: SignatureProvider;
  /** Responses reasoning item id, kept so a native replay stays byte-faithful. */
  id?: string;
}

export interface IrTool {
  name: string;
  description?: string;
  /** JSON schema of the arguments. */
  parameters: Record<string, unknown>;
  strict?: boolean;
  cacheControl?: { type: 'ephemeral'; ttl?: '5m' | '1h' };
}

export type IrToolChoice = { type: 'auto' } | { type: 'none' } | { type: 'required' } | { type: 'tool'; name: string };

/** A reasoning effort, by the names the OpenAI APIs use. */
export type IrEffort = 'minimal' | 'low' | 'medium' | 'high' | 'xhigh' | 'max';

export interface IrReasoningSettings {
  /** Effort as the client said it; encoders map it to budgets where the target wants tokens. */
  effort?: IrEffort;
  /** Token budget as the client said it; encoders map it to an effort where the target wants one. */
  budgetTokens?: number;
  /** Whether the client asked to see reasoning summaries. */
  summary?: boolean;
}

export type IrResponseFormat =
  | { type: 'json_object' }
  | { type: 'json_schema'; name: string; schema: Record<string, unknown>; strict?: boolean };
