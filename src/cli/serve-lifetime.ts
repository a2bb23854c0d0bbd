import type { Config } from '../config/schema.js';
import { daemonPaths, removeRecord, writeRecord } from '../daemon/record.js';
import { configuredProxyUrl } from './proxy-address.js';

export { stopWhenParentLeaves } from './parent-watch.js';

/**
 * A proxy `dbx-proxy start` launched says where it is in the state
 * directory, so `stop`, `status`, `logs` and `run` find it; `remove` undoes
 * that as it stops.
 */
export function backgroundRecord(config: Config, listeningUrl: string): { remove(): void } {
  // The address a local client uses (127.0.0.1 for a wildcard bind), with the port actually bound (--port 0).
  const url = configuredProxyUrl({ ...config, port: Number(new URL(listeningUrl).port) });
  writeRecord({ pid: process.pid, url, startedAt: new Date().toISOString(), logFile: daemonPaths().log });
  return { remove: () => removeRecord(process.pid) };
}
