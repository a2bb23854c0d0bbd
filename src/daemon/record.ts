import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stateDir } from '../state/state-dir.js';

/**
 * What `dbx-proxy start` leaves in the state directory about the proxy it
 * started, written by that proxy once it listens and removed when it stops:
 * enough for `stop`, `status`, `logs` and `run` to find it.
 */
export interface DaemonRecord {
  pid: number;
  /** Where local clients reach it, e.g. http://127.0.0.1:8420. */
  url: string;
  /** ISO time it started listening. */
  startedAt: string;
  logFile: string;
}

/** The files of the one background proxy a state directory holds. */
export function daemonPaths(env: NodeJS.ProcessEnv = process.env): { dir: string; record: string; log: string } {
  const dir = stateDir(env);
  return { dir, record: join(dir, 'daemon.json'), log: join(dir, 'daemon.log') };
}

export function readRecord(env: NodeJS.ProcessEnv = process.env): DaemonRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(daemonPaths(env).record, 'utf8')) as Partial<DaemonRecord>;
    if (typeof record.pid !== 'number' || typeof record.url !== 'string') return undefined;
    return record as DaemonRecord;
  } catch {
    return undefined;
  }
}

export function writeRecord(record: DaemonRecord, env: NodeJS.ProcessEnv = process.env): void {
  const paths = daemonPaths(env);
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  // Written whole then renamed, so a reader never sees half a record.
  const temporary = `${paths.record}.${process.pid}`;
  writeFileSync(temporary, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, paths.record);
}

/** Removes the record if it is still this process's (a newer start may have replaced it). */
export function removeRecord(pid: number, env: NodeJS.ProcessEnv = process.env): void {
  if (readRecord(env)?.pid === pid) rmSync(daemonPaths(env).record, { force: true });
}

/** Whether a process with this pid exists (signal 0 only checks). EPERM: it exists but is another user's. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The log grows across starts; past this size the next start moves it to daemon.log.1. */
const LOG_ROTATE_BYTES = 10 * 1024 * 1024;

/** The log file a new background proxy appends to, rotated once when large. */
export function prepareLog(env: NodeJS.ProcessEnv = process.env): string {
  const paths = daemonPaths(env);
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  try {
    if (statSync(paths.log).size > LOG_ROTATE_BYTES) renameSync(paths.log, `${paths.log}.1`);
  } catch {
    // No log yet.
  }
  return paths.log;
}

/**
 * Whether `pid` is still the proxy a record names, not a process that reused
 * its number: on Linux its command line must mention dbx-proxy; elsewhere
 * (no /proc) being alive is all there is to check.
 */
export function isRecordedProxy(pid: number): boolean {
  if (!processAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('dbx-proxy');
  } catch {
    return true;
  }
}
