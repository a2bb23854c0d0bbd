import { Pool, type Dispatcher } from 'undici';
import type { UpstreamAuth } from '../databricks/auth.js';
import type { Config } from '../config/schema.js';

export interface UpstreamRequest {
  method: 'GET' | 'POST' | 'HEAD';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

export type UpstreamResponse = Dispatcher.ResponseData;

/**
 * One keep-alive connection pool to the workspace, with credentials added to
 * every call. undici's dispatcher API (not fetch) keeps the hot path lean.
 */
export class UpstreamClient {
  private readonly pool: Pool;

  constructor(
    readonly origin: URL,
    private readonly auth: UpstreamAuth,
    private readonly timeouts: Config['upstream'],
  ) {
    this.pool = new Pool(origin.origin, {
      connections: 256,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      connect: { timeout: timeouts.connectTimeoutMs },
      headersTimeout: timeouts.headersTimeoutMs,
      bodyTimeout: timeouts.idleTimeoutMs,
    });
  }

  /**
   * Sends one request. An upstream 401 gets one forced token refresh and one
   * retry: the cached token may have been revoked while the proxy ran.
   */
  async send(request: UpstreamRequest): Promise<UpstreamResponse> {
    const first = await this.dispatch(request);
    if (first.statusCode !== 401) return first;
    await first.body.dump();
    this.auth.invalidate();
    return this.dispatch(request);
  }

  /** GET a JSON document (management APIs); throws UpstreamHttpError on a non-2xx answer. */
  async getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
    const response = await this.send({ method: 'GET', path, headers: { accept: 'application/json' }, ...(signal ? { signal } : {}) });
    const text = await response.body.text();
    if (response.statusCode >= 300) throw new UpstreamHttpError(response.statusCode, text);
    return JSON.parse(text) as T;
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private async dispatch(request: UpstreamRequest): Promise<UpstreamResponse> {
    const authorization = await this.auth.authorization();
    return this.pool.request({
      method: request.method,
      path: request.path,
      headers: { ...request.headers, authorization },
      body: request.body ?? null,
      signal: request.signal ?? null,
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
