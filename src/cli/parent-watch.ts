/** How often a foreground proxy checks that whatever started it is still there. */
const CHECK_MS = 1_000;

/**
 * A foreground proxy ends when its launcher does (npx killed, a terminal
 * closed, a test runner gone): the kernel hands an orphan to another parent,
 * so a changed parent pid means ours left. The proxy then shuts down as on
 * SIGTERM, gracefully, instead of holding its port with nobody to stop it.
 * `dbx-proxy start` runs proxies meant to outlive it and does not watch.
 */
export function stopWhenParentLeaves(): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    process.kill(process.pid, 'SIGTERM');
  }, CHECK_MS);
  timer.unref();
}
