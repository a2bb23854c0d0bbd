import type { ServerResponse } from 'node:http';
import { INBOUND_CODECS, UPSTREAM_CODECS } from '../dialects/codecs.js';
import type { InboundDialect } from '../dialects/dialect.js';
import { INBOUND } from '../dialects/inbound.js';
import { ProxyError } from '../errors/proxy-error.js';
import type { CodecContext, InboundCodec, UpstreamCodec } from '../ir/codec.js';
import type { IrRequest } from '../ir/request.js';
import { autoCache } from '../caching/auto-cache.js';
import { createStreamRepairer, repairRequest, repairResponse } from '../repairs/pipeline.js';
import type { Repair, RepairContext } from '../repairs/types.js';
import type { RouteCandidate, RoutePlan } from '../routing/plan.js';
import type { UpstreamPath } from '../routing/upstream-paths.js';
import { pipeSse, type StreamOutcome, type TextScrubber } from './sse-response.js';
import { translateSse } from './sse-translate.js';
import { streamWholeAnswer } from './whole-answer-stream.js';
import { USAGE_READERS } from './stream-usage.js';

/** The repairs of the route a request is about to take, with their context. */
export interface RouteRepairs {
  repairs: readonly Repair[];
  context: RepairContext;
  /** The client asked the proxy not to add prompt-cache marks (src/caching/auto-cache.ts). */
  noAutoCache?: boolean;
}

/** The route's repairs, then automatic prompt-cache marks, on the body about to be sent. */
function prepareUpstream(body: Record<string, unknown>, { repairs, context, noAutoCache }: RouteRepairs): void {
  repairRequest(body, repairs, context);
  autoCache(body, context, noAutoCache === true);
}

/**
 * What differs between a passthrough and a translated request: the body sent
 * upstream, and how the upstream's answer becomes the client's. Repairs depend
 * on the surface, so the body is built per attempt (a gateway fallback changes
 * the surface).
 */
export interface Exchange {
  stream: boolean;
  /** The body for one upstream path (a path that names the endpoint gets no `model`). */
  upstreamBody(route: RouteRepairs, path?: Pick<UpstreamPath, 'modelInPath'>): string;
  /** The client's JSON answer (its text, or an object to serialise) from the upstream's JSON answer. */
  answer(upstreamText: string, route: RouteRepairs): string | unknown;
  /** `scrub` cleans the error events the upstream's messages end up in (a credential may be echoed). */
  relayStream(source: AsyncIterable<Uint8Array>, out: ServerResponse, route: RouteRepairs, scrub?: TextScrubber): Promise<StreamOutcome>;
}

/**
 * A repair may turn a streaming request into a whole one (`stream: false`:
 * Databricks chat cannot stream structured output); the client still gets
 * its stream, made from the whole answer (whole-answer-stream.ts).
 */
function upstreamStreams(clientStreams: boolean, repaired: Record<string, unknown>): boolean {
  return clientStreams && repaired.stream !== false;
}

/** Same dialect on both sides: the body goes as is (model name and repairs aside); with no repair active, answers go through byte for byte. */
export function passthroughExchange(inbound: InboundDialect, body: Record<string, unknown>, codecContext: CodecContext): Exchange {
  const stream = body.stream === true;
  const codecs = { inbound: INBOUND_CODECS[inbound], upstream: UPSTREAM_CODECS[inbound], codecContext };
  /** Set when the upstream answers whole to a streaming client: only then does a passthrough request need the IR. */
  let wholeAnswer: Codecs | undefined;
  return {
    stream,
    upstreamBody: (route, path) => {
      const upstream = INBOUND[inbound].passthroughBody(body, codecContext.endpoint);
      prepareUpstream(upstream, route);
      if (!stream || upstreamStreams(stream, upstream)) wholeAnswer = undefined;
      // Decoded before anything is sent, so a body the codec cannot read is refused as a plain error answer.
      else wholeAnswer ??= { ...codecs, request: codecs.inbound.decodeRequest(body, codecContext) };
      return serialise(upstream, path);
    },
    answer: (text, { repairs, context }) => {
      if (!repairs.some((repair) => repair.response && (repair.responseMayChange?.(text) ?? true))) return text;
      const answer = parseObject(text);
      return repairResponse(answer, repairs, context) ? JSON.stringify(answer) : text;
    },
    relayStream: (source, out, route, scrub) => {
      // The dialect's own codecs turn the whole answer into its stream.
      if (wholeAnswer) return relayWholeAnswer(source, out, route, wholeAnswer);
      const { repairs, context } = route;
      const tracker = INBOUND[inbound].createTracker();
      return pipeSse(source, out, tracker, createStreamRepairer(repairs, context), USAGE_READERS[inbound], scrub, maxFrameBytes(route));
    },
  };
}

