import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config/schema.js';
import type { Workspace } from '../databricks/workspace.js';
import type { Logger } from '../logging/logger.js';
import { INBOUND_PATHS } from '../dialects/dialect.js';
import { keyLabeller } from './key-label.js';
import { ProxyMetrics } from './metrics.js';
import { RecentRequests } from './recent-requests.js';
import { buildRecord, type RequestRecord } from './request-record.js';
import { REQUEST_ID_HEADER } from './request-id.js';
import { logRequest } from './request-log.js';
import { registerStatusRoutes } from './status/status-routes.js';
import { Totals } from './totals.js';
import { loadTracing, type RequestTracer } from './traces.js';
import { usagePath } from './usage/usage-path.js';
import { UsageWriter } from './usage/usage-writer.js';

/** Inference routes: with the requests the relay served (a summary: Gemini's routes too), the only ones the history, the totals and the status page count. */
const INFERENCE_ROUTES: ReadonlySet<string> = new Set(Object.values(INBOUND_PATHS));
/** What the readers of /metrics and the status page fetch is not counted as traffic. */
const OWN_ROUTES: ReadonlySet<string> = new Set(['/metrics', '/', '/status/data.json', '/status/page.js']);

export interface ObservabilityOptions {
  config: Config;
  /** The workspace in force now: a reload (SIGHUP) replaces it, and the gauges and status page must follow. */
  workspace: () => Workspace;
  logger: Logger;
  version: string;
}

/**
 * Seeing what the proxy does. One producer, several readers: when a
 * request's response has closed, its summary (built by the relay, see
 * ForwardSummary) becomes one RequestRecord, and each reader takes it: the
 * log line, the Prometheus metrics, the usage history, the trace exporter,
 * the status page's totals and last requests. Nothing here runs before a
 * response is done, except the request id and Server-Timing headers.
 */
export class Observability {
  readonly metrics: ProxyMetrics | undefined;
  readonly totals = new Totals();
  readonly recent = new RecentRequests();
  private activeStreams = 0;
  private readonly keyOf: (request: FastifyRequest) => string | undefined;

  private constructor(
    readonly options: ObservabilityOptions,
    readonly usage: UsageWriter | undefined,
    private readonly tracer: RequestTracer | undefined,
  ) {
    const { config, workspace } = options;
    this.keyOf = keyLabeller(config.server.apiKeys);
    this.metrics = config.observability.metrics
      ? new ProxyMetrics({
          activeStreams: () => this.activeStreams,
          tokenRefreshes: () => workspace().auth.tokensSeen,
          catalogSize: () => workspace().catalog.entries().length,
        })
      : undefined;
  }

  static async open(options: ObservabilityOptions): Promise<Observability> {
    const { config, logger } = options;
    const settings = config.observability.usage;
    const usage = settings.enabled ? UsageWriter.open(usagePath(config), settings.retentionDays, logger) : undefined;
    try {
      const tracer = await loadTracing(config, options.version, logger);
      return new Observability(options, usage, tracer);
    } catch (error) {
      usage?.close();
      throw error;
    }
  }

  /** The onRequest hook's part: every answer carries its request id (Fastify's `request.id`, see request-id.ts). */
  begin(request: FastifyRequest, reply: FastifyReply): void {
    void reply.header(REQUEST_ID_HEADER, request.id);
  }

  /** The response closed (and the relay noted what it saw): every reader takes the request's record. */
  finish(request: FastifyRequest, reply: FastifyReply, startedAt: number): void {
    const record = buildRecord(request, reply, startedAt, this.keyOf(request));
    const own = OWN_ROUTES.has(record.route);
    logRequest(request.log, record, own);
    if (own) return;
    this.metrics?.read(record);
    if (request.summary === undefined && !INFERENCE_ROUTES.has(record.route)) return;
    this.totals.read(record);
    this.recent.read(record);
    this.usage?.read(record);
    this.tracer?.read(record);
  }

  streamOpened(): void {
    this.activeStreams += 1;
  }

  streamClosed(): void {
    this.activeStreams -= 1;
  }

  get streams(): number {
    return this.activeStreams;
  }

  /** `GET /metrics` and the status page, each when enabled; the API's access rules cover them like any route. */
  registerRoutes(app: FastifyInstance): void {
    const metrics = this.metrics;
    if (metrics) {
      app.get('/metrics', async (_request, reply) => reply.header('content-type', metrics.contentType).send(await metrics.text()));
    }
    if (this.options.config.observability.statusPage) registerStatusRoutes(app, this);
  }

  async close(): Promise<void> {
    this.usage?.close();
    await this.tracer?.close();
  }
}

export type { RequestRecord };
