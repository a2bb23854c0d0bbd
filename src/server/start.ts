import { readFileSync } from 'node:fs';
import type { Config } from '../config/schema.js';
import { openWorkspace, type Workspace } from '../databricks/workspace.js';
import type { Logger } from '../logging/logger.js';
import { Readiness } from '../health/readiness.js';
import { buildApp } from './app.js';
import { Observability } from '../observability/observability.js';
import { InFlight, shutdownError } from './in-flight.js';
import { isLoopback } from '../net/loopback.js';
import { checkDisabledRepairs } from '../repairs/check-config.js';
import { logActiveRepairs } from '../repairs/route-summary.js';
import { releaseYoungGeneration } from '../runtime/startup-heap.js';

export interface RunningProxy {
  /** e.g. http://127.0.0.1:8420 */
  readonly url: string;
  readonly workspace: Workspace;
  /** Metrics, usage history, status page figures (src/observability/). */
  readonly observability: Observability;
  /**
   * Graceful shutdown: stops accepting at once (requests that still arrive get
   * a 503 in their dialect), gives running requests server.shutdownGraceMs to
   * finish, then ends the rest with the client's error event, and closes.
   */
  close(): Promise<void>;
}

/** After the grace period, how long the ended streams get to write their error tails before connections are cut. */
const TAIL_FLUSH_MS = 2_000;

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * Opens the workspace (auth warmed, surface chosen, catalog loaded) and only
 * then listens, so the first request finds everything ready.
 */
export async function startProxy(config: Config, logger: Logger): Promise<RunningProxy> {
  if (!isLoopback(config.listen) && config.server.apiKeys.length === 0 && !config.server.passthroughAuth) {
    throw new Error(
      `Refusing to listen on ${config.listen} without server.apiKeys: anyone who can reach it could spend your Databricks credentials ` +
        '(or turn on server.passthroughAuth, where every caller spends its own).',
    );
  }
  checkDisabledRepairs(config);
  const workspace = await openWorkspace(config, logger);
  logActiveRepairs(config, workspace.surface, [...new Set(workspace.catalog.entries().map((entry) => entry.family))], logger);
  const inFlight = new InFlight();
  const readiness = new Readiness(workspace, config.health.probeSeconds, logger);
  let observability: Observability;
  try {
    observability = await Observability.open({ config, workspace, logger, version: VERSION });
  } catch (error) {
    readiness.stop();
    await workspace.close();
    throw error;
  }
  const app = buildApp({ config, workspace, logger, version: VERSION, inFlight, readiness, observability });
  try {
    await app.listen({ host: config.listen, port: config.port });
  } catch (error) {
    await observability.close();
    await workspace.close();
    throw error;
  }
  readiness.start();
  // Startup is over: from here the young generation may grow with the load (startup-heap.ts).
  releaseYoungGeneration();
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.listen.includes(':') ? `[${config.listen}]` : config.listen;
  return {
    url: `http://${host}:${port}`,
    workspace,
    observability,
    async close() {
      readiness.stop();
      inFlight.beginShutdown();
      const closed = app.close();
      if ((await inFlight.settled(config.server.shutdownGraceMs)) > 0) {
        logger.warn({ running: inFlight.size, graceMs: config.server.shutdownGraceMs }, 'shutdown grace period over: ending the requests still running');
        inFlight.abortAll(shutdownError());
        await inFlight.settled(TAIL_FLUSH_MS);
      }
      // Keep-alive connections that went idle after close() began are not reaped by it.
      app.server.closeAllConnections();
      await closed;
      await observability.close();
      await workspace.close();
    },
  };
}
