/** The built command line, for tests that run it as a child process exactly as a user does (`node bin/dbx-proxy.js ...`). */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'dbx-proxy.js');

/** A file of the build output, e.g. `distFile('cli', 'main.js')`. */
export function distFile(...path: string[]): string {
  return join(ROOT, 'dist', ...path);
}

function newestMtime(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const path = join(dir, entry.name);
    return Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }, 0);
}

/** Builds once when `artifact` is missing or older than src/ (the package's test script builds first anyway). */
export function buildIfStale(artifact: string): void {
  if (existsSync(artifact) && statSync(artifact).mtimeMs >= newestMtime(join(ROOT, 'src'))) return;
  // tsc emits even when another module has a type error; what matters is that the CLI exists.
  spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'ignore' });
}

/** An environment with no workspace, no DBX_PROXY_* settings and `home` as HOME: the CLI sees the demo workspace. */
export function cleanCliEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('DATABRICKS_') && !name.startsWith('DBX_PROXY_') && name !== 'XDG_CONFIG_HOME') env[name] = value;
  }
  return { ...env, HOME: home, ...extra };
}

/** A running command of the built CLI. */
export interface StartedCli {
  child: ChildProcess;
  /** The first URL it printed as `listening on`. */
  url: string;
  stderr: () => string;
}

/**
 * Runs `dbx-proxy <args>` with a clean environment (a fresh HOME) plus `env`,
 * resolving once it prints where it listens. The child goes into `started`, for
 * the test file to kill in its afterAll.
 */
export function startCli(args: string[], env: Record<string, string>, started: ChildProcess[]): Promise<StartedCli> {
  const child = spawn(process.execPath, [BIN, ...args], { env: cleanCliEnv(mkdtempSync(join(tmpdir(), 'dbx-cli-')), env) });
  started.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = /listening on (http:\/\/\S+)/.exec(stdout)?.[1];
      if (url) resolve({ child, url, stderr: () => stderr });
    });
    child.once('exit', (code) => reject(new Error(`${args[0]} exited with ${code}: ${stderr}`)));
  });
}

/** Resolves with the child's exit code once it has exited. */
export function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}
