import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { probeHealth, probeReady, type HealthBody, type ReadyBody } from '../daemon/probe.js';
import { isRecordedProxy, readRecord, removeRecord, type DaemonRecord } from '../daemon/record.js';
import { flagsToConfig, type ConfigFlags } from './options.js';
import { formatTable, say } from './output.js';
import { configuredProxyUrl } from './proxy-address.js';
import { addServeOptions } from './serve.js';

/** Exit codes as service tools read them (LSB): 0 running and ready, 1 running but not ready, 3 not running. */
export const STATUS_EXIT = { ready: 0, notReady: 1, notRunning: 3 } as const;

interface StatusFlags extends ConfigFlags {
  json?: boolean;
}

export function registerStatus(program: Command): void {
  const command = program
    .command('status')
    .description('whether a proxy is running, where, and how it is doing; exit 0 running and ready, 1 running but not ready, 3 not running')
    .option('--json', 'print the status as JSON');
  addServeOptions(command).action((flags: StatusFlags) => status(flags));
}

async function status(flags: StatusFlags): Promise<void> {
  const { config } = await loadConfig({ flags: flagsToConfig(flags), configPath: flags.config });
  const found = await findProxy(configuredProxyUrl(config));
  if (!found) {
    if (flags.json) say(JSON.stringify({ running: false }));
    else say('dbx-proxy is not running. `dbx-proxy start` starts it in the background, `dbx-proxy serve` in the foreground.');
    process.exitCode = STATUS_EXIT.notRunning;
    return;
  }
  const { url, record, health } = found;
  const ready = (await probeReady(url)) ?? { ready: false, reasons: ['GET /ready did not answer'] };
  if (flags.json) say(JSON.stringify({ running: true, url, pid: record?.pid, logFile: record?.logFile, ...health, ...ready }, null, 2));
  else printStatus(url, record, health, ready);
  process.exitCode = ready.ready ? STATUS_EXIT.ready : STATUS_EXIT.notReady;
}

/** The background proxy `start` recorded, else one serving on the configured port. */
async function findProxy(configuredUrl: string): Promise<{ url: string; record?: DaemonRecord; health: HealthBody } | undefined> {
  const record = readRecord();
  if (record && isRecordedProxy(record.pid)) {
    const health = await probeHealth(record.url);
    if (health) return { url: record.url, record, health };
  } else if (record) {
    // Its process is gone (killed, machine restarted): the record only misleads.
    removeRecord(record.pid);
  }
  const health = await probeHealth(configuredUrl);
  return health ? { url: configuredUrl, health } : undefined;
}

function printStatus(url: string, record: DaemonRecord | undefined, health: HealthBody, ready: ReadyBody): void {
  say(`dbx-proxy is running at ${url}${record ? ` (pid ${record.pid}, started by \`dbx-proxy start\`)` : ' (in the foreground, not by `dbx-proxy start`)'}`);
  const rows: string[][] = [
    ['ready', ready.ready ? 'yes' : `NO: ${ready.reasons.join('; ')}`],
    ['workspace', health.demo ? `DEMO emulator (${health.workspace ?? 'scripted models'})` : (health.workspace ?? 'unknown')],
    ['surface', health.surface],
    ['models', String(health.models)],
    ['uptime', health.uptimeSeconds === undefined ? 'unknown' : duration(health.uptimeSeconds)],
    ['requests served', String(health.requests ?? 'unknown')],
  ];
  if (record) rows.push(['log', record.logFile]);
  say(formatTable(rows.map(([name = '', value = '']) => [`  ${name}:`, value])));
}

/** 3725 -> "1h 2m 5s". */
function duration(seconds: number): string {
  const parts: [number, string][] = [
    [Math.floor(seconds / 86_400), 'd'],
    [Math.floor((seconds % 86_400) / 3600), 'h'],
    [Math.floor((seconds % 3600) / 60), 'm'],
    [seconds % 60, 's'],
  ];
  const shown = parts.filter(([value], index) => value > 0 || index === parts.length - 1);
  return shown.map(([value, unit]) => `${value}${unit}`).join(' ');
}
