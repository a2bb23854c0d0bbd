import { createHash } from 'node:crypto';
import { CHARS_PER_TOKEN } from './model.js';

/**
 * Claude's prompt cache, as Anthropic documents it (prompt-caching guide):
 *
 * - The prompt is a sequence of blocks in the order tools, system, messages.
 *   A block marked with `cache_control` is a breakpoint: the prefix up to and
 *   including it may be written to the cache, keyed by its exact content.
 * - A request reads the longest cached prefix it can find: at each
 *   breakpoint, and at up to 20 block boundaries before it (the lookback).
 * - It writes the prefix up to each breakpoint that is not cached yet; the
 *   tokens from the end of what was read to the last breakpoint are
 *   `cache_creation_input_tokens`, what was read `cache_read_input_tokens`,
 *   and the rest `input_tokens`.
 * - A prefix shorter than the model's minimum cacheable length is neither
 *   written nor read (no error: caching silently does not happen).
 * - An entry lives 5 minutes (`ttl: "1h"`: an hour) from its last use; a
 *   read refreshes it.
 *
 * Entries belong to one endpoint. `cache_control` itself is not part of a
 * block's content for the key: moving a mark does not change the prefix.
 * The emulator counts tokens as characters / 4, like the rest of its usage.
 */
export interface CacheSegment {
  /** The block's content, as it identifies the prefix (cache_control left out). */
  content: string;
  /** Characters it adds to the request's text (the emulator's token measure). */
  chars: number;
  /** Set on a block marked with `cache_control`. */
  ttlMs?: number;
}

export interface CacheOutcome {
  readTokens: number;
  writeTokens: number;
}

const LOOKBACK_BLOCKS = 20;
export const TTL_MS = { '5m': 5 * 60_000, '1h': 60 * 60_000 } as const;

/**
 * Minimum cacheable prompt length per model, first match wins (Anthropic's
 * prompt-caching guide; Opus 5's 512 as listed by LiteLLM's caching docs).
 * Opus 5.5 is not in either list: it is taken to follow Opus 5.
 */
const MINIMUM_TOKENS: readonly [RegExp, number][] = [
  [/opus-5|fable-5|mythos-5/, 512],
  [/opus-4-[5-7]|haiku-4-5/, 4096],
  [/haiku-3/, 2048],
  [/./, 1024],
];

export function minimumCacheableTokens(endpoint: string): number {
  return MINIMUM_TOKENS.find(([pattern]) => pattern.test(endpoint))?.[1] ?? 1024;
}

export class PromptCache {
  private readonly entries = new Map<string, { expiresAt: number; ttlMs: number }>();
  /** Added to the clock: tests move time forward to let entries expire. */
  private skewMs = 0;

  advance(ms: number): void {
    this.skewMs += ms;
  }

  clear(): void {
    this.entries.clear();
  }

  /** Reads and writes the cache for one request's blocks; returns the token split. */
  apply(endpoint: string, segments: readonly CacheSegment[]): CacheOutcome {
    const now = Date.now() + this.skewMs;
    const minimum = minimumCacheableTokens(endpoint);
    const keys: string[] = [];
    const tokens: number[] = [];
    let hash = createHash('sha256').update(endpoint).digest('hex');
    let chars = 0;
    for (const segment of segments) {
      hash = createHash('sha256').update(hash).update(segment.content).digest('hex');
      chars += segment.chars;
      keys.push(hash);
      tokens.push(Math.floor(chars / CHARS_PER_TOKEN));
    }
    const breakpoints = segments.flatMap((segment, i) => (segment.ttlMs !== undefined ? [i] : []));

    let readEnd = -1;
    for (const point of breakpoints) {
      for (let i = point; i >= Math.max(0, point - LOOKBACK_BLOCKS); i -= 1) {
        const entry = this.entries.get(keys[i] ?? '');
        if (!entry || entry.expiresAt <= now) continue;
        entry.expiresAt = now + entry.ttlMs;
        readEnd = Math.max(readEnd, i);
        break;
      }
    }
    const readTokens = readEnd >= 0 ? (tokens[readEnd] ?? 0) : 0;

    let writeEnd = readEnd;
    for (const point of breakpoints) {
      const length = tokens[point] ?? 0;
      if (point <= readEnd || length < minimum) continue;
      const ttlMs = segments[point]?.ttlMs ?? TTL_MS['5m'];
      this.entries.set(keys[point] ?? '', { expiresAt: now + ttlMs, ttlMs });
      writeEnd = Math.max(writeEnd, point);
    }
    const writeTokens = writeEnd > readEnd ? (tokens[writeEnd] ?? 0) - readTokens : 0;
    return { readTokens, writeTokens };
  }
}
