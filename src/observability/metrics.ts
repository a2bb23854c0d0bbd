import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RequestRecord, TokenCounts } from './request-record.js';
import { TOKEN_KINDS } from './request-record.js';

/** Snake-case token kinds, as the `kind` label spells them. */
const KIND_LABEL: Record<keyof TokenCounts, string> = {
  input: 'input',
  output: 'output',
  cacheRead: 'cache_read',
  cacheWrite: 'cache_write',
  reasoning: 'reasoning',
};

/** Seconds: quick local answers up to long agent turns. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
/** The proxy's own part is measured in fractions of a millisecond. */
const OVERHEAD_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/** What the metrics read besides the request records: counts the workspace keeps. */
export interface MetricSources {
  activeStreams(): number;
  tokenRefreshes(): number;
  catalogSize(): number;
}

/**
 * The Prometheus metrics of one proxy (its own registry: tests run several
 * proxies in one process). Every label value is bounded: route patterns,
 * catalog endpoint names, families, surfaces, modes, statuses, outcomes,
 * repair ids, token kinds; never a request id, a path or free text.
 */
export class ProxyMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'route' | 'model' | 'family' | 'surface' | 'mode' | 'status' | 'outcome'>;
  private readonly duration: Histogram<'route' | 'model' | 'outcome'>;
  private readonly ttfb: Histogram<'route' | 'model'>;
  private readonly overhead: Histogram<'route' | 'mode'>;
  private readonly tokens: Counter<'model' | 'kind'>;
  private readonly retries: Counter<'status'>;
  private readonly upstreamErrors: Counter<'status'>;
  private readonly repairs: Counter<'repair'>;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'dbx_proxy_requests_total',
      help: 'Requests answered, by inbound route, model, family, surface, mode, status and outcome',
      labelNames: ['route', 'model', 'family', 'surface', 'mode', 'status', 'outcome'],
      registers,
    });
    this.duration = new Histogram({
      name: 'dbx_proxy_request_duration_seconds',
      help: 'Time from request to the end of its answer',
      labelNames: ['route', 'model', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.ttfb = new Histogram({
      name: 'dbx_proxy_time_to_first_byte_seconds',
      help: "Time from request to the answer's first byte",
      labelNames: ['route', 'model'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.overhead = new Histogram({
      name: 'dbx_proxy_overhead_seconds',
      help: "The proxy's own time before the first byte: time to first byte less the time spent waiting on the upstream",
      labelNames: ['route', 'mode'],
      buckets: OVERHEAD_BUCKETS,
      registers,
    });
    this.tokens = new Counter({ name: 'dbx_proxy_tokens_total', help: 'Tokens by model and kind', labelNames: ['model', 'kind'], registers });
    this.retries = new Counter({
      name: 'dbx_proxy_upstream_retries_total',
      help: 'Upstream attempts retried, by what failed (a status or a network error code)',
      labelNames: ['status'],
      registers,
    });
    this.upstreamErrors = new Counter({
      name: 'dbx_proxy_upstream_errors_total',
      help: 'Requests whose upstream call failed in the end, by status (or network error code)',
      labelNames: ['status'],
      registers,
    });
    this.repairs = new Counter({ name: 'dbx_proxy_repairs_total', help: 'Requests each repair ran on, by repair id', labelNames: ['repair'], registers });
    new Gauge({
      name: 'dbx_proxy_active_streams',
      help: 'Streams being relayed now',
      registers,
      collect() {
        this.set(sources.activeStreams());
      },
    });
    new Gauge({
      name: 'dbx_proxy_catalog_models',
      help: 'Models in the catalog',
      registers,
      collect() {
        this.set(sources.catalogSize());
      },
    });
    let refreshesSeen = 0;
    new Counter({
      name: 'dbx_proxy_token_refreshes_total',
      help: 'Databricks tokens fetched (at start, on expiry, after an upstream 401)',
      registers,
      collect() {
        const now = sources.tokenRefreshes();
        this.inc(now - refreshesSeen);
        refreshesSeen = now;
      },
    });
  }

  read(record: RequestRecord): void {
    const { summary } = record;
    const model = summary.endpoint ?? '';
    const route = record.route;
    this.requests.inc({
      route,
      model,
      family: summary.family ?? '',
      surface: summary.surface ?? '',
      mode: summary.mode ?? '',
      status: String(record.status),
      outcome: record.outcome,
    });
    this.duration.observe({ route, model, outcome: record.outcome }, record.ms / 1000);
    if (summary.attempts === undefined) return;
    // Requests that reached the upstream: the rest (a refused key, a bad body) have no first byte or overhead worth a bucket.
    this.ttfb.observe({ route, model }, record.ttfbMs / 1000);
    this.overhead.observe({ route, mode: summary.mode ?? '' }, record.overheadMs / 1000);
    for (const kind of TOKEN_KINDS) if (record.tokens?.[kind]) this.tokens.inc({ model, kind: KIND_LABEL[kind] }, record.tokens[kind]);
    const attempts = summary.attempts;
    for (const attempt of attempts.slice(0, -1)) this.retries.inc({ status: String(attempt.status ?? attempt.error) });
    const last = attempts.at(-1);
    if (last && (last.error !== undefined || (last.status ?? 0) >= 400)) this.upstreamErrors.inc({ status: String(last.status ?? last.error) });
    for (const repair of summary.repairs ?? []) this.repairs.inc({ repair });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
