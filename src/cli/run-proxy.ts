import { classifyFamily } from '../databricks/family.js';
import type { ClientModel } from '../clients/models.js';
import type { Config } from '../config/schema.js';
import { createStderrLogger } from './output.js';
import { clientModels, configuredProxyUrl } from './proxy-address.js';

/** The proxy an agent run talks to: one already listening, or one started for the agent's lifetime. */
export interface AgentProxy {
  url: string;
  models: ClientModel[];
  /** Whether this process started it (and `close` stops it). */
  started: boolean;
  close(): Promise<void>;
}

/** How long the /health probe may take; a proxy on loopback answers in milliseconds. */
const PROBE_TIMEOUT_MS = 1_500;

/**
 * The proxy already listening on the configured port, when `GET /health`
 * answers as dbx-proxy does; else a new one in this process on a free
 * loopback port, with serve's workspace rules (the demo emulator when no
 * workspace is configured, announced on stderr). Its logs go to stderr at
 * `logLevel`.
 */
export async function openAgentProxy(config: Config, apiKey: string, logLevel: string): Promise<AgentProxy> {
  const url = configuredProxyUrl(config);
  if (await isDbxProxy(url)) return { url, models: await listModels(url, apiKey), started: false, close: async () => {} };

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

async function isDbxProxy(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    const body = (await response.json()) as { status?: unknown; surface?: unknown };
    // Another server on the port may answer /health too; only dbx-proxy reports a surface.
    return response.ok && body.status === 'ok' && typeof body.surface === 'string';
  } catch {
    return false;
  }
}

/** The running proxy's model names; families are classified from the names, as the catalog does. */
async function listModels(url: string, apiKey: string): Promise<ClientModel[]> {
  const response = await fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${apiKey}` }, signal: AbortSignal.timeout(PROBE_TIMEOUT_MS * 4) });
  if (!response.ok) throw new Error(`the proxy at ${url} answered GET /v1/models with HTTP ${response.status}`);
  const body = (await response.json()) as { data?: { id?: unknown }[] };
  return (body.data ?? []).flatMap((model) => (typeof model.id === 'string' ? [{ id: model.id, family: classifyFamily(model.id) }] : []));
}
