import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config/schema.js';
import { INBOUND_PATHS, type Dialect, type InboundDialect } from '../dialects/dialect.js';
import type { CatalogEntry } from '../databricks/catalog-entry.js';
import type { Workspace } from '../databricks/workspace.js';
import { clipped, MODEL_NAME_MAX_LENGTH, quoted } from '../errors/client-value.js';
import { ProxyError } from '../errors/proxy-error.js';
import { planRoute, upstreamPath, type RoutePlan } from '../routing/plan.js';
import type { UpstreamResponse } from '../upstream/client.js';
import { isEndpointNotFound, upstreamError } from '../upstream/upstream-error.js';
import { activeRepairs } from '../repairs/pipeline.js';
import { noteValue } from '../repairs/request/notes.js';
import type { RepairContext } from '../repairs/types.js';
import { passthroughExchange, translatedExchange, type Exchange, type RouteRepairs } from './exchange.js';
import type { InFlight } from './in-flight.js';
import type { StreamOutcome, TextScrubber } from './sse-response.js';

export interface ProxyContext {
  config: Config;
  workspace: Workspace;
  userAgent: string;
  /** Running requests, for a graceful shutdown. */
  inFlight: InFlight;
  /** Removes credentials from the error events of relayed streams (error-scrub.ts). */
  scrubText: TextScrubber;
}

/** Client headers the upstream must see too, per upstream dialect; everything else (the client's own key above all) stays here. */
const FORWARDED_HEADERS: Record<Dialect, readonly string[]> = {
  'anthropic-messages': ['anthropic-version', 'anthropic-beta'],
  'openai-chat': [],
  'openai-responses': [],
  gemini: [],
};

/** Headers an upstream dialect needs when the client did not send them (a translated request). */
const DEFAULT_HEADERS: Record<Dialect, Record<string, string>> = {
  'anthropic-messages': { 'anthropic-version': '2023-06-01' },
  'openai-chat': {},
  'openai-responses': {},
  gemini: {},
};

/** What a request did, for its one summary log line. */
export interface ForwardSummary {
  model?: string;
  endpoint?: string;
  surface?: string;
  mode?: string;
  route?: string;
  upstreamStatus?: number;
  /** Upstream attempts that failed before the answer and were retried (never after a byte reached the client). */
  retries?: number;
  stream?: StreamOutcome;
  /** Why the request failed before its answer, as the client was told (credentials scrubbed). */
  error?: string;
}

/**
 * One inference request: resolve the model, plan the route, build the
 * upstream body (as is, or through the IR), send it (falling back to Model
 * Serving when the gateway does not serve the endpoint), and answer.
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

  let plan = planRoute(inbound, entry.family, context.workspace.surfaceFor(entry.endpoint));
  summary.mode = plan.mode;
  const codecContext = { endpoint: entry.endpoint, family: entry.family, clientModel };
  const exchange: Exchange =
    plan.mode === 'passthrough' ? passthroughExchange(inbound, body, codecContext) : translatedExchange(plan, body, codecContext);
  const headers = upstreamHeaders(plan.upstream, request, context.userAgent);
  const abort = new AbortController();
  const untrack = context.inFlight.track(abort);
  // The client went away: stop the upstream call at once (it may be generating for minutes).
  reply.raw.on('close', () => {
    if (!reply.raw.writableFinished) abort.abort();
    untrack();
  });

  const repairsFor = (route: RoutePlan): RouteRepairs => {
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
    return { repairs: activeRepairs(repairContext, context.config), context: repairContext };
  };
  const send = (next: RoutePlan, repairs: RouteRepairs): Promise<UpstreamResponse> => {
    summary.surface = next.surface;
    summary.route = upstreamPath(next, entry.endpoint, exchange.stream);
    const upstreamBody = exchange.upstreamBody(repairs);
    return context.workspace.client.send({
      method: 'POST',
      path: summary.route,
      headers,
      body: upstreamBody,
      signal: abort.signal,
      onRetry: () => void (summary.retries = (summary.retries ?? 0) + 1),
    });
  };

  let route = repairsFor(plan);
  let response = await send(plan, route);
  if ((response.statusCode === 404 || response.statusCode === 501) && plan.surface === 'ai-gateway') {
    const text = await response.body.text();
    if (!isEndpointNotFound(response.statusCode, text)) throw upstreamError(response.statusCode, text, header(response, 'retry-after'));
    plan = planRoute(inbound, entry.family, context.workspace.fallBack(entry.endpoint));
    route = repairsFor(plan);
    response = await send(plan, route);
  }
  summary.upstreamStatus = response.statusCode;
  if (response.statusCode >= 300) {
    throw upstreamError(response.statusCode, await response.body.text(), header(response, 'retry-after'));
  }

  if (!exchange.stream) {
    const answer = exchange.answer(await response.body.text(), route);
    await reply.code(200).header('content-type', 'application/json').send(answer);
    return;
  }
  reply.hijack();
  // Headers a repair set (notes to the client) must reach the raw response once Fastify lets go of it.
  for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) reply.raw.setHeader(name, value);
  summary.stream = await exchange.relayStream(response.body, reply.raw, route, context.scrubText);
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

function upstreamHeaders(upstream: Dialect, request: FastifyRequest, userAgent: string): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': userAgent, ...DEFAULT_HEADERS[upstream] };
  for (const name of FORWARDED_HEADERS[upstream]) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return headers;
}

function header(response: UpstreamResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
