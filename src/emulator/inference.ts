import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { EMULATOR_DIALECTS, type EmulatorDialectId } from './dialects/index.js';
import { badRequest, endpointNotFound } from './errors.js';
import { answersInsteadOfModel, answerWithFault, type ModelAnswer } from './fault-injection.js';
import { runModel } from './model.js';
import { enforceToolCap } from './tool-cap.js';
import type { EmulatorState } from './server.js';
import type { ActiveSwitches } from './switches.js';
import type { Conversation, EmulatedEndpoint, EmulatorDialect, RenderContext, Script } from './types.js';

/**
 * The inference paths of the emulated workspace, as one table: where a
 * request lands fixes the dialect it must speak and the families it may
 * address. Sources: reference §2.2 (Model Serving) and §3.2 (AI Gateway).
 */
interface InferenceRoute {
  path: string;
  dialect: EmulatorDialectId;
  families: readonly EmulatedEndpoint['family'][];
  /** On the AI Gateway: off when the gateway is, and closed to endpoints not on it. */
  gateway: boolean;
}

/**
 * Every chat family may use the chat paths; the chat dialect itself refuses
 * Codex and GPT-with-tools the way Databricks does (reference §4.1).
 */
const CHAT_FAMILIES = ['claude', 'codex', 'gpt', 'gemini', 'llama', 'qwen', 'gemma', 'other'] as const;
const CLAUDE = ['claude'] as const;
const RESPONSES = ['gpt', 'codex'] as const;
const GEMINI = ['gemini'] as const;
/** Open Responses serves the providers other than OpenAI (reference §2.2). */
const OPEN_RESPONSES = ['claude', 'gemini', 'llama', 'qwen', 'gemma', 'other'] as const;

export const INFERENCE_ROUTES: readonly InferenceRoute[] = [
  { path: '/ai-gateway/anthropic/v1/messages', dialect: 'anthropic-messages', families: CLAUDE, gateway: true },
  { path: '/serving-endpoints/anthropic/v1/messages', dialect: 'anthropic-messages', families: CLAUDE, gateway: false },
  { path: '/ai-gateway/codex/v1/responses', dialect: 'openai-responses', families: RESPONSES, gateway: true },
  { path: '/ai-gateway/openai/v1/responses', dialect: 'openai-responses', families: RESPONSES, gateway: true },
  { path: '/ai-gateway/mlflow/v1/responses', dialect: 'openai-responses', families: RESPONSES, gateway: true },
  { path: '/serving-endpoints/responses', dialect: 'openai-responses', families: RESPONSES, gateway: false },
  { path: '/serving-endpoints/open-responses', dialect: 'openai-responses', families: OPEN_RESPONSES, gateway: false },
  { path: '/ai-gateway/openai/v1/chat/completions', dialect: 'openai-chat', families: RESPONSES, gateway: true },
  { path: '/ai-gateway/mlflow/v1/chat/completions', dialect: 'openai-chat', families: CHAT_FAMILIES, gateway: true },
  { path: '/serving-endpoints/chat/completions', dialect: 'openai-chat', families: CHAT_FAMILIES, gateway: false },
  // Per endpoint: the path names it, the chat body carries no `model` (reference §2.2).
  { path: '/serving-endpoints/:name/invocations', dialect: 'openai-chat', families: CHAT_FAMILIES, gateway: false },
  // Gemini names the endpoint and the method in one segment (`{ep}:generateContent`),
  // which the router cannot split: a wildcard takes the rest of the path.
  { path: '/ai-gateway/gemini/v1beta/models/*', dialect: 'gemini', families: GEMINI, gateway: true },
  { path: '/serving-endpoints/gemini/v1beta/models/*', dialect: 'gemini', families: GEMINI, gateway: false },
];

const GEMINI_METHOD = /^(?<endpoint>[^/]+):(?<method>generateContent|streamGenerateContent)$/;

/** Where the request names its endpoint, and whether it asks for a stream it cannot say in its body. */
interface Addressed {
  name: unknown;
  /** Decided by the path (Gemini), or undefined: the parsed body decides. */
  stream: boolean | undefined;
}

function addressOf(route: InferenceRoute, request: FastifyRequest, body: Record<string, unknown>): Addressed {
  const inPath = (request.params as Record<string, string>).name;
  if (inPath !== undefined) return { name: inPath, stream: undefined };
  if (route.dialect !== 'gemini') return { name: body.model, stream: undefined };
  const tail = (request.params as Record<string, string>)['*'] ?? '';
  const match = GEMINI_METHOD.exec(tail);
  if (!match?.groups) throw endpointNotFound(`No API found for 'POST ${request.url.split('?')[0]}'`);
  const streaming = match.groups.method === 'streamGenerateContent';
  // Real Gemini answers a JSON array to streamGenerateContent without
  // `alt=sse`; clients on Databricks use SSE (reference §3.2), and the
  // emulator implements only that form.
  if (streaming && (request.query as Record<string, unknown>).alt !== 'sse') {
    throw badRequest('The emulator supports streamGenerateContent only with ?alt=sse');
  }
  return { name: match.groups.endpoint, stream: streaming };
}

