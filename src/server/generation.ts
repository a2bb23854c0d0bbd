import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/schema.js';
import { openWorkspace, type Workspace } from '../databricks/workspace.js';
import { Readiness } from '../health/readiness.js';
import type { Logger } from '../logging/logger.js';
import type { Observability } from '../observability/observability.js';
import { checkDisabledRepairs } from '../repairs/check-config.js';
import { logActiveRepairs } from '../repairs/route-summary.js';
import { buildApp } from './app.js';
import { InFlight } from './in-flight.js';

/**
 * One configuration at work: its workspace (credentials, surface, catalog),
 * its HTTP routes, and the requests it is serving. The proxy starts with one;
 * a reload (SIGHUP) opens the next and sends new requests to it, while the
 * previous one finishes the requests it has and is then closed.
 */
export interface Generation {
  readonly config: Config;
  readonly workspace: Workspace;
  readonly readiness: Readiness;
  readonly app: FastifyInstance;
  readonly inFlight: InFlight;
}

export interface GenerationOptions {
  logger: Logger;
  version: string;
  /** The process's observability, opened with the first generation (reload-plan.ts); every generation's routes report to it. */
  observability: () => Promise<Observability>;
}

/** Opens the workspace and builds the routes; nothing is served until the caller routes requests to `app`. */
export async function openGeneration(config: Config, { logger, version, observability }: GenerationOptions): Promise<Generation> {
  checkDisabledRepairs(config);
  const workspace = await openWorkspace(config, logger);
  logActiveRepairs(config, workspace.surface, [...new Set(workspace.catalog.entries().map((entry) => entry.family))], logger);
  const inFlight = new InFlight();
  const readiness = new Readiness(workspace, config.health.probeSeconds, logger);
  try {
    const app = buildApp({ config, workspace, logger, version, inFlight, readiness, observability: await observability() });
    await app.ready();
    return { config, workspace, readiness, app, inFlight };
  } catch (error) {
    readiness.stop();
    await workspace.close();
    throw error;
  }
}

/** Closes what the generation holds: its readiness probe, its routes, its workspace (catalog timer, upstream pool). Call once it serves nothing. */
export async function closeGeneration(generation: Generation): Promise<void> {
  generation.readiness.stop();
  await generation.app.close();
  await generation.workspace.close();
}
