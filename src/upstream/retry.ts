/**
 * When and how long to wait before sending an upstream request again.
 *
 * Retries happen inside UpstreamClient.send, which returns only once the
 * upstream has answered with headers the proxy will act on: the client has
 * not received a byte yet, so a retry can never show it half of one answer
 * followed by another. Once send has returned, nothing is retried (a stream
 * that breaks mid-way ends with the client's error event instead).
 */

/** Throttled or briefly unavailable: another attempt may well succeed. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/**
 * Network failures before any answer: the connection was refused, reset or
 * closed under us, or could not be opened in time. A headers timeout is not
 * here: the model may be working on the request, and a second attempt would
 * pay for it twice and wait as long again.
 */
const RETRYABLE_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

export interface RetryPolicy {
  /** Attempts in all, the first included (upstream.maxAttempts). */
  maxAttempts: number;
  /** Longest wait a Retry-After may impose (upstream.maxRetryAfterMs). */
  maxRetryAfterMs: number;
  /** First backoff when the upstream gave no Retry-After; doubles each retry. */
  baseDelayMs: number;
  /** Ceiling of that backoff. */
  maxDelayMs: number;
}

/**
 * Backoff without Retry-After: 250 ms, 500 ms, 1 s ... up to 4 s, each drawn
 * in its upper half. The reference gives no figures (it only says the SDKs
 * retry 429 and honour Retry-After); these keep an agent's turn responsive.
 */
export const BACKOFF = { baseDelayMs: 250, maxDelayMs: 4_000 } as const;

export function isRetryableError(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && RETRYABLE_ERROR_CODES.has(code);
}

/** The error's own code, or its cause's (fetch-style wrappers). */
export function errorCode(error: unknown): string | undefined {
  const own = (error as { code?: unknown } | null)?.code;
  if (typeof own === 'string') return own;
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof cause === 'string' ? cause : undefined;
}

/**
 * How long to wait before retry number `retry` (1 for the first). A
 * Retry-After is honoured, up to `maxRetryAfterMs`; without one, exponential
 * backoff with jitter.
 */
export function retryDelayMs(retry: number, retryAfter: string | undefined, policy: RetryPolicy, now = Date.now(), random = Math.random): number {
  const asked = parseRetryAfterMs(retryAfter, now);
  if (asked !== undefined) return Math.min(asked, policy.maxRetryAfterMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** `Retry-After` as milliseconds from now: delay-seconds or an HTTP-date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function parseRetryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Waits, unless the signal aborts first: then rejects with its reason (a client gone, a deadline, a shutdown). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
