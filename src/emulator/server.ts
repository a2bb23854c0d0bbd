import type { Socket } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyRequest, type onRequestHookHandler, type preHandlerAsyncHookHandler } from 'fastify';
import { renderEndpointDetail, renderEndpointListItem, renderGatewayModels, renderModelService } from './catalog.js';
import { actControlPlaneFault, credentialEcho, type ControlPlaneSite } from './control-plane-faults.js';
import type { Credentials } from './credentials.js';
import type { FaultState } from './fault-state.js';
import type { PromptCache } from './prompt-cache.js';
import { badRequest, endpointNotFound, permissionDenied, resourceDoesNotExist, toDatabricksError, unauthenticated } from './errors.js';
import { registerInference } from './inference.js';
import type { ActiveSwitches, Switches } from './switches.js';
import { redactFields, redactHeaders, type Transcript } from './transcript.js';
import type { ListingFaults } from './listing-faults.js';
import type { EmulatedWorkspace } from './workspace.js';

/** Live request counts; reset in place by `clearTranscript()`. */
export interface EmulatorCounters {
  oidcDiscovery: number;
  tokenRequests: number;
  /** Requests that reached an inference path (past auth). */
  inference: number;
  /** Every request, by path without its query string. */
  byPath: Record<string, number>;
}

/** Everything the routes read and the RunningEmulator setters change. */
export interface EmulatorState {
  /** The workspace every request sees, unless its `x-dbx-emulator-shape` header picks a shape (workspace.ts). */
  workspace: EmulatedWorkspace;
  /** The workspace of one request. */
  workspaceOf: (request: FastifyRequest) => EmulatedWorkspace;
  credentials: Credentials;
  switches: Switches;
  /** Fault budgets, and the requests whose caller went away before the answer was done. */
  faults: FaultState;
  /** Broken discovery listings (listing-faults.ts). */
  listingFaults: ListingFaults;
  counters: EmulatorCounters;
  transcript: Transcript;
  /** The emulator's own URL, known once it listens; used when a request has no Host. */
  baseUrl: string;
  /** The demo workspace of `serve --demo`: text answers say so and how to connect a real one (model.ts DEMO_NOTE). */
  demo: boolean;
  /** The whole workspace stops answering: every connection is cut before an answer (an outage, a lost VPN). */
  unreachable: boolean;
  /** Claude's prompt cache, shared by every Anthropic path of the workspace. */
  promptCache: PromptCache;
  /** Connections a `*-hang` fault holds open: the emulator's close ends them. */
  hanging: Set<Socket>;
}

/** What the routes need from the switches of one request. */
export interface RequestFaults {
  /** A preHandler running the control-plane fault chosen for `site` (control-plane-faults.ts). */
  at(site: ControlPlaneSite): preHandlerAsyncHookHandler;
  /** What `echo-credentials` appends to an error of this request ('' when it is off). */
  echo(request: FastifyRequest): string;
}

/**
 * Databricks' body limit is not in the reference; agents send long
 * conversations and dozens of tools, so the emulator takes up to 32 MiB
 * (Anthropic's documented request limit) rather than fastify's 1 MiB.
 */
const BODY_LIMIT = 32 * 1024 * 1024;

