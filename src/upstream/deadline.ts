import { ProxyError } from '../errors/proxy-error.js';

/**
 * The total time limit of one upstream request (upstream.totalTimeoutMs, or
 * upstream.controlPlaneTimeoutMs for a call the proxy makes on its own behalf),
 * from the first attempt to the last byte of the answer, retries included.
 * Its signal aborts when the limit passes, with a `timeout` ProxyError as the
 * reason (so a relay ends the stream with a timeout error event), or when the
 * caller's own signal aborts (the client went away, the proxy shuts down),
 * with the caller's reason.
 */
export class Deadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly onOuterAbort = (): void => this.controller.abort(this.outer?.reason);

  constructor(
    limitMs: number,
    private readonly outer?: AbortSignal,
    /** The setting the limit comes from, named in the timeout error. */
    setting = 'upstream.totalTimeoutMs',
  ) {
    this.timer = setTimeout(() => {
      this.controller.abort(new ProxyError('timeout', `The upstream request did not complete within ${setting} (${limitMs} ms)`));
      this.release();
    }, limitMs);
    // A pending limit must not keep the process alive on its own.
    this.timer.unref();
    if (outer?.aborted) this.onOuterAbort();
    else outer?.addEventListener('abort', this.onOuterAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The request is over (answer read, or failed): drop the timer and the listener. */
  release(): void {
    clearTimeout(this.timer);
    this.outer?.removeEventListener('abort', this.onOuterAbort);
  }

  /** The answer's body is the request's last part: the limit holds until it closes. */
  releaseWhenClosed(body: NodeJS.EventEmitter): void {
    body.once('close', () => this.release());
  }
}
