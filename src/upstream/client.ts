import { Pool, type Dispatcher } from 'undici';
import type { UpstreamAuth } from '../databricks/auth.js';
import type { Config } from '../config/schema.js';
import { networkFailure } from './network-error.js';
import { RequestBudget } from './request-budget.js';
import { BACKOFF, errorCode, isRetryableError, RETRYABLE_STATUSES, retryDelayMs, sleep, type RetryPolicy } from './retry.js';

export interface UpstreamRequest {
  method: 'GET' | 'POST' | 'HEAD';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /**
   * The caller's own `Authorization` value (passthrough auth), sent instead of
   * the proxy's. A 401 then belongs to the caller: no refresh, no retry.
   */
  authorization?: string;
  /**
   * A call the proxy makes on its own behalf (the catalog listing, the AI
   * Gateway probe): bounded by upstream.controlPlaneTimeoutMs instead of an
   * inference request's upstream.totalTimeoutMs.
   */
  controlPlane?: boolean;
  /** Called before each retry, with what failed (a status, or a network error code) and the wait. */
  onRetry?: (retry: UpstreamRetry) => void;
  /**
   * The client request's budget when it may send several upstream requests
   * (route candidates): its owner releases it. Absent: this call has a budget
   * of its own, released when the answer's body closes.
   */
  budget?: RequestBudget;
  /** Called after each attempt, with its timings: for traces and the debug log (src/observability/). */
  onAttempt?: (attempt: UpstreamAttempt) => void;
}

/** One attempt at an upstream call; times are `performance.now()` values. */
export interface UpstreamAttempt {
  startedAt: number;
  /** When the Authorization value was at hand (a token fetch took from startedAt to here). */
  authorizedAt: number;
  /** When the answer's headers came, or the attempt failed. */
  endedAt: number;
  status?: number;
  error?: string;
}

export interface UpstreamRetry {
  /** The attempt that failed, from 1. */
  attempt: number;
  status?: number;
  error?: string;
  delayMs: number;
}

export type UpstreamResponse = Dispatcher.ResponseData;

/**
 * One keep-alive connection pool to the workspace, with credentials added to
 * every call. undici's dispatcher API (not fetch) keeps the hot path lean.
 */
export class UpstreamClient {
  private readonly pool: Pool;
  private readonly retryPolicy: RetryPolicy;

  constructor(
    readonly origin: URL,
    private readonly auth: UpstreamAuth,
    private readonly timeouts: Config['upstream'],
  ) {
    this.retryPolicy = { maxAttempts: timeouts.maxAttempts, maxRetryAfterMs: timeouts.maxRetryAfterMs, ...BACKOFF };
    this.pool = new Pool(origin.origin, {
      // No cap: one upstream connection per running request. A cap here only
      // hides a queue: a request past it waits, unseen, for another client's
      // answer to end (agents hold streams open for minutes) while its total
      // timeout runs. The workspace does its own limiting, with 429s that are
      // retried (retry.ts); idle connections close after keepAliveTimeout.
      connections: null,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      connect: { timeout: timeouts.connectTimeoutMs },
      headersTimeout: timeouts.headersTimeoutMs,
      bodyTimeout: timeouts.idleTimeoutMs,
    });
  }

  /**
   * Sends one request and resolves with the upstream's answer once its
   * headers are in; the body is the caller's to read. Everything that happens
   * before that is invisible to the client, so this is the only place that
   * retries (see retry.ts): 429/502/503/504 and connection failures, up to
   * upstream.maxAttempts. An upstream 401 gets one forced token refresh and one
   * more try: the cached token may have been revoked while the proxy ran.
   * upstream.totalTimeoutMs covers all of it, up to the body's last byte.
   * Fails with a ProxyError when no answer came (timeouts: 504, network: 502);
   * the last answer is returned as is when retries run out.
   */
  async send(request: UpstreamRequest): Promise<UpstreamResponse> {
    const budget = request.budget ?? (request.controlPlane ? this.controlPlaneBudget(request) : this.budget(request.signal));
    try {
      const response = await this.attempts(request, budget);
      if (!request.budget) budget.deadline.releaseWhenClosed(response.body);
      return response;
    } catch (error) {
      if (!request.budget) budget.deadline.release();
      throw networkFailure(error) ?? error;
    }
  }

  /** A fresh budget for one client request (upstream.totalTimeoutMs, upstream.maxAttempts). */
  budget(signal?: AbortSignal): RequestBudget {
    return new RequestBudget(this.timeouts, signal);
  }

