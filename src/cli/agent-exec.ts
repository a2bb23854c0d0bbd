import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { delimiter, join } from 'node:path';

/** The first executable `name` on PATH, if any. */
export function findOnPath(name: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

/** Signals passed on to the agent, so `kill <dbx-proxy run>` or a supervisor stops the agent, not just the proxy. */
const FORWARDED: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Runs the agent in the foreground (the terminal's stdin/stdout/stderr, so
 * interactive agents work), forwarding SIGINT/SIGTERM/SIGHUP while it runs,
 * and resolves with the exit code the shell convention gives: the agent's
 * own, or 128 + the signal's number when a signal ended it.
 */
export function execAgent(bin: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const child = spawn(bin, args, { stdio: 'inherit', env });
  const forward = (signal: NodeJS.Signals): void => {
    // A terminal's Ctrl+C reaches the agent directly too (same process group);
    // a second SIGINT is what agents treat as "stop now", which is what the user meant.
    child.kill(signal);
  };
  for (const signal of FORWARDED) process.on(signal, forward);
  return new Promise((resolve, reject) => {
    child.on('error', (error) => {
      for (const signal of FORWARDED) process.off(signal, forward);
      reject(new Error(`could not start ${bin}: ${error.message}`));
    });
    child.on('exit', (code, signal) => {
      for (const name of FORWARDED) process.off(name, forward);
      resolve(code ?? 128 + (signal ? osConstants.signals[signal] : 0));
    });
  });
}
