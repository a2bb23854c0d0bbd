import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config/schema.js';
import { INBOUND_PATHS, type InboundDialect } from '../dialects/dialect.js';
import type { CatalogEntry } from '../databricks/catalog-entry.js';
import type { Workspace } from '../databricks/workspace.js';
import { clipped, MODEL_NAME_MAX_LENGTH, quoted } from '../errors/client-value.js';
import { ProxyError, type ErrorKind } from '../errors/proxy-error.js';
import { optedOut } from '../caching/auto-cache.js';
import { noteAttempt, observeStream, serverTiming } from '../observability/forward-hooks.js';
import { withoutSecret } from '../secrets/scrubber.js';
import type { RouteCandidate } from '../routing/plan.js';
import { readBounded } from '../upstream/bounded-body.js';
import type { RequestBudget } from '../upstream/request-budget.js';
import type { UpstreamAttempt, UpstreamResponse } from '../upstream/client.js';
import { activeRepairs } from '../repairs/pipeline.js';
import { noteValue } from '../repairs/request/notes.js';
import type { RepairContext } from '../repairs/types.js';
import { exchangesFor, type RouteRepairs } from './exchange.js';
import type { InFlight } from './in-flight.js';
import type { Observability } from '../observability/observability.js';
import type { StreamOutcome, TextScrubber } from './sse-response.js';
import { sendOnRoutes } from './route-sender.js';
import { upstreamHeaders } from './upstream-headers.js';
import { answerUsage, type SeenUsage } from './stream-usage.js';

export interface ProxyContext {
  config: Config;
  workspace: Workspace;
  userAgent: string;
  /** Running requests, for a graceful shutdown. */
  inFlight: InFlight;
  /** Removes credentials from the error events of relayed streams (src/secrets/scrubber.ts). */
  scrubText: TextScrubber;
  observability: Observability;
}

/** What a request did, for its one summary log line. */
export interface ForwardSummary {
  model?: string;
  endpoint?: string;
  surface?: string;
  mode?: string;
  route?: string;
  /** Route candidates that answered "not served here" before the one that answered. */
  movedOn?: number;
  upstreamStatus?: number;
  /** Upstream attempts that failed before the answer and were retried (never after a byte reached the client). */
  retries?: number;
  stream?: StreamOutcome;
  /** Why the request failed before its answer, as the client was told (credentials scrubbed). */
  error?: string;
  errorKind?: ErrorKind;
  family?: string;
  /** A whole answer's token counts, prompt-cache reads and writes included (a stream's are in `stream`). */
  usage?: SeenUsage;
  /** The repairs that ran on the route taken (ids). */
  repairs?: string[];
  /** Each upstream attempt's timings (src/observability/ reads them). */
  attempts?: UpstreamAttempt[];
  /** `performance.now()` when the answer's first byte left (streams). */
  firstByteAt?: number;
  /** Who made the request: a fingerprint of the key it presented, never the key (src/passthrough/caller.ts). */
  caller?: string;
}

/**
 * One inference request: resolve the model, walk its route candidates (best
 * first, or the one that worked last) with one retry budget, and answer on
 * the route that served it.
 */
