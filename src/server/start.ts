import { readFileSync } from 'node:fs';
import type { Config } from '../config/schema.js';
import { openWorkspace, type Workspace } from '../databricks/workspace.js';
import type { Logger } from '../logging/logger.js';
import { buildApp } from './app.js';
import { isLoopback } from '../net/loopback.js';

export interface RunningProxy {
  /** e.g. http://127.0.0.1:8420 */
  readonly url: string;
  readonly workspace: Workspace;
  close(): Promise<void>;
}

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * Opens the workspace (auth warmed, surface chosen, catalog loaded) and only
 * then listens, so the first request finds everything ready.
 */
export async function startProxy(config: Config, logger: Logger): Promise<RunningProxy> {
  if (!isLoopback(config.listen) && config.server.apiKeys.length === 0) {
    throw new Error(`Refusing to listen on ${config.listen} without server.apiKeys: anyone who can reach it could spend your Databricks credentials.`);
  }
  const workspace = await openWorkspace(config, logger);
  const app = buildApp({ config, workspace, logger, version: VERSION });
  try {
    await app.listen({ host: config.listen, port: config.port });
  } catch (error) {
    await workspace.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.listen.includes(':') ? `[${config.listen}]` : config.listen;
  return {
    url: `http://${host}:${port}`,
    workspace,
    async close() {
      await app.close();
      await workspace.close();
    },
  };
}