export function buildServer(state: EmulatorState): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT });
  const switchesByRequest = new WeakMap<FastifyRequest, ActiveSwitches>();
  const principals = new WeakMap<FastifyRequest, string>();
  const switchesOf = (request: FastifyRequest): ActiveSwitches =>
    switchesByRequest.get(request) ?? state.switches.forRequest({});

  installParsers(app);
  const echo = (request: FastifyRequest): string => (state.faults.chooseAt('errors', switchesOf(request).faults) ? credentialEcho(request) : '');
  const faults: RequestFaults = {
    at: (site) => async (request, reply) => {
      const fault = state.faults.chooseAt(site, switchesOf(request).faults);
      const context = { hanging: state.hanging, echo: fault ? echo(request) : '' };
      if ((await actControlPlaneFault(fault, request, reply, context)) === 'answered') return reply;
      return undefined;
    },
    echo,
  };

  app.addHook('onRequest', (request, reply, done) => {
    if (state.unreachable) {
      request.raw.socket.destroy();
      return;
    }
    const path = pathOf(request);
    state.counters.byPath[path] = (state.counters.byPath[path] ?? 0) + 1;
    // Unknown switch ids throw DatabricksApiError(400) -> the error handler.
    switchesByRequest.set(request, state.switches.forRequest(request.headers));
    if (!state.listingFaults.answer(request, reply, path)) done();
  });

  // onSend runs before the first byte goes out, so a client can never see an
  // answer whose request is not in the transcript yet.
  app.addHook('onSend', (request, reply, payload, done) => {
    state.transcript.record({
      method: request.method,
      path: pathOf(request),
      query: redactFields({ ...(request.query as Record<string, string | string[]>) }),
      headers: redactHeaders(request.headers),
      body: redactFields(request.body),
      status: reply.statusCode,
      ...(principals.has(request) ? { principal: principals.get(request) } : {}),
      streamed: String(reply.getHeader('content-type') ?? '').startsWith('text/event-stream'),
    });
    done(null, payload);
  });

  app.setErrorHandler((error, request, reply) => {
    const databricksError = toDatabricksError(error);
    const body = databricksError.toBody();
    return reply.status(databricksError.status).send({ ...body, message: body.message + faults.echo(request) });
  });

  // The reference does not show the body of a 404 for an unknown path; the
  // gateway's "not here" answer is ENDPOINT_NOT_FOUND (reference §4.4), used
  // for every unknown path (so also for /ai-gateway paths when it is off).
  app.setNotFoundHandler((request, reply) => {
    const error = endpointNotFound(`No API found for '${request.method} ${pathOf(request)}'${faults.echo(request)}`);
    return reply.status(error.status).send(error.toBody());
  });

  const auth: onRequestHookHandler = (request, _reply, done) => {
    const header = request.headers.authorization;
    const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
    // The docs' curl examples also show Basic `token:<PAT>`; the emulator
    // accepts Bearer only, which is what the SDK and every client send.
    const principal = match?.[1] ? state.credentials.principalOf(match[1]) : undefined;
    if (!principal) {
      done(unauthenticated('Credential was not sent, has expired, or is not valid for this workspace'));
      return;
    }
    principals.set(request, principal.name);
    done(principal.permitted ? undefined : permissionDenied(`User ${principal.name} does not have permission to use model serving in this workspace`));
  };

  // A workspace without the AI Gateway has no /ai-gateway routes at all, so
  // this answers before authentication.
  const gateway: onRequestHookHandler = (request, _reply, done) => {
    const workspace = state.workspaceOf(request);
    if (!workspace.aiGateway) done(endpointNotFound(`The AI Gateway is not enabled on this workspace: no API found for '${pathOf(request)}'`));
    else if (workspace.lacksGatewayPath(pathOf(request))) done(endpointNotFound(`No API found for '${request.method} ${pathOf(request)}'`));
    else done();
  };

  registerOidc(app, state, faults);
  registerManagement(app, state, auth, gateway, faults);
  registerInference(app, state, { gateway, auth, switchesOf, echo: faults.echo });
  return app;
}

function pathOf(request: FastifyRequest): string {
  const query = request.url.indexOf('?');
  return query === -1 ? request.url : request.url.slice(0, query);
}

/** JSON (strict, errors in Databricks' shape) and the token endpoint's form encoding. */
function installParsers(app: FastifyInstance): void {
  const parseJson = (_request: FastifyRequest, body: string | Buffer, done: (error: Error | null, value?: unknown) => void) => {
    try {
      done(null, JSON.parse(body.toString()));
    } catch (error) {
      done(badRequest(`Malformed JSON in request body: ${(error as Error).message}`));
    }
  };
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, parseJson);
  // Some clients omit or mislabel the content type; read those bodies as JSON too.
  app.addContentTypeParser('*', { parseAs: 'string' }, parseJson);
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body.toString())));
  });
}

/** The origin clients reached us on, so discovered URLs work from a container too. */
function originOf(state: EmulatorState, request: FastifyRequest): string {
  return request.headers.host ? `http://${request.headers.host}` : state.baseUrl;
}

/** OIDC discovery and the M2M token endpoint (reference §7.2, §7.3): no bearer needed. */
function registerOidc(app: FastifyInstance, state: EmulatorState, faults: RequestFaults): void {
  app.get('/oidc/.well-known/oauth-authorization-server', { preHandler: faults.at('oidc') }, async (request) => {
    state.counters.oidcDiscovery += 1;
    const origin = originOf(state, request);
    // The SDK needs absolute URLs here ("Unable to discover OIDC endpoints" otherwise).
    return {
      issuer: `${origin}/oidc`,
      authorization_endpoint: `${origin}/oidc/v1/authorize`,
      token_endpoint: `${origin}/oidc/v1/token`,
    };
  });

  app.post('/oidc/v1/token', { preHandler: faults.at('token') }, async (request, reply) => {
    state.counters.tokenRequests += 1;
    const form = (request.body ?? {}) as Record<string, unknown>;
    // Errors here follow OAuth (RFC 6749 §5.2), which the SDK reads as `error` / `error_description`.
    if (form.grant_type !== 'client_credentials') {
      return reply.status(400).send({
        error: 'unsupported_grant_type',
        error_description: `Only grant_type=client_credentials is supported by the emulator${faults.echo(request)}`,
      });
    }
    const client = clientOf(request.headers.authorization, form);
    if (!client || !state.credentials.checkClient(client.id, client.secret)) {
      return reply.status(401).send({ error: 'invalid_client', error_description: `Client authentication failed${faults.echo(request)}` });
    }
    const issued = state.credentials.issue(client.id);
    // How the real service treats scopes other than all-apis is not in the
    // reference: the requested scope is echoed back.
    const scope = typeof form.scope === 'string' && form.scope.length > 0 ? form.scope : 'all-apis';
    return { access_token: issued.accessToken, token_type: 'Bearer', expires_in: issued.expiresIn, scope };
  });
}