/** Different dialects: the request goes through the IR, and so does every answer and stream event. */
export function translatedExchange(plan: RoutePlan, body: Record<string, unknown>, codecContext: CodecContext): Exchange {
  const inbound = INBOUND_CODECS[plan.inbound];
  const upstream = UPSTREAM_CODECS[plan.upstream];
  const request = inbound.decodeRequest(body, codecContext);
  let streamsUpstream = request.stream;
  return {
    stream: request.stream,
    upstreamBody: (route, path) => {
      const encoded = upstream.encodeRequest(request, codecContext);
      prepareUpstream(encoded, route);
      streamsUpstream = upstreamStreams(request.stream, encoded);
      return serialise(encoded, path);
    },
    answer: (text, { repairs, context }) => {
      const answer = parseObject(text);
      repairResponse(answer, repairs, context);
      return inbound.encodeResponse(upstream.decodeResponse(answer, codecContext, request), request, codecContext);
    },
    relayStream: (source, out, route, scrub) => {
      if (!streamsUpstream) return relayWholeAnswer(source, out, route, { inbound, upstream, request, codecContext });
      const { repairs, context } = route;
      return translateSse(
        source,
        out,
        upstream.createStreamDecoder(request, codecContext),
        inbound.createStreamEncoder(request, codecContext),
        createStreamRepairer(repairs, context),
        scrub,
        maxFrameBytes(route),
      );
    },
  };
}

/**
 * The exchange of each route candidate, made once per upstream dialect (a
 * request that moves from the gateway's Anthropic path to Model Serving's
 * reuses it; one that moves to chat completions gets its own).
 */
export function exchangesFor(inbound: InboundDialect, body: Record<string, unknown>, codecContext: CodecContext): (candidate: RouteCandidate) => Exchange {
  const made = new Map<string, Exchange>();
  return (candidate) => {
    let exchange = made.get(candidate.upstream);
    if (!exchange) {
      exchange = candidate.mode === 'passthrough' ? passthroughExchange(inbound, body, codecContext) : translatedExchange(candidate, body, codecContext);
      made.set(candidate.upstream, exchange);
    }
    return exchange;
  };
}

/** Per-endpoint paths (`/invocations`) name the endpoint in the path; their body carries no `model` (reference §1). */
function serialise(body: Record<string, unknown>, path: Pick<UpstreamPath, 'modelInPath'> | undefined): string {
  if (!path?.modelInPath) return JSON.stringify(body);
  const { model: _inPath, ...rest } = body;
  return JSON.stringify(rest);
}

interface Codecs {
  inbound: InboundCodec;
  upstream: UpstreamCodec;
  request: IrRequest;
  codecContext: CodecContext;
}

/** A whole upstream answer (answer repairs applied) streamed to the client in its dialect. */
function relayWholeAnswer(
  source: AsyncIterable<Uint8Array>,
  out: ServerResponse,
  { repairs, context }: RouteRepairs,
  { inbound, upstream, request, codecContext }: Codecs,
): Promise<StreamOutcome> {
  const decode = (text: string) => {
    const answer = parseObject(text);
    repairResponse(answer, repairs, context);
    return upstream.decodeResponse(answer, codecContext, request);
  };
  return streamWholeAnswer(source, out, decode, inbound.createStreamEncoder(request, codecContext), context.config.upstream.maxFrameBytes);
}

/** The request's cap on one upstream event or whole answer (upstream.maxFrameBytes). */
function maxFrameBytes(route: RouteRepairs): number {
  return route.context.config.upstream.maxFrameBytes;
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