/**
 * The endpoint a request addresses, checked against the route. Messages are
 * the emulator's own: the reference gives the codes, not the wording.
 */
function resolveEndpoint(state: EmulatorState, request: FastifyRequest, route: InferenceRoute, name: unknown): EmulatedEndpoint {
  if (typeof name !== 'string' || name.length === 0) {
    throw badRequest(route.dialect === 'gemini' ? 'The path names no endpoint' : "'model' is required: the name of a serving endpoint");
  }
  const endpoint = state.workspaceOf(request).addressed(name, route.gateway);
  if (!endpoint) throw endpointNotFound(`The endpoint '${name}' does not exist`);
  if (route.gateway && !endpoint.onAiGateway) {
    throw endpointNotFound(`The endpoint '${name}' is not served on the AI Gateway`);
  }
  // A path that does not serve the endpoint's family says "not here" as the
  // gateway does (ENDPOINT_NOT_FOUND, reference §4.4); Databricks' own answer
  // for that case is not documented (LiteLLM sees generic 400/500s, §4.4).
  if (!route.families.includes(endpoint.family)) {
    throw endpointNotFound(
      `The endpoint '${name}' (${endpoint.family}) is not served by ${route.path.replace('/*', '/{endpoint}')}; ` +
        `this path serves ${route.families.join(', ')} endpoints`,
    );
  }
  return endpoint;
}

interface Deps {
  state: EmulatorState;
  dialects: Record<EmulatorDialectId, EmulatorDialect>;
  switchesOf: (request: FastifyRequest) => ActiveSwitches;
  echo: (request: FastifyRequest) => string;
}

async function handle(
  { state, dialects, switchesOf, echo }: Deps,
  route: InferenceRoute,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<unknown> {
  state.counters.inference += 1;
  const body = request.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('The request body must be a JSON object');
  }
  const addressed = addressOf(route, request, body as Record<string, unknown>);
  const endpoint = resolveEndpoint(state, request, route, addressed.name);
  const switches = switchesOf(request);
  const context: RenderContext = {
    endpoint,
    quirks: switches.quirks,
    ...(addressed.stream === undefined ? {} : { streamMethod: addressed.stream }),
  };
  const dialect = dialects[route.dialect];
  // An invocations body names no model; the dialect reads it from the path. Whether Databricks refuses a `model` there is not documented.
  const parsedBody = route.path.includes(':name') ? { ...(body as Record<string, unknown>), model: endpoint.name } : body;
  const conversation = dialect.parse(parsedBody, context);
  enforceToolCap(conversation, endpoint, route.gateway, switches.quirks);
  const streamed = addressed.stream ?? conversation.stream;

  // Fault switches (429, 5xx, resets, broken or stalled streams) act here, before the model runs.
  const fault = state.faults.choose(switches.faults, streamed, route.gateway);
  const watch = state.faults.watch(request.url.split('?')[0] ?? request.url, reply, () => fault);
  if (fault) {
    const run = { fault, request, reply, watch, transcript: state.transcript, echo: echo(request) };
    if (answersInsteadOfModel(fault)) return answerWithFault(run);
    const script = runCachedModel(state, conversation, endpoint);
    const answer: ModelAnswer = streamed
      ? { kind: 'stream', frames: dialect.stream(script, context) }
      : { kind: 'json', body: dialect.respond(script, context) };
    return answerWithFault(run, answer);
  }
  const script = runCachedModel(state, conversation, endpoint);

  if (!streamed) return dialect.respond(script, context);
  reply.header('content-type', 'text/event-stream; charset=utf-8');
  reply.header('cache-control', 'no-cache');
  // One chunk per frame: the stream is piped to the socket frame by frame.
  return reply.send(Readable.from(dialect.stream(script, context)));
}

/** The model's answer, with the prompt cache's reads and writes in its usage when the request marked blocks. */
function runCachedModel(state: EmulatorState, conversation: Conversation, endpoint: EmulatedEndpoint): Script {
  const script = runModel(conversation, endpoint, { demo: state.demo });
  if (conversation.cacheSegments) {
    const { readTokens, writeTokens } = state.promptCache.apply(endpoint.name, conversation.cacheSegments);
    script.usage.cachedInputTokens = readTokens;
    script.usage.cacheWriteTokens = writeTokens;
  }
  return script;
}

export function registerInference(
  app: FastifyInstance,
  state: EmulatorState,
  hooks: {
    gateway: onRequestHookHandler;
    auth: onRequestHookHandler;
    switchesOf: (request: FastifyRequest) => ActiveSwitches;
    echo: (request: FastifyRequest) => string;
  },
  dialects: Record<EmulatorDialectId, EmulatorDialect> = EMULATOR_DIALECTS,
): void {
  const deps: Deps = { state, dialects, switchesOf: hooks.switchesOf, echo: hooks.echo };
  for (const route of INFERENCE_ROUTES) {
    app.post(route.path, {
      onRequest: route.gateway ? [hooks.gateway, hooks.auth] : [hooks.auth],
      handler: (request, reply) => handle(deps, route, request, reply),
    });
  }
}
