import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { probeHealth } from '../daemon/probe.js';
import { isRecordedProxy, prepareLog, readRecord } from '../daemon/record.js';
import { configFlagsToArgs, flagsToConfig, type ConfigFlags } from './options.js';
import { say, warn } from './output.js';
import { addServeOptions } from './serve.js';

/** The command a background proxy runs: the same bin as this one (dist/cli -> bin). */
const BIN = fileURLToPath(new URL('../../bin/dbx-proxy.js', import.meta.url));

/** How long `start` waits for the proxy to answer: discovery in a large workspace, an OAuth login. */
const START_TIMEOUT_MS = 120_000;
const POLL_MS = 100;

export function registerStart(program: Command): void {
  const command = program
    .command('start')
    .description('run the proxy in the background; returns once it answers, with its URL, pid and log file');
  addServeOptions(command).action((flags: ConfigFlags) => start(flags));
}

async function start(flags: ConfigFlags): Promise<void> {
  // A bad flag or config fails here, in the terminal, not in a log file.
  const { config } = await loadConfig({ flags: flagsToConfig(flags), configPath: flags.config });
  const running = readRecord();
  if (running && isRecordedProxy(running.pid) && (await probeHealth(running.url))) {
    say(`dbx-proxy is already running at ${running.url} (pid ${running.pid}); \`dbx-proxy stop\` stops it.`);
    return;
  }
  const { chooseDemo } = await import('./start-demo.js');
  const args = ['serve', ...configFlagsToArgs(flags), ...(chooseDemo(config) ? ['--demo'] : []), '--daemon'];

  const log = prepareLog();
  const offset = sizeOf(log);
  const fd = openSync(log, 'a', 0o600);
  // Its own session (detached): the proxy outlives this command and its terminal; its output goes to the log.
  const child = spawn(process.execPath, [BIN, ...args], { detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  child.unref();
  let exitCode: number | null | undefined;
  child.once('exit', (code) => (exitCode = code));

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`the proxy exited (code ${exitCode}) before it answered: ${failureOf(log, offset)} (log: ${log})`);
    const record = readRecord();
    if (record && record.pid === child.pid && (await probeHealth(record.url))) {
      say(`dbx-proxy started in the background`);
      say(`url: ${record.url}`);
      say(`pid: ${record.pid}`);
      say(`log: ${log}`);
      say('`dbx-proxy status` shows how it is doing, `dbx-proxy stop` stops it.');
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  if (child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
  warn(`dbx-proxy: still not answering after ${START_TIMEOUT_MS / 1000} s; stopped it.`);
  throw new Error(`the proxy did not answer within ${START_TIMEOUT_MS / 1000} s (log: ${log})`);
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** Why the proxy stopped: its fatal log line (it has no terminal, so its logs are JSON), else the last lines it wrote. */
function failureOf(log: string, offset: number): string {
  const lines = readFileSync(log, 'utf8').slice(offset).split('\n').filter((line) => line.trim().length > 0);
  const reason = lines.map(fatalMessage).filter((message) => message !== undefined);
  return (reason.length > 0 ? reason : lines.slice(-3)).join(' ') || 'it wrote nothing';
}

/** pino's number for `fatal`. */
const FATAL = 60;

function fatalMessage(line: string): string | undefined {
  try {
    const entry = JSON.parse(line) as { level?: unknown; msg?: unknown };
    return entry.level === FATAL && typeof entry.msg === 'string' ? entry.msg : undefined;
  } catch {
    return undefined;
  }
}
