import type { ServerResponse } from 'node:http';
import type { FastifyRequest } from 'fastify';
import type { ForwardSummary } from '../server/forward.js';
import type { Logger } from '../logging/logger.js';
import type { UpstreamAttempt } from '../upstream/client.js';
import type { Observability } from './observability.js';

/**
 * The few things the relay (src/server/forward.ts) tells the observability
 * readers while a request runs; everything else they read from the summary
 * once the response closed.
 */
export { serverTiming } from './server-timing.js';

/** Keeps an upstream attempt's timings on the summary, and logs it at debug level. */
export function noteAttempt(request: FastifyRequest, summary: ForwardSummary, attempt: UpstreamAttempt): void {
  (summary.attempts ??= []).push(attempt);
  // pino's level check: the fields are built only when debug lines are written.
  if ((request.log as Logger).isLevelEnabled('debug')) {
    const { status, error } = attempt;
    const fields = {
      attempt: summary.attempts.length,
      route: summary.route,
      ...(status !== undefined ? { status } : { error }),
      tokenMs: round(attempt.authorizedAt - attempt.startedAt),
      upstreamMs: round(attempt.endedAt - attempt.authorizedAt),
    };
    request.log.debug(fields, 'upstream attempt');
  }
}

/** A stream about to be relayed: counted as active until its response closes, its first byte timed. */
export function observeStream(out: ServerResponse, summary: ForwardSummary, observability: Observability): void {
  observability.streamOpened();
  out.once('close', () => observability.streamClosed());
  const write = out.write;
  // One wrapper for the first write only: later writes go straight to Node's own method.
  out.write = function firstWrite(this: ServerResponse, ...args: Parameters<ServerResponse['write']>): boolean {
    summary.firstByteAt = performance.now();
    out.write = write;
    return write.apply(this, args);
  } as ServerResponse['write'];
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
