import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { clipped } from '../../errors/client-value.js';
import { camelCaseFields } from '../../dialects/gemini/snake-case.js';
import { ProxyError } from '../../errors/proxy-error.js';
import { GEMINI_BODY, GEMINI_COUNT_BODY } from '../body-schemas/gemini.js';
import { forwardInference, type ProxyContext } from '../forward.js';
import { jsonArrayResponse } from '../json-array-stream.js';
import { countTokens, markEstimate } from './count-tokens.js';
import { bareModelName, googleModelList, googleModelLookup } from './google-models.js';

/**
 * The Gemini API as Google's clients call it: `POST
 * /v1beta/models/{model}:{method}` (Gemini CLI, pi) and the same under `/v1`
 * (`@google/genai` 3.x), plus the model list and lookup under `/v1beta`
 * (`/v1/models` answers Google's shape to Google's clients, models.ts).
 *
 * Gemini names the model and whether to stream in the path, where the other
 * dialects have `model` and `stream` in the body: the route moves them into
 * the body, so the rest of the proxy treats all four dialects alike, and the
 * passthrough takes them out again (src/dialects/inbound.ts).
 */
const VERSIONS = ['v1beta', 'v1'] as const;

type Method = 'generateContent' | 'streamGenerateContent' | 'countTokens';
const METHODS: ReadonlySet<string> = new Set<Method>(['generateContent', 'streamGenerateContent', 'countTokens']);

/** `{model}:{method}`, the model maybe prefixed with `models/` again. */
const TARGET = /^(?<model>[^:]+):(?<method>[A-Za-z]+)$/;

export function registerGeminiRoutes(app: FastifyInstance, context: ProxyContext): void {
  for (const version of VERSIONS) {
    app.post<{ Params: { '*': string } }>(`/${version}/models/*`, { config: { dialect: 'gemini' } }, async (request, reply) => {
      const { model, method } = targetOf(request, version);
      if (method === 'countTokens') return countGeminiTokens(request, reply, model, context);
      validate(request, GEMINI_BODY);
      const stream = method === 'streamGenerateContent';
      request.body = { ...(request.body as Record<string, unknown>), model, stream };
      // Without `alt=sse` Google streams one JSON array (@google/genai always asks for SSE; curl and older clients may not).
      if (stream && (request.query as Record<string, unknown>).alt !== 'sse') request.streamFraming = jsonArrayResponse;
      request.summary = {};
      request.settled = forwardInference('gemini', request, reply, context, request.summary);
      await request.settled;
    });
  }
  app.get('/v1beta/models', { config: { dialect: 'gemini' } }, async () => googleModelList(context.workspace));
  app.get<{ Params: { '*': string } }>('/v1beta/models/*', { config: { dialect: 'gemini' } }, async (request) => googleModelLookup(context.workspace, request.params['*']));
}

function targetOf(request: FastifyRequest<{ Params: { '*': string } }>, version: string): { model: string; method: Method } {
  const match = TARGET.exec(request.params['*']);
  const method = match?.groups?.method;
  if (!match?.groups?.model || !method || !METHODS.has(method)) {
    throw new ProxyError(
      'not_found',
      `No route POST /${version}/models/${clipped(request.params['*'])}: the proxy serves models/{model}:generateContent, :streamGenerateContent and :countTokens`,
      { code: 'route_not_found' },
    );
  }
  return { model: bareModelName(match.groups.model), method: method as Method };
}

/** The body against the method's schema, refused in Google's shape (the error handler) before anything goes upstream. */
function validate(request: FastifyRequest, schema: object): void {
  if (typeof request.body !== 'object' || request.body === null || Array.isArray(request.body)) {
    throw new ProxyError('invalid_request', 'Invalid request: the body must be a JSON object');
  }
  request.body = camelCaseFields(request.body);
  const check = request.compileValidationSchema(schema, 'body');
  if (!check(request.body)) throw Object.assign(new Error('invalid body'), { validation: check.errors ?? [] });
}

/**
 * `:countTokens` takes `contents` (with `systemInstruction` and `tools`
 * beside them) or a whole `generateContentRequest`; no Databricks path
 * counts, so the answer is the proxy's estimate (src/tokens/), marked so.
 */
async function countGeminiTokens(request: FastifyRequest, reply: FastifyReply, model: string, context: ProxyContext): Promise<FastifyReply> {
  validate(request, GEMINI_COUNT_BODY);
  const body = request.body as Record<string, unknown>;
  const inner = (body.generateContentRequest ?? body) as Record<string, unknown>;
  const totalTokens = await countTokens('gemini', { contents: [], ...inner, model }, context);
  return markEstimate(reply).send({ totalTokens });
}
