import { describe, expect, it } from 'vitest';
import { minimumCacheableTokens, PromptCache, TTL_MS, type CacheSegment } from '../../src/emulator/prompt-cache.js';

/** Blocks of `chars` characters each (chars / 4 tokens), marked where `marks` says. */
function blocks(count: number, chars: number, marks: number[], ttlMs: number = TTL_MS['5m']): CacheSegment[] {
  return Array.from({ length: count }, (_, i) => ({ content: `block ${i}`, chars, ...(marks.includes(i) ? { ttlMs } : {}) }));
}

const SONNET = 'databricks-claude-sonnet-4-6'; // 1,024-token minimum

describe('emulated prompt cache', () => {
  it('writes the prefix up to the last mark, then reads it', () => {
    const cache = new PromptCache();
    expect(cache.apply(SONNET, blocks(3, 2400, [1]))).toEqual({ readTokens: 0, writeTokens: 1200 });
    expect(cache.apply(SONNET, blocks(3, 2400, [1]))).toEqual({ readTokens: 1200, writeTokens: 0 });
  });

  it('reads the longest cached prefix and writes only what lies beyond it', () => {
    const cache = new PromptCache();
    cache.apply(SONNET, blocks(4, 2400, [1]));
    expect(cache.apply(SONNET, blocks(4, 2400, [1, 3]))).toEqual({ readTokens: 1200, writeTokens: 1200 });
  });

  it('finds an earlier prefix within 20 blocks before a mark, not further', () => {
    const cache = new PromptCache();
    cache.apply(SONNET, blocks(2, 2400, [1]));
    expect(cache.apply(SONNET, blocks(22, 2400, [21])).readTokens).toBe(1200);
    const far = new PromptCache();
    far.apply(SONNET, blocks(2, 2400, [1]));
    expect(far.apply(SONNET, blocks(23, 2400, [22])).readTokens).toBe(0);
  });

  it('caches nothing below the model minimum', () => {
    const cache = new PromptCache();
    expect(cache.apply(SONNET, blocks(2, 2000, [0]))).toEqual({ readTokens: 0, writeTokens: 0 });
    expect(cache.apply(SONNET, blocks(2, 2000, [0]))).toEqual({ readTokens: 0, writeTokens: 0 });
    expect(minimumCacheableTokens('databricks-claude-opus-4-6')).toBe(4096);
    expect(minimumCacheableTokens('databricks-claude-opus-5-5')).toBe(512);
  });

  it('forgets an entry 5 minutes after its last use; a read refreshes it; 1h lives longer', () => {
    const cache = new PromptCache();
    cache.apply(SONNET, blocks(2, 4000, [1]));
    cache.advance(4 * 60_000);
    expect(cache.apply(SONNET, blocks(2, 4000, [1])).readTokens).toBe(2000);
    cache.advance(4 * 60_000);
    expect(cache.apply(SONNET, blocks(2, 4000, [1])).readTokens).toBe(2000);
    cache.advance(6 * 60_000);
    expect(cache.apply(SONNET, blocks(2, 4000, [1]))).toEqual({ readTokens: 0, writeTokens: 2000 });
    const hour = new PromptCache();
    hour.apply(SONNET, blocks(2, 4000, [1], TTL_MS['1h']));
    hour.advance(30 * 60_000);
    expect(hour.apply(SONNET, blocks(2, 4000, [1], TTL_MS['1h'])).readTokens).toBe(2000);
  });

  it('keys entries by endpoint and content', () => {
    const cache = new PromptCache();
    cache.apply(SONNET, blocks(2, 4000, [1]));
    expect(cache.apply('databricks-claude-opus-4-8', blocks(2, 4000, [1])).readTokens).toBe(0);
    const changed = blocks(2, 4000, [1]);
    changed[0] = { content: 'another first block', chars: 4000 };
    expect(cache.apply(SONNET, changed).readTokens).toBe(0);
  });
});
