import type { Dialect, InboundDialect } from '../dialects/dialect.js';
import type { IrUsage } from '../ir/response.js';

/**
 * The token counts an answer showed (a stream before it ended or broke, or a
 * whole answer): for the request's log line, metrics and usage history.
 * `inputTokens` counts every input token, cache reads and writes included;
 * `outputTokens` includes reasoning.
 */
export interface SeenUsage {
  inputTokens?: number;
  outputTokens?: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  reasoningTokens?: number;
}

/** Reads the usage a passthrough stream's frame carries, if any, into `seen`. */
export type UsageReader = (json: Record<string, unknown>, seen: SeenUsage) => void;

/** Reads one dialect's usage object (whatever its place in the answer) into `seen`. */
type UsageObjectReader = (usage: Record<string, unknown>, seen: SeenUsage) => void;

/**
 * Each dialect's usage object (reference wire-formats.md): Chat and Responses
 * count cached input inside the input count; Messages counts it apart (cache
 * reads and writes); Gemini counts thoughts apart from the candidates.
 */
const USAGE_OBJECTS: Record<Dialect, UsageObjectReader> = {
  'openai-chat': (usage, seen) => {
    set(seen, 'inputTokens', usage.prompt_tokens);
    set(seen, 'outputTokens', usage.completion_tokens);
    openAiCache(seen, object(usage.prompt_tokens_details));
    set(seen, 'reasoningTokens', object(usage.completion_tokens_details)?.reasoning_tokens);
  },
  'openai-responses': (usage, seen) => {
    set(seen, 'inputTokens', usage.input_tokens);
    set(seen, 'outputTokens', usage.output_tokens);
    openAiCache(seen, object(usage.input_tokens_details));
    set(seen, 'reasoningTokens', object(usage.output_tokens_details)?.reasoning_tokens);
  },
  'anthropic-messages': (usage, seen) => {
    set(seen, 'cacheReadTokens', usage.cache_read_input_tokens);
    set(seen, 'cacheWriteTokens', usage.cache_creation_input_tokens);
    if (typeof usage.input_tokens === 'number') seen.inputTokens = usage.input_tokens + (seen.cacheReadTokens ?? 0) + (seen.cacheWriteTokens ?? 0);
    set(seen, 'outputTokens', usage.output_tokens);
  },
  gemini: (usage, seen) => {
    set(seen, 'inputTokens', usage.promptTokenCount);
    set(seen, 'cacheReadTokens', usage.cachedContentTokenCount);
    set(seen, 'reasoningTokens', usage.thoughtsTokenCount);
    if (typeof usage.candidatesTokenCount === 'number') seen.outputTokens = usage.candidatesTokenCount + (seen.reasoningTokens ?? 0);
  },
};

/**
 * Where each dialect's stream puts its usage (reference wire-formats.md):
 * Chat in a chunk's `usage` (the trailing chunk, with include_usage);
 * Responses in the terminal event's `response.usage`; Messages in
 * `message_start.message.usage`, then cumulative `message_delta.usage`.
 * A stream cut early shows what it showed: Messages its input count, the
 * others often nothing.
 */
export const USAGE_READERS: Record<InboundDialect, UsageReader> = {
  'openai-chat': (json, seen) => read('openai-chat', object(json.usage), seen),
  'openai-responses': (json, seen) => read('openai-responses', object(object(json.response)?.usage), seen),
  'anthropic-messages': (json, seen) => read('anthropic-messages', object(object(json.message)?.usage) ?? object(json.usage), seen),
  // A running total on every chunk.
  gemini: (json, seen) => read('gemini', object(json.usageMetadata), seen),
};

/** The key of the usage object in a whole answer of each dialect. */
const ANSWER_USAGE_KEY: Record<Dialect, string> = {
  'openai-chat': '"usage"',
  'openai-responses': '"usage"',
  'anthropic-messages': '"usage"',
  gemini: '"usageMetadata"',
};

/**
 * The usage of a whole (non-streamed) upstream answer, read from its text
 * without parsing the whole answer (a passthrough answer no repair touches
 * is never parsed): the usage object is the last one under its key, and only
 * that small object is parsed. Undefined when the answer shows none.
 */
export function answerUsage(dialect: Dialect, text: string): SeenUsage | undefined {
  const key = ANSWER_USAGE_KEY[dialect];
  const at = text.lastIndexOf(key);
  if (at < 0) return undefined;
  const json = objectAt(text, text.indexOf('{', at + key.length));
  if (!json) return undefined;
  const seen: SeenUsage = {};
  USAGE_OBJECTS[dialect](json, seen);
  return seen;
}

/** A translated stream's usage, from the IR's cumulative snapshots. */
export function irSeenUsage(usage: IrUsage): SeenUsage {
  return {
    inputTokens: usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens,
    outputTokens: usage.outputTokens,
    cacheReadTokens: usage.cacheReadTokens,
    cacheWriteTokens: usage.cacheWriteTokens,
    reasoningTokens: usage.reasoningTokens,
  };
}

/** OpenAI's dialects count cached tokens inside the input total, and name them in the input's details. */
function openAiCache(seen: SeenUsage, details: Record<string, unknown> | undefined): void {
  set(seen, 'cacheReadTokens', details?.cached_tokens);
  set(seen, 'cacheWriteTokens', details?.cache_write_tokens);
}

function read(dialect: Dialect, usage: Record<string, unknown> | undefined, seen: SeenUsage): void {
  if (usage) USAGE_OBJECTS[dialect](usage, seen);
}

function set(seen: SeenUsage, field: keyof SeenUsage, value: unknown): void {
  if (typeof value === 'number') seen[field] = value;
}

/** The JSON object starting at `start` (a `{`), parsed; undefined when there is none or it does not parse. */
function objectAt(text: string, start: number): Record<string, unknown> | undefined {
  if (start < 0) return undefined;
  let depth = 0;
  let inString = false;
  for (let index = start; index < text.length; index += 1) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index += 1;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{') depth += 1;
    else if (char === '}' && --depth === 0) {
      try {
        return object(JSON.parse(text.slice(start, index + 1)));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

function object(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