/** Client credentials from HTTP Basic (what the SDK sends) or the form fields. */
function clientOf(authorization: string | undefined, form: Record<string, unknown>): { id: string; secret: string } | undefined {
  const basic = authorization === undefined ? null : /^Basic\s+(\S+)$/i.exec(authorization);
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon === -1 ? undefined : { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
  }
  if (typeof form.client_id === 'string' && typeof form.client_secret === 'string') {
    return { id: form.client_id, secret: form.client_secret };
  }
  return undefined;
}

/** Serving-endpoint management (reference §2.1) and the gateway's model listing (§3.2). */
function registerManagement(
  app: FastifyInstance,
  state: EmulatorState,
  auth: onRequestHookHandler,
  gateway: onRequestHookHandler,
  faults: RequestFaults,
): void {
  app.get('/api/2.0/serving-endpoints', { onRequest: [auth], preHandler: faults.at('catalog') }, async (request) => ({
    endpoints: state.workspaceOf(request).servingEndpoints().map((endpoint) => renderEndpointListItem(endpoint)),
  }));

  // `serving-endpoints:foundation-models` (the colon is escaped for the router): foundation models with their api_types.
  app.get('/api/2.0/serving-endpoints::foundation-models', { onRequest: [auth] }, async (request) => {
    const workspace = state.workspaceOf(request);
    if (!workspace.shape.foundationModelsListing) throw endpointNotFound(`No API found for 'GET ${pathOf(request)}'`);
    const foundation = workspace.servingEndpoints().filter((endpoint) => endpoint.kind === 'foundation');
    return { endpoints: foundation.map((endpoint) => renderEndpointListItem(endpoint, true)) };
  });

  // Paginated by page_size / page_token as Unity Catalog's list APIs are; the reference shows page_size only.
  app.get<{ Querystring: { page_size?: string; page_token?: string } }>(
    '/api/2.1/unity-catalog/model-services',
    { onRequest: [auth] },
    async (request) => {
      const workspace = state.workspaceOf(request);
      if (!workspace.shape.modelServices) throw endpointNotFound(`No API found for 'GET ${pathOf(request)}'`);
      const services = workspace.modelServices();
      const size = request.query.page_size === undefined ? 100 : Number(request.query.page_size);
      if (!Number.isInteger(size) || size < 1) throw badRequest('page_size must be a positive integer');
      const start = request.query.page_token === undefined ? 0 : Number(request.query.page_token);
      if (!Number.isInteger(start) || start < 0) throw badRequest('page_token is not valid');
      const page = services.slice(start, start + size);
      return {
        model_services: page.map((service) => renderModelService(service.name, service.apiTypes)),
        ...(start + size < services.length ? { next_page_token: String(start + size) } : {}),
      };
    },
  );

  app.get<{ Params: { name: string } }>('/api/2.0/serving-endpoints/:name', { onRequest: [auth] }, async (request) => {
    const endpoint = state.workspaceOf(request).endpoint(request.params.name);
    if (!endpoint) throw resourceDoesNotExist(`Serving endpoint with name '${request.params.name}' does not exist`);
    return renderEndpointDetail(endpoint, originOf(state, request));
  });

  app.get<{ Querystring: { limit?: string; after_id?: string } }>(
    '/ai-gateway/anthropic/v1/models',
    { onRequest: [gateway, auth], preHandler: faults.at('gateway-listing') },
    async (request) => {
      const requested = request.query.limit === undefined ? 20 : Number(request.query.limit);
      if (!Number.isInteger(requested) || requested < 1) throw badRequest('limit must be a positive integer');
      return renderGatewayModels(state.workspaceOf(request).servingEndpoints(), Math.min(requested, 1000), request.query.after_id);
    },
  );
}
