import { INBOUND_DIALECTS, INBOUND_PATHS } from '../../dialects/dialect.js';
import { activeRepairs } from '../../repairs/pipeline.js';
import type { Observability } from '../observability.js';
import type { RequestRecord, TokenCounts } from '../request-record.js';
import { emptyTokens } from '../totals.js';
import { usageSeries, type SeriesPoint } from '../usage/usage-query.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** How many days the daily charts cover. */
const DAYS = 14;

export interface StatusData {
  version: string;
  workspace: string;
  surface: string;
  demo: boolean;
  startedAt: number;
  now: number;
  totals: { requests: number; errors: number; activeStreams: number; tokens: TokenCounts };
  models: StatusModel[];
  recent: StatusRequest[];
  errors: StatusRequest[];
  repairs: { id: string; requests: number }[];
  history: { enabled: boolean; lastHour: SeriesPoint[]; lastDays: SeriesPoint[] };
}

interface StatusModel {
  name: string;
  family: string;
  ready: boolean;
  /** Per inbound path: the upstream dialect that answers, and how; with the repairs that run there. */
  routes: { path: string; upstream: string; surface: string; mode: string; repairs: string[] }[];
  requests: number;
  errors: number;
  tokens: TokenCounts;
  avgMs: number;
}

interface StatusRequest {
  time: number;
  requestId: string;
  client: string;
  path: string;
  model: string;
  status: number;
  outcome: string;
  stream: boolean;
  ms: number;
  ttfbMs: number;
  tokens: TokenCounts;
  retries: number;
  repairs: string[];
  error?: string;
}

/** What the status page shows, in one document: live figures from memory, charts from the usage history. */
export function statusData(observability: Observability): StatusData {
  const { config, version } = observability.options;
  const workspace = observability.options.workspace();
  const { totals, recent, usage } = observability;
  const now = Date.now();
  usage?.flush();
  const models = workspace.catalog
    .entries()
    .slice()
    .sort((a, b) => a.endpoint.localeCompare(b.endpoint))
    .map((entry): StatusModel => {
      const seen = totals.models.get(entry.endpoint);
      return {
        name: entry.endpoint,
        family: entry.family,
        ready: entry.ready,
        routes: INBOUND_DIALECTS.flatMap((inbound) => {
          // The route a request would take now: the first candidate, as the route memory orders them.
          const [route] = workspace.routes.order(entry.endpoint, workspace.routeCandidates(inbound, entry));
          if (!route) return [];
          const repairs = activeRepairs(route, config).map((repair) => repair.id);
          return [{ path: INBOUND_PATHS[inbound], upstream: route.upstream, surface: route.surface, mode: route.mode, repairs }];
        }),
        requests: seen?.requests ?? 0,
        errors: seen?.errors ?? 0,
        tokens: seen?.tokens ?? emptyTokens(),
        avgMs: seen && seen.requests > 0 ? seen.ms / seen.requests : 0,
      };
    });
  return {
    version,
    workspace: workspace.host,
    surface: workspace.surface,
    demo: config.demo,
    startedAt: totals.started,
    now,
    totals: { requests: totals.requests, errors: totals.errors, activeStreams: observability.streams, tokens: totals.tokens },
    models,
    recent: recent.last().map(statusRequest),
    errors: recent.lastErrors().map(statusRequest),
    repairs: [...totals.repairs].map(([id, requests]) => ({ id, requests })).sort((a, b) => b.requests - a.requests),
    history: usage
      ? {
          enabled: true,
          lastHour: usageSeries(usage.db, Math.floor((now - HOUR_MS) / MINUTE_MS) * MINUTE_MS, MINUTE_MS),
          lastDays: usageSeries(usage.db, Math.floor(now / DAY_MS - DAYS + 1) * DAY_MS, DAY_MS),
        }
      : { enabled: false, lastHour: [], lastDays: [] },
  };
}

function statusRequest(record: RequestRecord): StatusRequest {
  const { summary } = record;
  const item: StatusRequest = {
    time: record.time,
    requestId: record.requestId,
    client: record.client,
    path: record.path,
    model: summary.endpoint ?? summary.model ?? '',
    status: record.status,
    outcome: record.outcome,
    stream: summary.stream !== undefined,
    ms: record.ms,
    ttfbMs: record.ttfbMs,
    tokens: record.tokens ?? emptyTokens(),
    retries: summary.retries ?? 0,
    repairs: summary.repairs ?? [],
  };
  if (summary.error !== undefined) item.error = summary.error;
  return item;
}
