import type { FastifyInstance } from 'fastify';
import { INBOUND_DIALECTS, INBOUND_PATHS } from '../../dialects/dialect.js';
import { BODY_SCHEMAS } from '../body-schemas.js';
import { forwardInference, type ForwardSummary, type ProxyContext } from '../forward.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The inbound dialect of the route: it decides the shape of every error the route answers. */
    dialect?: import('../../dialects/dialect.js').InboundDialect;
  }
  interface FastifyRequest {
    summary?: ForwardSummary;
    /** The inference work of this request; the summary line waits for it (a stream's outcome comes after the client left). */
    settled?: Promise<void>;
    /** Writes the stream in another framing than SSE (Gemini's JSON array, routes/gemini.ts). */
    streamFraming?: (raw: import('node:http').ServerResponse) => import('node:http').ServerResponse;
  }
}

/** The dialects that name the model in the body; Gemini names it in the path (routes/gemini.ts). */
const BODY_ADDRESSED = INBOUND_DIALECTS.filter((dialect) => dialect !== 'gemini');

/** `POST /v1/chat/completions`, `POST /v1/responses`, `POST /v1/messages`: one route per inbound dialect. */
export function registerInferenceRoutes(app: FastifyInstance, context: ProxyContext): void {
  for (const dialect of BODY_ADDRESSED) {
    app.post(INBOUND_PATHS[dialect], { schema: { body: BODY_SCHEMAS[dialect] }, config: { dialect } }, async (request, reply) => {
      request.summary = request.caller ? { caller: request.caller.fingerprint } : {};
      request.settled = forwardInference(dialect, request, reply, context, request.summary);
      await request.settled;
    });
  }
}
