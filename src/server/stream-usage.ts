import type { InboundDialect } from '../dialects/dialect.js';
import type { IrUsage } from '../ir/response.js';

/** The token counts a stream showed before it ended (or broke): for the request's log line. */
export interface SeenUsage {
  inputTokens?: number;
  outputTokens?: number;
}

/** Reads the usage a passthrough stream's frame carries, if any, into `seen`. */
export type UsageReader = (json: Record<string, unknown>, seen: SeenUsage) => void;

/**
 * Where each dialect's stream puts its usage (reference wire-formats.md):
 * Chat in a chunk's `usage` (the trailing chunk, with include_usage);
 * Responses in the terminal event's `response.usage`; Messages in
 * `message_start.message.usage`, then cumulative `message_delta.usage`.
 * A stream cut early shows what it showed: Messages its input count, the
 * others often nothing.
 */
export const USAGE_READERS: Record<InboundDialect, UsageReader> = {
  'openai-chat': (json, seen) => take(seen, object(json.usage), 'prompt_tokens', 'completion_tokens'),
  'openai-responses': (json, seen) => take(seen, object(object(json.response)?.usage), 'input_tokens', 'output_tokens'),
  'anthropic-messages': (json, seen) => take(seen, object(object(json.message)?.usage) ?? object(json.usage), 'input_tokens', 'output_tokens'),
};

/** A translated stream's usage, from the IR's cumulative snapshots. */
export function irSeenUsage(usage: IrUsage): SeenUsage {
  return { inputTokens: usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens, outputTokens: usage.outputTokens };
}

function take(seen: SeenUsage, usage: Record<string, unknown> | undefined, input: string, output: string): void {
  if (!usage) return;
  if (typeof usage[input] === 'number') seen.inputTokens = usage[input];
  if (typeof usage[output] === 'number') seen.outputTokens = usage[output];
}

function object(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
