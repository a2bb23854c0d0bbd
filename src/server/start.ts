import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { Config } from '../config/schema.js';
import type { Workspace } from '../databricks/workspace.js';
import type { Logger } from '../logging/logger.js';
import { Observability } from '../observability/observability.js';
import { isLoopback } from '../net/loopback.js';
import { releaseYoungGeneration } from '../runtime/startup-heap.js';
import { applyConnectionLimits, connectionOptions } from './connection-limits.js';
import { closeGeneration, openGeneration, type Generation } from './generation.js';
import { shutdownError } from './in-flight.js';
import { keepRestartOnly, restartOnlyChanges } from './reload-plan.js';

export interface RunningProxy {
  /** e.g. http://127.0.0.1:8420 */
  readonly url: string;
  /** The workspace of the configuration now in force. */
  readonly workspace: Workspace;
  /** Metrics, usage history, status page figures (src/observability/). */
  readonly observability: Observability;
  /**
   * Applies a new configuration without dropping a request (SIGHUP): a new
   * workspace is opened and new requests go to it; running requests finish on
   * the old one, which is then closed. Resolves with the restart-only settings
   * that were left as they were (reload-plan.ts); rejects, keeping the running
   * configuration, when the new one cannot be opened.
   */
  reload(config: Config): Promise<string[]>;
  /**
   * Graceful shutdown: stops accepting at once (requests that still arrive get
   * a 503 in their dialect), gives running requests server.shutdownGraceMs to
   * finish, then ends the rest with the client's error event, and closes.
   */
  close(): Promise<void>;
}

/** After the grace period, how long the ended streams get to write their error tails before connections are cut. */
const TAIL_FLUSH_MS = 2_000;
/** Fastify's default, kept now that the proxy owns its HTTP server: idle keep-alive connections close after this. */
const KEEP_ALIVE_TIMEOUT_MS = 72_000;

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * Opens the workspace (auth warmed, surface chosen, catalog loaded) and only
 * then listens, so the first request finds everything ready. The HTTP server
 * is the proxy's own and outlives configurations: each request goes to the
 * routes of the generation in force when it arrives (generation.ts).
 */
export async function startProxy(config: Config, logger: Logger): Promise<RunningProxy> {
  if (!isLoopback(config.listen) && config.server.apiKeys.length === 0 && !config.server.passthroughAuth) {
    throw new Error(
      `Refusing to listen on ${config.listen} without server.apiKeys: anyone who can reach it could spend your Databricks credentials ` +
        '(or turn on server.passthroughAuth, where every caller spends its own).',
    );
  }
  let observability: Observability | undefined;
  const options = {
    logger,
    version: VERSION,
    // One Observability outlives reloads; it reads the workspace of the generation in force (read only once requests arrive, after `current` is set).
    observability: async () => (observability ??= await Observability.open({ config, workspace: () => current.workspace, logger, version: VERSION })),
  };
  let current: Generation = await openGeneration(config, options);
  /** Generations replaced by a reload, still finishing their requests. */
  const retiring = new Set<Generation>();
  let closing = false;
  const server = createServer(connectionOptions(config.server), (request, response) => {
    // Shutting down: the 503 the routes answer is the connection's last (a client's next try opens a new one, to a proxy that is back).
    if (closing) response.shouldKeepAlive = false;
    current.app.routing(request, response);
  });
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  applyConnectionLimits(server, config.server);
  try {
    await listen(server, config.listen, config.port);
  } catch (error) {
    await closeGeneration(current);
    await observability?.close();
    throw error;
  }
  current.readiness.start();
  // Startup is over: from here the young generation may grow with the load (startup-heap.ts).
  releaseYoungGeneration();
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.listen.includes(':') ? `[${config.listen}]` : config.listen;

  /** Closes a replaced generation once its last request is done (bounded by the longest a request may run). */
  const retire = (generation: Generation): void => {
    retiring.add(generation);
    // Its catalog and readiness checks would only call the workspace for nothing while its last requests finish.
    generation.readiness.stop();
    generation.workspace.catalog.stop();
    void generation.inFlight
      .settled(generation.config.upstream.totalTimeoutMs)
      .then(() => closeGeneration(generation))
      .catch((error: unknown) => logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'closing the previous configuration failed'))
      .finally(() => retiring.delete(generation));
  };

  return {
    url: `http://${host}:${port}`,
    get workspace() {
      return current.workspace;
    },
    get observability() {
      // Set by the first generation, before startProxy returned.
      return observability as Observability;
    },
    async reload(next) {
      const kept = restartOnlyChanges(current.config, next);
      const applied = keepRestartOnly(current.config, next);
      const generation = await openGeneration(applied, options);
      const previous = current;
      current = generation;
      applyConnectionLimits(server, applied.server);
      logger.level = applied.log.level;
      generation.readiness.start();
      retire(previous);
      return kept;
    },
    async close() {
      closing = true;
      const all = [current, ...retiring];
      for (const generation of all) {
        generation.readiness.stop();
        generation.inFlight.beginShutdown();
      }
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const grace = current.config.server.shutdownGraceMs;
      const running = (await Promise.all(all.map((generation) => generation.inFlight.settled(grace)))).reduce((sum, count) => sum + count, 0);
      if (running > 0) {
        logger.warn({ running, graceMs: grace }, 'shutdown grace period over: ending the requests still running');
        for (const generation of all) generation.inFlight.abortAll(shutdownError());
        await Promise.all(all.map((generation) => generation.inFlight.settled(TAIL_FLUSH_MS)));
      }
      // Keep-alive connections that went idle after close() began are not reaped by it.
      server.closeAllConnections();
      await closed;
      for (const generation of all) await closeGeneration(generation);
      await observability?.close();
    },
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
