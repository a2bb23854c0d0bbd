import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** What one agent run left behind. */
export interface AgentResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Whether the hard timeout had to stop it. */
  timedOut: boolean;
  elapsedMs: number;
}

/** A scratch home for one run: HOME, XDG dirs, CODEX_HOME and a work dir, all under one temp folder. */
export interface Sandbox {
  root: string;
  home: string;
  work: string;
  /** The minimal environment (`env -i` style) every agent run starts from. */
  env: Record<string, string>;
  remove(): void;
}

export function createSandbox(): Sandbox {
  const root = mkdtempSync(join(tmpdir(), 'dbx-e2e-'));
  const home = join(root, 'home');
  const work = join(root, 'work');
  const dirs = {
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    XDG_CACHE_HOME: join(home, '.cache'),
    CODEX_HOME: join(home, '.codex'),
  };
  for (const dir of [home, work, ...Object.values(dirs)]) mkdirSync(dir, { recursive: true });
  // The node that runs this suite goes first on PATH: the agents' npm shims and
  // dbx-proxy itself need Node >= 22, which the system one may not be.
  const path = [dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(':');
  const env: Record<string, string> = { PATH: path, HOME: home, TMPDIR: join(root), LANG: 'C.UTF-8', ...dirs };
  return { root, home, work, env, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** Grace between SIGTERM and SIGKILL: opencode ignores SIGTERM while it loops. */
const KILL_GRACE_MS = 5_000;

/**
 * Runs a command with exactly `env` (nothing inherited), stdin closed, in its
 * own process group so a timeout stops the agent and everything it spawned:
 * SIGTERM at `timeoutMs`, SIGKILL five seconds later.
 */
export function runProcess(command: string, args: readonly string[], options: { cwd: string; env: Record<string, string>; timeoutMs: number }): Promise<AgentResult> {
  const started = performance.now();
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  let timedOut = false;
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };
  const term = setTimeout(() => {
    timedOut = true;
    signalGroup('SIGTERM');
  }, options.timeoutMs);
  const kill = setTimeout(() => signalGroup('SIGKILL'), options.timeoutMs + KILL_GRACE_MS);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(term);
      clearTimeout(kill);
      // Whatever the agent left running in its group goes too.
      signalGroup('SIGKILL');
      resolve({ code, signal, stdout, stderr, timedOut, elapsedMs: performance.now() - started });
    });
  });
}