export async function forwardInference(
  inbound: InboundDialect,
  request: FastifyRequest,
  reply: FastifyReply,
  context: ProxyContext,
  summary: ForwardSummary,
): Promise<void> {
  const body = request.body as Record<string, unknown>;
  const entry = resolveModel(body.model, context, inbound);
  const clientModel = typeof body.model === 'string' ? body.model : entry.endpoint;
  summary.model = clipped(clientModel);
  summary.endpoint = entry.endpoint;
  summary.family = entry.family;

  const { workspace } = context;
  const candidates = workspace.routeCandidates(inbound, entry);
  const exchangeFor = exchangesFor(inbound, body, { endpoint: entry.endpoint, family: entry.family, clientModel });
  const abort = new AbortController();
  const untrack = context.inFlight.track(abort);
  // The client went away: stop the upstream call at once (it may be generating for minutes).
  reply.raw.on('close', () => {
    if (!reply.raw.writableFinished) abort.abort();
    untrack();
  });

  const repairsFor = (route: RouteCandidate): RouteRepairs => {
    const repairContext: RepairContext = {
      inbound,
      upstream: route.upstream,
      surface: route.surface,
      family: entry.family,
      endpoint: entry.endpoint,
      config: context.config,
      note: (name, names) => void reply.header(name, noteValue(names)),
      warn: (message, fields) => request.log.warn({ endpoint: entry.endpoint, ...fields }, message),
    };
    return { repairs: activeRepairs(repairContext, context.config), context: repairContext, noAutoCache: optedOut(request.headers) };
  };
  // An answer read whole is bounded like one stream event (bounded-body.ts).
  const readBody = (answer: UpstreamResponse): Promise<string> => readBounded(answer.body, context.config.upstream.maxFrameBytes);
  // The repairs (and their context) that built a route's body also read its answer: a repair may carry state from one to the other.
  const repairsSent = new Map<RouteCandidate, RouteRepairs>();
  const send = (candidate: RouteCandidate, budget: RequestBudget): Promise<UpstreamResponse> => {
    const exchange = exchangeFor(candidate);
    const repairs = repairsFor(candidate);
    repairsSent.set(candidate, repairs);
    summary.route = candidate.path.url(entry.endpoint, exchange.stream);
    summary.repairs = repairs.repairs.map((repair) => repair.id);
    return workspace.client.send({
      method: 'POST',
      path: summary.route,
      headers: { ...upstreamHeaders(candidate, request, context.userAgent, context.config), 'x-request-id': request.id },
      body: exchange.upstreamBody(repairs, candidate.path),
      signal: abort.signal,
      budget,
      // Passthrough auth: the caller's own token, not the proxy's.
      ...(request.caller ? { authorization: request.caller.authorization } : {}),
      onRetry: () => void (summary.retries = (summary.retries ?? 0) + 1),
      onAttempt: (attempt) => noteAttempt(request, summary, attempt),
    });
  };
  const { candidate, response } = await sendOnRoutes(workspace, entry, candidates, summary, abort.signal, send, readBody);

  const exchange = exchangeFor(candidate);
  const route = repairsSent.get(candidate) ?? repairsFor(candidate);
  void reply.header('server-timing', serverTiming(reply.elapsedTime, summary.attempts));
  if (!exchange.stream) {
    const text = await readBody(response);
    summary.usage = answerUsage(candidate.upstream, text);
    const answer = exchange.answer(text, route);
    await reply.code(200).header('content-type', 'application/json').send(answer);
    return;
  }
  reply.hijack();
  // Headers a repair set (notes to the client) must reach the raw response once Fastify lets go of it.
  for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) reply.raw.setHeader(name, value);
  observeStream(reply.raw, summary, context.observability);
  // An upstream may echo the credential it was sent: in passthrough mode, the caller's own.
  const caller = request.caller;
  const scrubText = caller ? (text: string): string => withoutSecret(context.scrubText(text), caller.token) : context.scrubText;
  const out = request.streamFraming?.(reply.raw) ?? reply.raw;
  summary.stream = await exchange.relayStream(response.body, out, route, scrubText);
}

export function resolveModel(model: unknown, context: ProxyContext, inbound: InboundDialect): CatalogEntry {
  if (model !== undefined && typeof model !== 'string') {
    throw new ProxyError('invalid_request', '`model` must be a string', { param: 'model' });
  }
  if (model !== undefined && model.length > MODEL_NAME_MAX_LENGTH) {
    throw new ProxyError('invalid_request', `\`model\` is ${model.length} characters long; model names have at most ${MODEL_NAME_MAX_LENGTH}`, { param: 'model' });
  }
  const resolution = context.workspace.catalog.resolve(model);
  if (resolution.ok) return resolution.entry;
  if (resolution.reason === 'missing') {
    throw new ProxyError('invalid_request', 'No `model` given and no default model is configured (models.default)', { param: 'model' });
  }
  const hint = resolution.suggestions.length ? ` Did you mean: ${resolution.suggestions.join(', ')}?` : '';
  throw new ProxyError('not_found', `The model ${quoted(model)} does not exist in this workspace (${INBOUND_PATHS[inbound]}).${hint}`, {
    param: 'model',
  });
}
