import type { ServerResponse } from 'node:http';
import { INBOUND_CODECS, UPSTREAM_CODECS } from '../dialects/codecs.js';
import type { InboundDialect } from '../dialects/dialect.js';
import { INBOUND } from '../dialects/inbound.js';
import { ProxyError } from '../errors/proxy-error.js';
import type { CodecContext } from '../ir/codec.js';
import { createStreamRepairer, repairRequest, repairResponse } from '../repairs/pipeline.js';
import type { Repair, RepairContext } from '../repairs/types.js';
import type { RoutePlan } from '../routing/plan.js';
import { pipeSse, type StreamOutcome } from './sse-response.js';
import { translateSse } from './sse-translate.js';
import { USAGE_READERS } from './stream-usage.js';

/** The repairs of the route a request is about to take, with their context. */
export interface RouteRepairs {
  repairs: readonly Repair[];
  context: RepairContext;
}

/**
 * What differs between a passthrough and a translated request: the body sent
 * upstream, and how the upstream's answer becomes the client's. Repairs depend
 * on the surface, so the body is built per attempt (a gateway fallback changes
 * the surface).
 */
export interface Exchange {
  stream: boolean;
  upstreamBody(route: RouteRepairs): string;
  /** The client's JSON answer from the upstream's JSON answer. */
  answer(upstreamText: string, route: RouteRepairs): string | unknown;
  relayStream(source: AsyncIterable<Uint8Array>, out: ServerResponse, route: RouteRepairs): Promise<StreamOutcome>;
}

/** Same dialect on both sides: the body goes as is (model name and repairs aside); with no repair active, answers go through byte for byte. */
export function passthroughExchange(inbound: InboundDialect, body: Record<string, unknown>, endpoint: string): Exchange {
  return {
    stream: body.stream === true,
    upstreamBody: ({ repairs, context }) => {
      const upstream: Record<string, unknown> = { ...body, model: endpoint };
      repairRequest(upstream, repairs, context);
      return JSON.stringify(upstream);
    },
    answer: (text, { repairs, context }) => {
      if (!repairs.some((repair) => repair.response)) return text;
      const answer = parseObject(text);
      repairResponse(answer, repairs, context);
      return answer;
    },
    relayStream: (source, out, { repairs, context }) =>
      pipeSse(source, out, INBOUND[inbound].createTracker(), createStreamRepairer(repairs, context), USAGE_READERS[inbound]),
  };
}

/** Different dialects: the request goes through the IR, and so does every answer and stream event. */
export function translatedExchange(plan: RoutePlan, body: Record<string, unknown>, codecContext: CodecContext): Exchange {
  const inbound = INBOUND_CODECS[plan.inbound];
  const upstream = UPSTREAM_CODECS[plan.upstream];
  const request = inbound.decodeRequest(body, codecContext);
  return {
    stream: request.stream,
    upstreamBody: ({ repairs, context }) => {
      const encoded = upstream.encodeRequest(request, codecContext);
      repairRequest(encoded, repairs, context);
      return JSON.stringify(encoded);
    },
    answer: (text, { repairs, context }) => {
      const answer = parseObject(text);
      repairResponse(answer, repairs, context);
      return inbound.encodeResponse(upstream.decodeResponse(answer, codecContext), request, codecContext);
    },
    relayStream: (source, out, { repairs, context }) =>
      translateSse(
        source,
        out,
        upstream.createStreamDecoder(request, codecContext),
        inbound.createStreamEncoder(request, codecContext),
        createStreamRepairer(repairs, context),
      ),
  };
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch (error) {
    throw new ProxyError('upstream', 'The upstream answered with a body that is not JSON', { cause: error });
  }
  throw new ProxyError('upstream', 'The upstream answered with JSON that is not an object');
}