  /** A call on the proxy's own behalf: upstream.controlPlaneTimeoutMs instead of upstream.totalTimeoutMs, named with its path. */
  private controlPlaneBudget(request: UpstreamRequest): RequestBudget {
    const limits = { totalTimeoutMs: this.timeouts.controlPlaneTimeoutMs, maxAttempts: this.timeouts.maxAttempts };
    return new RequestBudget(limits, request.signal, `upstream.controlPlaneTimeoutMs (${request.method} ${request.path.split('?')[0]})`);
  }

  /** GET a JSON document (management APIs, bounded by upstream.controlPlaneTimeoutMs); throws UpstreamHttpError on a non-2xx answer. */
  async getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
    const response = await this.send({ method: 'GET', path, headers: { accept: 'application/json' }, controlPlane: true, ...(signal ? { signal } : {}) });
    const text = await response.body.text();
    if (response.statusCode >= 300) throw new UpstreamHttpError(response.statusCode, text);
    return JSON.parse(text) as T;
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private async attempts(request: UpstreamRequest, budget: RequestBudget): Promise<UpstreamResponse> {
    const signal = budget.signal;
    for (let attempt = 1; ; ) {
      let response: UpstreamResponse;
      const sent: { authorization?: string } = {};
      try {
        response = await this.dispatch(request, signal, sent);
      } catch (error) {
        if (signal.aborted || !isRetryableError(error) || !budget.takeRetry()) throw error;
        await this.wait(request, signal, { attempt, error: errorName(error), delayMs: retryDelayMs(attempt, undefined, this.retryPolicy) });
        attempt += 1;
        continue;
      }
      if (response.statusCode === 401 && request.authorization === undefined && budget.takeRefresh()) {
        await response.body.dump();
        // Names the token that was refused: concurrent and late 401s for one token refresh it once (auth.ts).
        if (sent.authorization !== undefined) this.auth.invalidate(sent.authorization);
        continue;
      }
      if (!RETRYABLE_STATUSES.has(response.statusCode) || !budget.takeRetry()) return response;
      const retryAfter = firstHeader(response.headers['retry-after']);
      await response.body.dump();
      await this.wait(request, signal, { attempt, status: response.statusCode, delayMs: retryDelayMs(attempt, retryAfter, this.retryPolicy) });
      attempt += 1;
    }
  }

  private async wait(request: UpstreamRequest, signal: AbortSignal, retry: UpstreamRetry): Promise<void> {
    request.onRetry?.(retry);
    await sleep(retry.delayMs, signal);
  }

  /** One attempt; `sent.authorization` is set to the token it carries, which a 401 names (auth.ts refreshes a refused token once). */
  private dispatch(request: UpstreamRequest, signal: AbortSignal, sent: { authorization?: string }): Promise<UpstreamResponse> {
    const startedAt = performance.now();
    // The caller's own token (passthrough auth), or the proxy's: its wait ends with the request's own deadline or client (auth.ts).
    const authorization = request.authorization ?? this.auth.authorization(signal);
    // Usually at hand (auth.ts reuses a recent value): then the request leaves without waiting a turn.
    if (typeof authorization === 'string') {
      sent.authorization = authorization;
      return reported(this.request(request, authorization, signal), request.onAttempt, startedAt, () => startedAt);
    }
    let authorizedAt = startedAt;
    const response = authorization.then((value) => {
      authorizedAt = performance.now();
      sent.authorization = value;
      return this.request(request, value, signal);
    });
    return reported(response, request.onAttempt, startedAt, () => authorizedAt);
  }

  private request(request: UpstreamRequest, authorization: string, signal: AbortSignal): Promise<UpstreamResponse> {
    return this.pool.request({
      method: request.method,
      path: request.path,
      headers: { ...request.headers, authorization },
      body: request.body ?? null,
      signal,
    });
  }
}

/** A non-2xx upstream answer, with its raw body (Databricks' `{error_code, message}`). */
export class UpstreamHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`upstream answered ${status}: ${body.slice(0, 300)}`);
    this.name = 'UpstreamHttpError';
  }
}

/** Reports an attempt's timings (when someone listens) once it answered or failed. */
function reported(
  sent: Promise<UpstreamResponse>,
  report: ((attempt: UpstreamAttempt) => void) | undefined,
  startedAt: number,
  authorizedAt: () => number,
): Promise<UpstreamResponse> {
  if (!report) return sent;
  return sent.then(
    (response) => {
      report({ startedAt, authorizedAt: authorizedAt(), endedAt: performance.now(), status: response.statusCode });
      return response;
    },
    (error: unknown) => {
      report({ startedAt, authorizedAt: authorizedAt(), endedAt: performance.now(), error: errorName(error) });
      throw error;
    },
  );
}

/** The first value of a header that may repeat. */
export function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function errorName(error: unknown): string {
  return errorCode(error) ?? (error instanceof Error ? error.name : 'error');
}
