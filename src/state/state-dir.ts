import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/**
 * Where state that outlives one process lives (the daemon's pid and log, the
 * cached catalog, the usage history): the XDG state directory,
 * `$XDG_STATE_HOME/dbx-proxy`, else `~/.local/state/dbx-proxy`. The XDG
 * spec says a relative `XDG_STATE_HOME` is invalid and must be ignored.
 */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME;
  const root = base && isAbsolute(base) ? base : join(env.HOME || homedir(), '.local', 'state');
  return join(root, 'dbx-proxy');
}
