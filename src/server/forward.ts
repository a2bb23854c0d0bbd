import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config/schema.js';
import { INBOUND_PATHS, type InboundDialect } from '../dialects/dialect.js';
import { INBOUND } from '../dialects/inbound.js';
import type { CatalogEntry } from '../databricks/catalog-entry.js';
import type { Workspace } from '../databricks/workspace.js';
import { ProxyError } from '../errors/proxy-error.js';
import { describeRoutes, planRoute, upstreamPath, type RoutePlan } from '../routing/plan.js';
import type { UpstreamResponse } from '../upstream/client.js';
import { isEndpointNotFound, upstreamError } from '../upstream/upstream-error.js';
import { pipeSse, type StreamOutcome } from './sse-response.js';

export interface ProxyContext {
  config: Config;
  workspace: Workspace;
  userAgent: string;
}

/** Headers a client sends that the upstream must see too; everything else (its own key above all) stays here. */
const FORWARDED_HEADERS: Record<InboundDialect, readonly string[]> = {
  'anthropic-messages': ['anthropic-version', 'anthropic-beta'],
  'openai-chat': [],
  'openai-responses': [],
};

/** What a request did, for its one summary log line. */
export interface ForwardSummary {
  model?: string;
  endpoint?: string;
  surface?: string;
  route?: string;
  upstreamStatus?: number;
  stream?: StreamOutcome;
}

/**
 * One inference request: resolve the model, plan the route, send upstream
 * (falling back to Model Serving when the gateway does not serve the
 * endpoint), and answer: JSON as received, or the SSE stream frame by frame.
 */
export async function forwardInference(
  dialect: InboundDialect,
  request: FastifyRequest,
  reply: FastifyReply,
  context: ProxyContext,
  summary: ForwardSummary,
): Promise<void> {
  const body = request.body as Record<string, unknown>;
  const entry = resolveModel(body.model, context, dialect);
  summary.model = typeof body.model === 'string' ? body.model : undefined;
  summary.endpoint = entry.endpoint;

  const stream = body.stream === true;
  const upstreamBody = JSON.stringify({ ...body, model: entry.endpoint });
  const headers = upstreamHeaders(dialect, request, context.userAgent);
  const abort = new AbortController();
  // The client went away: stop the upstream call at once (it may be generating for minutes).
  reply.raw.on('close', () => {
    if (!reply.raw.writableFinished) abort.abort();
  });

  const send = async (plan: RoutePlan): Promise<UpstreamResponse> => {
    summary.surface = plan.surface;
    summary.route = upstreamPath(plan, entry.endpoint, stream);
    return context.workspace.client.send({ method: 'POST', path: summary.route, headers, body: upstreamBody, signal: abort.signal });
  };

  let response = await send(plannedRoute(dialect, entry, context.workspace.surfaceFor(entry.endpoint)));
  if (response.statusCode === 404 || response.statusCode === 501) {
    const text = await response.body.text();
    if (context.workspace.surfaceFor(entry.endpoint) === 'ai-gateway' && isEndpointNotFound(response.statusCode, text)) {
      response = await send(plannedRoute(dialect, entry, context.workspace.fallBack(entry.endpoint)));
    } else {
      throw upstreamError(response.statusCode, text, header(response, 'retry-after'));
    }
  }
  summary.upstreamStatus = response.statusCode;
  if (response.statusCode >= 300) {
    throw upstreamError(response.statusCode, await response.body.text(), header(response, 'retry-after'));
  }

  if (!stream) {
    const text = await response.body.text();
    await reply.code(200).header('content-type', 'application/json').send(text);
    return;
  }
  reply.hijack();
  summary.stream = await pipeSse(response.body, reply.raw, INBOUND[dialect].createTracker());
}

function resolveModel(model: unknown, context: ProxyContext, dialect: InboundDialect): CatalogEntry {
  if (model !== undefined && typeof model !== 'string') {
    throw new ProxyError('invalid_request', '`model` must be a string', { param: 'model' });
  }
  const resolution = context.workspace.catalog.resolve(model);
  if (resolution.ok) return resolution.entry;
  if (resolution.reason === 'missing') {
    throw new ProxyError('invalid_request', 'No `model` given and no default model is configured (models.default)', { param: 'model' });
  }
  const hint = resolution.suggestions.length ? ` Did you mean: ${resolution.suggestions.join(', ')}?` : '';
  throw new ProxyError('not_found', `The model '${model}' does not exist in this workspace (${INBOUND_PATHS[dialect]}).${hint}`, {
    param: 'model',
  });
}

function plannedRoute(dialect: InboundDialect, entry: CatalogEntry, surface: RoutePlan['surface']): RoutePlan {
  const plan = planRoute(dialect, entry.family, surface);
  if (plan.mode !== 'unsupported') return plan;
  const served = Object.values(describeRoutes(entry.family, surface))
    .filter((cell) => cell.mode !== 'unsupported')
    .map((cell) => INBOUND_PATHS[cell.inbound]);
  throw new ProxyError(
    'invalid_request',
    `The model '${entry.endpoint}' (${entry.family} family) is not served on ${INBOUND_PATHS[dialect]}; use ${served.join(' or ')}.`,
    { param: 'model' },
  );
}

function upstreamHeaders(dialect: InboundDialect, request: FastifyRequest, userAgent: string): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': userAgent };
  for (const name of FORWARDED_HEADERS[dialect]) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return headers;
}

function header(response: UpstreamResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
