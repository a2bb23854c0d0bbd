import { notify } from './output.js';

const CLOSE_TIMEOUT_MS = 10_000;

/**
 * Keep running until SIGINT or SIGTERM, then run `close` and exit: 0 when it
 * finished cleanly, 1 when it failed or took longer than `timeoutMs` (default
 * 10 s; the proxy passes its shutdown grace plus a margin). A second signal
 * while closing exits at once. `flush` runs last (the logger's buffered lines).
 */
export function closeOnSignal(
  close: () => Promise<void>,
  flush: (done: () => void) => void = (done) => done(),
  timeoutMs = CLOSE_TIMEOUT_MS,
): void {
  let closing = false;
  const exit = (code: number): void => flush(() => process.exit(code));
  const onSignal = (signal: NodeJS.Signals): void => {
    if (closing) {
      notify('warn', `${signal} again, exiting without waiting`);
      process.exit(1);
    }
    closing = true;
    notify('info', `${signal}, shutting down`);
    setTimeout(() => {
      notify('error', `still closing after ${timeoutMs / 1000} s, exiting`);
      process.exit(1);
    }, timeoutMs).unref();
    close().then(
      () => exit(0),
      (error: unknown) => {
        notify('error', `error while shutting down: ${error instanceof Error ? error.message : String(error)}`);
        exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/**
 * On SIGHUP, run `reload` (the daemon convention: re-read the configuration).
 * One reload at a time: a SIGHUP that arrives during one runs another once it
 * is done, so the last signal always sees the newest file. `reload` reports
 * its own outcome; a rejection here is only logged.
 */
export function reloadOnSignal(reload: () => Promise<void>, report: (error: unknown) => void): void {
  let running: Promise<void> | undefined;
  let again = false;
  const run = (): void => {
    running = reload()
      .catch(report)
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          run();
        }
      });
  };
  process.on('SIGHUP', () => {
    if (running) again = true;
    else run();
  });
}
