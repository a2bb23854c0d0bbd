import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** SHA-256 of a secret: digests all have one length, which timingSafeEqual requires. */
function digest(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/**
 * A matcher for the configured local API keys. Keys are compared as digests
 * in constant time, and against every key without an early exit, so the time
 * an answer takes says neither which key matched nor how much of one did.
 */
export function createKeyMatcher(keys: readonly string[]): (candidate: string) => boolean {
  const digests = keys.map(digest);
  return (candidate) => {
    const given = digest(candidate);
    let matched = false;
    for (const expected of digests) matched = timingSafeEqual(expected, given) || matched;
    return matched;
  };
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** Headers that carry an API key as their whole value: the Anthropic SDK and Claude Code's ANTHROPIC_API_KEY; Google's SDKs. */
const KEY_HEADERS = ['x-api-key', 'x-goog-api-key'] as const;

/**
 * The keys a request presents: `Authorization: Bearer <key>` (OpenAI SDKs,
 * Codex, Claude Code's ANTHROPIC_AUTH_TOKEN), `x-api-key: <key>`,
 * `x-goog-api-key: <key>` (Gemini CLI, `@google/genai`) and Google's
 * `?key=<key>` query parameter. None of them ever goes upstream
 * (forward.ts sends only the headers a dialect needs, and no query).
 */
export function presentedKeys(headers: IncomingHttpHeaders, query?: unknown): string[] {
  const keys: string[] = [];
  const bearer = headers.authorization === undefined ? null : BEARER.exec(headers.authorization);
  if (bearer?.[1]) keys.push(bearer[1]);
  for (const name of KEY_HEADERS) {
    const value = headers[name];
    if (typeof value === 'string' && value.trim() !== '') keys.push(value.trim());
  }
  const fromQuery = typeof query === 'object' && query !== null ? (query as Record<string, unknown>).key : undefined;
  if (typeof fromQuery === 'string' && fromQuery !== '') keys.push(fromQuery);
  return keys;
}
