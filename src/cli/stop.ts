import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { probeHealth } from '../daemon/probe.js';
import { isRecordedProxy, processAlive, readRecord, removeRecord } from '../daemon/record.js';
import { addServeOptions, CLOSE_MARGIN_MS } from './serve.js';
import { flagsToConfig, type ConfigFlags } from './options.js';
import { configuredProxyUrl } from './proxy-address.js';
import { say } from './output.js';

const POLL_MS = 100;

export function registerStop(program: Command): void {
  const command = program
    .command('stop')
    .description('stop the proxy `dbx-proxy start` runs: running requests get the shutdown grace period to finish');
  addServeOptions(command).action((flags: ConfigFlags) => stop(flags));
}

async function stop(flags: ConfigFlags): Promise<void> {
  const { config } = await loadConfig({ flags: flagsToConfig(flags), configPath: flags.config });
  const record = readRecord();
  if (!record || !isRecordedProxy(record.pid)) {
    if (record) removeRecord(record.pid);
    say('dbx-proxy is not running in the background (nothing `dbx-proxy start` started is left).');
    const url = configuredProxyUrl(config);
    // A foreground one is not ours to signal, but the user is probably looking for it.
    if (await probeHealth(url)) say(`A dbx-proxy started otherwise answers at ${url}: stop it where it runs (Ctrl+C in its terminal, or its service manager).`);
    return;
  }
  const waitMs = config.server.shutdownGraceMs + CLOSE_MARGIN_MS;
  say(`stopping dbx-proxy (pid ${record.pid}) at ${record.url}; running requests get up to ${Math.round(config.server.shutdownGraceMs / 1000)} s to finish...`);
  process.kill(record.pid, 'SIGTERM');
  if (await exited(record.pid, waitMs + 2_000)) {
    say('stopped.');
    return;
  }
  process.kill(record.pid, 'SIGKILL');
  removeRecord(record.pid);
  throw new Error(`the proxy (pid ${record.pid}) did not stop within ${Math.round(waitMs / 1000)} s of SIGTERM and was killed; its log may say why.`);
}

async function exited(pid: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (!processAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return false;
}
