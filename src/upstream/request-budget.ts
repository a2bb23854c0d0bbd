import { Deadline } from './deadline.js';

/**
 * What one client request may spend upstream, whichever routes it tries:
 * one total deadline (upstream.totalTimeoutMs), upstream.maxAttempts - 1
 * retries of failures (429, 5xx, connection errors), and one forced token
 * refresh after a 401. A request that moves to another route candidate
 * (src/routing/route-walk.ts) carries its budget along: moving is not a
 * retry, but it never earns a fresh allowance either.
 */
export class RequestBudget {
  readonly deadline: Deadline;
  private retriesLeft: number;
  private refreshUsed = false;

  /** `setting` names the limit in the timeout error when it is not upstream.totalTimeoutMs. */
  constructor(limits: { totalTimeoutMs: number; maxAttempts: number }, signal?: AbortSignal, setting?: string) {
    this.deadline = new Deadline(limits.totalTimeoutMs, signal, setting);
    this.retriesLeft = limits.maxAttempts - 1;
  }

  get signal(): AbortSignal {
    return this.deadline.signal;
  }

  /** Takes one retry if any is left. */
  takeRetry(): boolean {
    if (this.retriesLeft <= 0) return false;
    this.retriesLeft -= 1;
    return true;
  }

  /** Takes the one token refresh a request may force. */
  takeRefresh(): boolean {
    if (this.refreshUsed) return false;
    this.refreshUsed = true;
    return true;
  }
}
