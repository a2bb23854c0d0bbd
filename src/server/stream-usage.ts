import type { InboundDialect } from '../dialects/dialect.js';
import type { IrUsage } from '../ir/response.js';

/**
 * The token counts an answer showed (a stream before it ended or broke): for
 * the request's log line. `inputTokens` is every input token, cached ones
 * included (OpenAI's convention, whatever the dialect); the cache fields say
 * how many of them were read from or written to the prompt cache.
 */
export interface SeenUsage {
  inputTokens?: number;
  outputTokens?: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
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
  'openai-chat': (json, seen) => takeOpenAi(seen, object(json.usage), CHAT_FIELDS),
  'openai-responses': (json, seen) => takeOpenAi(seen, object(object(json.response)?.usage), RESPONSES_FIELDS),
  'anthropic-messages': (json, seen) => takeAnthropic(seen, object(object(json.message)?.usage) ?? object(json.usage)),
};

/** The usage of a whole answer in the client's dialect (its top-level `usage`). */
export function wholeAnswerUsage(inbound: InboundDialect, answer: unknown): SeenUsage {
  const seen: SeenUsage = {};
  const json = typeof answer === 'string' ? parse(answer) : object(answer);
  const usage = object(json?.usage);
  if (inbound === 'anthropic-messages') takeAnthropic(seen, usage);
  else takeOpenAi(seen, usage, inbound === 'openai-chat' ? CHAT_FIELDS : RESPONSES_FIELDS);
  return seen;
}

/** A translated stream's usage, from the IR's cumulative snapshots. */
export function irSeenUsage(usage: IrUsage): SeenUsage {
  return {
    inputTokens: usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens,
    outputTokens: usage.outputTokens,
    cacheReadTokens: usage.cacheReadTokens,
    cacheWriteTokens: usage.cacheWriteTokens,
  };
}

interface OpenAiFields {
  input: string;
  output: string;
  details: string;
}
const CHAT_FIELDS: OpenAiFields = { input: 'prompt_tokens', output: 'completion_tokens', details: 'prompt_tokens_details' };
const RESPONSES_FIELDS: OpenAiFields = { input: 'input_tokens', output: 'output_tokens', details: 'input_tokens_details' };

/** OpenAI's dialects count cached tokens inside the input total, and name them in its details. */
function takeOpenAi(seen: SeenUsage, usage: Record<string, unknown> | undefined, fields: OpenAiFields): void {
  if (!usage) return;
  if (typeof usage[fields.input] === 'number') seen.inputTokens = usage[fields.input] as number;
  if (typeof usage[fields.output] === 'number') seen.outputTokens = usage[fields.output] as number;
  const details = object(usage[fields.details]);
  if (typeof details?.cached_tokens === 'number') seen.cacheReadTokens = details.cached_tokens;
  if (typeof details?.cache_write_tokens === 'number') seen.cacheWriteTokens = details.cache_write_tokens;
}

/** Anthropic counts cache reads and writes beside `input_tokens`; the log line's input is their sum. */
function takeAnthropic(seen: SeenUsage, usage: Record<string, unknown> | undefined): void {
  if (!usage) return;
  if (typeof usage.cache_read_input_tokens === 'number') seen.cacheReadTokens = usage.cache_read_input_tokens;
  if (typeof usage.cache_creation_input_tokens === 'number') seen.cacheWriteTokens = usage.cache_creation_input_tokens;
  if (typeof usage.input_tokens === 'number') seen.inputTokens = usage.input_tokens + (seen.cacheReadTokens ?? 0) + (seen.cacheWriteTokens ?? 0);
  if (typeof usage.output_tokens === 'number') seen.outputTokens = usage.output_tokens;
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    return object(JSON.parse(text));
  } catch {
    return undefined;
  }
}

function object(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
