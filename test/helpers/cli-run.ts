/** Runs the built command line as a child process, as a user does, in an isolated HOME and state directory. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BIN, cleanCliEnv } from './built-cli.js';
import { recordLogText } from './log-sink.js';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A PATH with node and the system tools, and certainly no agent nor `databricks` command. */
export const BARE_PATH = `${dirname(process.execPath)}:/usr/bin:/bin`;

/** A fresh user: empty HOME, own XDG state directory, no workspace, no DBX_PROXY_* settings. */
export function freshUser(): { home: string; state: string; env: (extra?: Record<string, string>) => NodeJS.ProcessEnv } {
  const home = mkdtempSync(join(tmpdir(), 'dbx-proxy-user-'));
  const state = join(home, 'state');
  return { home, state, env: (extra = {}) => cleanCliEnv(home, { XDG_STATE_HOME: state, ...extra }) };
}

/** `node bin/dbx-proxy.js args` (or `options.bin args` when `node` is false: another program, e.g. a shell). */
export function runCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  options: { bin?: string; node?: boolean; cwd?: string; children?: ChildProcess[] } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const [command, argv] = options.node === false && options.bin ? [options.bin, [...args]] : [process.execPath, [options.bin ?? BIN, ...args]];
    const child = spawn(command, argv, { env, cwd: options.cwd ?? env.HOME });
    options.children?.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      recordLogText(stderr);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A port nothing listens on now (bound, then released), for a setting that must not meet anyone's proxy. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

/** Whether a process with this pid exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits until `check` holds, polling, or fails after `ms`. */
export async function eventually(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
