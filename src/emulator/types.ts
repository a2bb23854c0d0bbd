/**
 * Shared vocabulary of the workspace emulator. The emulator is a fake
 * Databricks workspace written independently of the proxy's own codecs: it
 * must never import from src/dialects, src/repairs or src/server, so that a bug
 * in the proxy cannot be mirrored (and hidden) by the same bug here.
 */
import type { Family } from '../databricks/family.js';
import type { CacheSegment } from './prompt-cache.js';

/** One serving endpoint of the emulated workspace. */
export interface EmulatedEndpoint {
  name: string;
  /** `llm/v1/chat`, `llm/v1/embeddings`, `llm/v1/responses`, or undefined for a classic ML model. */
  task?: string;
  /** Family the emulator itself assigns (drives which paths accept it and how it reasons). */
  family: Family | 'embedding' | 'classic-ml';
  /** Foundation-model pay-per-token endpoint, an external model, a custom model or an agent. */
  kind: 'foundation' | 'external' | 'custom' | 'agent';
  /** Served on the AI Gateway paths too (false: the gateway answers ENDPOINT_NOT_FOUND). */
  onAiGateway: boolean;
  /** Human name shown in listings (`foundation_model.display_name`, the gateway's `display_name`). */
  displayName?: string;
  /** For `kind: 'external'`: the provider model behind the endpoint (`served_entities[].external_model`). */
  externalModel?: { name: string; provider: string };
  /** `foundation_model.name` when it differs from the endpoint name (names that hide the family). */
  foundationModel?: string;
  /**
   * Whether `GET /api/2.0/serving-endpoints` lists it and Model Serving paths
   * serve it (default true). False: a Unity AI Gateway model service only.
   */
  servingEndpoint?: boolean;
  /** `foundation_model.api_types` in `GET /api/2.0/serving-endpoints:foundation-models` (reference §2.1). */
  apiTypes?: readonly string[];
  /** Its Unity AI Gateway model service (reference §3.3): `system.ai.<name>` and its `supported_api_types`. */
  modelService?: { name: string; apiTypes: readonly string[] };
}

/** A tool as the model sees it, whatever the dialect. */
export interface ToolSpec {
  name: string;
  description?: string;
  /** JSON schema of the arguments (already validated to be `type: "object"`). */
  parameters: Record<string, unknown>;
}

export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

/** Reasoning the client replayed from an earlier assistant turn. */
export interface ReplayedReasoning {
  text: string;
  /** The opaque signature / encrypted_content / thoughtSignature sent back, if any. */
  signature?: string;
}

/**
 * The dialect-neutral view of a request that a dialect parser hands to the
 * scripted model. Parsers fill it from their own wire shape.
 */
export interface Conversation {
  endpoint: string;
  stream: boolean;
  /** Text of the last user message (tool results excluded). */
  lastUserText: string;
  /** All text of the request, for token counting. */
  allText: string;
  tools: ToolSpec[];
  toolChoice: ToolChoice;
  /** Tool results that follow the last assistant turn, in order. */
  toolResults: { callId: string; content: string }[];
  /** Whether the model may call several tools in one turn (false when the client disabled it). */
  parallelToolCalls: boolean;
  /** Tool calls the assistant made earlier in the conversation. */
  priorToolCalls: { callId: string; name: string }[];
  /** Whether the request asked for reasoning (thinking, reasoning effort, thinkingConfig). */
  reasoningRequested: boolean;
  replayedReasoning: ReplayedReasoning[];
  /** Token limit the client set, if any. */
  maxOutputTokens?: number;
  /** The JSON schema the answer must follow, when the request asked for structured output (response-schema.ts). */
  responseSchema?: Record<string, unknown>;
  /** The request's blocks as Claude's prompt cache sees them, when any is marked (prompt-cache.ts). */
  cacheSegments?: CacheSegment[];
}

export type ScriptBlock =
  | { type: 'reasoning'; text: string; signature: string }
  | { type: 'text'; text: string }
  | { type: 'tool_call'; callId: string; name: string; arguments: Record<string, unknown> };

export type StopReason = 'end_turn' | 'tool_use' | 'max_tokens';

export interface ScriptUsage {
  inputTokens: number;
  outputTokens: number;
  /** Part of outputTokens spent on reasoning. */
  reasoningTokens: number;
  /** Part of inputTokens read from the prompt cache. */
  cachedInputTokens: number;
  /** Part of inputTokens written to the prompt cache (Anthropic's `cache_creation_input_tokens`); absent: none. */
  cacheWriteTokens?: number;
}

/** What the scripted model "says": rendered by each dialect into its wire shape. */
export interface Script {
  /** A stable id stem for this response (dialects prefix it: msg_, resp_, chatcmpl-). */
  id: string;
  created: number;
  endpoint: string;
  blocks: ScriptBlock[];
  stop: StopReason;
  usage: ScriptUsage;
}

/** An error in Databricks' own shape: `{error_code, message}` with an HTTP status. */
export class DatabricksApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
    this.name = 'DatabricksApiError';
  }

  toBody(): { error_code: string; message: string } {
    return { error_code: this.errorCode, message: this.message };
  }
}

/** Per-request context a dialect needs to parse and render. */
export interface RenderContext {
  /** The endpoint the request addresses (from the body's `model`, or the path for Gemini). */
  endpoint: EmulatedEndpoint;
  /** Quirk switches active for this request (see switches.ts). */
  quirks: ReadonlySet<string>;
  /**
   * Gemini only: the request came in on `:streamGenerateContent` (the method in
   * the path, not the body, decides whether Gemini streams). Set by the server;
   * absent or false means `:generateContent`.
   */
  streamMethod?: boolean;
}

/**
 * One inference dialect of the emulator. `parse` validates strictly, the way
 * Databricks is documented to, and throws DatabricksApiError on bad input.
 */
export interface EmulatorDialect {
  parse(body: unknown, context: RenderContext): Conversation;
  respond(script: Script, context: RenderContext): unknown;
  /** The complete SSE text of a streamed answer, one string per frame (each ending in a blank line). */
  stream(script: Script, context: RenderContext): string[];
}
