import { classifyFamily } from '../databricks/family.js';
import type { ClientModel } from '../clients/models.js';
import type { Config } from '../config/schema.js';
import { createStderrLogger } from './output.js';
import { readRecord } from '../daemon/record.js';
import { probeHealth } from '../daemon/probe.js';
import { clientModels, configuredProxyUrl } from './proxy-address.js';

/** How long listing a running proxy's models may take. */
const LIST_TIMEOUT_MS = 6_000;

/** A dbx-proxy already answering: on the configured port first, then the one `dbx-proxy start` recorded. */
async function runningProxyUrl(config: Config): Promise<string | undefined> {
  const candidates = [configuredProxyUrl(config), readRecord()?.url].filter((url): url is string => url !== undefined);
  for (const url of new Set(candidates)) if (await probeHealth(url)) return url;
  return undefined;
}

/** The proxy an agent run talks to: one already listening, or one started for the agent's lifetime. */
export interface AgentProxy {
  url: string;
  models: ClientModel[];
  /** Whether this process started it (and `close` stops it). */
  started: boolean;
  close(): Promise<void>;
}

/**
 * The proxy already listening on the configured port, or the one `dbx-proxy
 * start` left running, when `GET /health` answers as dbx-proxy does; else a new one in this process on a free
 * loopback port, with serve's workspace rules (the demo emulator when no
 * workspace is configured, announced on stderr). Its logs go to stderr at
 * `logLevel`.
 */
export async function openAgentProxy(config: Config, apiKey: string, logLevel: string): Promise<AgentProxy> {
  const url = await runningProxyUrl(config);
  if (url) return { url, models: await listModels(url, apiKey), started: false, close: async () => {} };

  const [{ startProxy }, { chooseWorkspace }] = await Promise.all([import('../server/start.js'), import('./workspace-choice.js')]);
  const chosen = await chooseWorkspace(config);
  const logger = createStderrLogger(logLevel);
  let proxy;
  try {
    // A free port on loopback: a second run next to a listening proxy, or a user's other server, never collides.
    proxy = await startProxy({ ...chosen.config, listen: '127.0.0.1', port: 0 }, logger);
  } catch (error) {
    await chosen.emulator?.close();
    throw error;
  }
  return {
    url: proxy.url,
    models: clientModels(proxy.workspace.catalog.entries()),
    started: true,
    async close() {
      await proxy.close();
      await chosen.emulator?.close();
      await new Promise<void>((resolve) => logger.flush(() => resolve()));
    },
  };
}

/** The running proxy's model names; families are classified from the names, as the catalog does. */
async function listModels(url: string, apiKey: string): Promise<ClientModel[]> {
  const response = await fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${apiKey}` }, signal: AbortSignal.timeout(LIST_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`the proxy at ${url} answered GET /v1/models with HTTP ${response.status}`);
  const body = (await response.json()) as { data?: { id?: unknown }[] };
  return (body.data ?? []).flatMap((model) => (typeof model.id === 'string' ? [{ id: model.id, family: classifyFamily(model.id) }] : []));
}
