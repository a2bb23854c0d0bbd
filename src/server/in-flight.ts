import { ProxyError } from '../errors/proxy-error.js';

/**
 * The inference requests being served, so that a shutdown can stop taking new
 * ones, let the running ones finish, and end those that outlive the grace
 * period with the client's error event (their upstream calls are aborted with
 * `shutdownError()` as the reason, which the relays turn into that event).
 */
export class InFlight {
  private readonly running = new Set<AbortController>();
  private readonly idleWaiters = new Set<() => void>();
  private shuttingDown = false;

  /** True once a shutdown began: new requests are refused. */
  get closing(): boolean {
    return this.shuttingDown;
  }

  get size(): number {
    return this.running.size;
  }

  /** Tracks one request by the controller that aborts its upstream call; call the result once its response has closed. */
  track(abort: AbortController): () => void {
    this.running.add(abort);
    return () => {
      if (this.running.delete(abort) && this.running.size === 0) for (const wake of this.idleWaiters) wake();
    };
  }

  beginShutdown(): void {
    this.shuttingDown = true;
  }

  /** Resolves once no request is running, or after `ms`, with how many are still running. */
  async settled(ms: number): Promise<number> {
    if (this.running.size > 0) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          this.idleWaiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        this.idleWaiters.add(done);
      });
    }
    return this.running.size;
  }

  /** Ends every running request: its upstream call is aborted and its client gets `reason` in its dialect. */
  abortAll(reason: ProxyError): void {
    for (const abort of this.running) abort.abort(reason);
  }
}

/**
 * What a client whose request met a shutdown is told: 503, which the OpenAI
 * and Anthropic SDKs (and the agents on them) retry, against a proxy that is
 * back or another replica.
 */
export function shutdownError(): ProxyError {
  return new ProxyError('overloaded', 'dbx-proxy is shutting down; retry the request', { status: 503 });
}
