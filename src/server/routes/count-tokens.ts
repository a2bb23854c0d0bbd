import type { FastifyInstance, FastifyReply } from 'fastify';
import { INBOUND_CODECS } from '../../dialects/codecs.js';
import type { InboundDialect } from '../../dialects/dialect.js';
import { ProxyError } from '../../errors/proxy-error.js';
import { ESTIMATE_HEADER, ESTIMATE_HEADER_VALUE, estimateInputTokens } from '../../tokens/index.js';
import { resolveModel, type ProxyContext } from '../forward.js';

/**
 * The routes clients call to size their context before sending it:
 * Anthropic's `POST /v1/messages/count_tokens` (Claude Code's `/context`, the
 * Anthropic SDK's `countTokens`) and OpenAI's `POST /v1/responses/input_tokens`.
 *
 * No Databricks path serves a token count (databricks.md §5.5: Claude Code's
 * `/context` gets a 404 on the paths tried; nothing else in the reference
 * offers one), so the workspace is not asked: the answer is the proxy's own
 * estimate (src/tokens/), marked as such by a response header, in the
 * dialect's shape. docs/token-counting.md states its measured error.
 */
const COUNT_ROUTES: readonly { path: string; dialect: InboundDialect; answer: (tokens: number) => unknown }[] = [
  { path: '/v1/messages/count_tokens', dialect: 'anthropic-messages', answer: (tokens) => ({ input_tokens: tokens }) },
  {
    path: '/v1/responses/input_tokens',
    dialect: 'openai-responses',
    answer: (tokens) => ({ object: 'response.input_tokens', input_tokens: tokens }),
  },
];

export function registerCountTokenRoutes(app: FastifyInstance, context: ProxyContext): void {
  for (const { path, dialect, answer } of COUNT_ROUTES) {
    app.post(path, { config: { dialect } }, async (request, reply) => {
      const body = request.body;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new ProxyError('invalid_request', 'The request body must be a JSON object');
      }
      const tokens = await countTokens(dialect, body as Record<string, unknown>, context);
      return markEstimate(reply).send(answer(tokens));
    });
  }
}

/** Decodes a body of `dialect` as its inference route would, and estimates its input tokens on the model it names. */
export async function countTokens(dialect: InboundDialect, body: Record<string, unknown>, context: ProxyContext): Promise<number> {
  const entry = resolveModel(body.model, context, dialect);
  const clientModel = typeof body.model === 'string' ? body.model : entry.endpoint;
  const request = INBOUND_CODECS[dialect].decodeRequest(body, { endpoint: entry.endpoint, family: entry.family, clientModel });
  return estimateInputTokens(request, entry.family);
}

export function markEstimate(reply: FastifyReply): FastifyReply {
  return reply.header(ESTIMATE_HEADER, ESTIMATE_HEADER_VALUE);
}
