/**
 * Waiting on work the proxy cannot cancel itself (the SDK's credential chain)
 * without waiting forever: a time limit, and the caller's own abort signal.
 */

/** The promise, or `onTimeout()`'s error once `ms` have passed, whichever comes first. */
export function withinTime<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
    // A pending limit must not keep the process alive on its own.
    timer.unref();
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

/**
 * The promise, or the signal's reason once it aborts: one caller stops
 * waiting (its deadline passed, its client left) while the work goes on for
 * the others who share it.
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([work, aborted]).finally(() => {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  });
}
