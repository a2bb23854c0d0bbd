import type { Config } from '../config/schema.js';
import { probeHealth } from '../daemon/probe.js';
import { readRecord } from '../daemon/record.js';
import { configuredProxyUrl } from './proxy-address.js';

/**
 * A failure to listen, said with its cause and fix. A port in use is the
 * common one, and usually by a dbx-proxy already running: then say where it
 * is and how to stop it, rather than Node's bare EADDRINUSE.
 */
export async function explainListenError(error: unknown, config: Config): Promise<unknown> {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'EACCES') {
    return new Error(`cannot listen on ${config.listen}:${config.port}: permission denied (ports below 1024 need privileges). Fix: pass --port 8420 or another port above 1023.`);
  }
  if (code !== 'EADDRINUSE') return error;
  const url = configuredProxyUrl(config);
  const health = await probeHealth(url);
  if (!health) {
    return new Error(
      `port ${config.port} on ${config.listen} is already in use by another program (not a dbx-proxy). ` +
        `Fix: pass --port <another port> (or set DBX_PROXY_PORT), or stop that program (\`lsof -i :${config.port}\` names it).`,
    );
  }
  const record = readRecord();
  const how = record?.url === url ? `stop it with \`dbx-proxy stop\` (pid ${record.pid})` : 'stop it where it runs (Ctrl+C in its terminal)';
  return new Error(
    `port ${config.port} is already in use by a dbx-proxy (${health.demo ? 'the DEMO workspace' : health.workspace ?? 'a workspace'}) at ${url}. ` +
      `Fix: use that one (clients at ${url}, \`dbx-proxy status\`), ${how}, or pass --port <another port>.`,
  );
}
