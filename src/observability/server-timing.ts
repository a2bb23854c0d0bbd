import type { UpstreamAttempt } from '../upstream/client.js';

/**
 * The `Server-Timing` value of an answer, as its headers leave: `upstream` is
 * the time spent in upstream attempts (to their headers, retries included),
 * `proxy` the rest of the time so far (validation, planning, token fetch,
 * retry waits, building the answer). A stream's headers leave before its
 * body, so for a stream both cover the time to its first byte only.
 */
export function serverTiming(elapsedMs: number, attempts: readonly UpstreamAttempt[] | undefined): string {
  const upstream = upstreamMs(attempts);
  return `proxy;dur=${(Math.max(0, elapsedMs - upstream)).toFixed(1)}, upstream;dur=${upstream.toFixed(1)}`;
}

/** Time spent waiting on the upstream itself (token fetches excluded). */
export function upstreamMs(attempts: readonly UpstreamAttempt[] | undefined): number {
  let total = 0;
  for (const attempt of attempts ?? []) total += attempt.endedAt - attempt.authorizedAt;
  return total;
}
