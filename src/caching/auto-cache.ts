import type { Config } from '../config/schema.js';
import type { Dialect } from '../dialects/dialect.js';
import type { Family } from '../databricks/family.js';
import type { JsonObject } from '../dialects/common/json.js';
import { markedBlocks } from '../repairs/request/cache-control-limits.js';
import { placeBreakpoints } from './breakpoints.js';

/** The request header a client sends to keep the proxy from marking its request (`off`). */
export const PROMPT_CACHE_HEADER = 'x-dbx-proxy-prompt-cache';

/**
 * Automatic prompt caching for Claude. Clients whose own provider caches by
 * itself (every OpenAI and Gemini client) send no `cache_control`, and an
 * unmarked Claude request is never cached: through the proxy they would pay
 * full price for the same prefix on every turn. A request to Claude that
 * carries no mark at all (none on a block, no top-level `cache_control`) gets
 * the marks of breakpoints.ts, unless `promptCache.auto` is off or the client
 * sent `x-dbx-proxy-prompt-cache: off`. A client's own marks are left as they
 * are (the cache-control-limits repair trims them to four); the proxy never
 * adds to them. A mark changes what a request costs, never its answer.
 *
 * Runs on the body about to be sent, after the repairs. Returns how many
 * marks it placed.
 */
export function autoCache(
  body: JsonObject,
  route: { upstream: Dialect; family: Family; endpoint: string; config: Config },
  clientOptedOut: boolean,
): number {
  const settings = route.config.promptCache;
  if (!settings.auto || clientOptedOut || route.upstream !== 'anthropic-messages' || route.family !== 'claude') return 0;
  if (body.cache_control !== undefined || markedBlocks(body).length > 0) return 0;
  return placeBreakpoints(body, route.endpoint, settings);
}

export function optedOut(headers: Record<string, string | string[] | undefined>): boolean {
  const value = headers[PROMPT_CACHE_HEADER];
  return typeof value === 'string' && /^(off|false|0|no)$/i.test(value.trim());
}
