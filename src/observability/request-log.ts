import type { FastifyBaseLogger } from 'fastify';
import type { Outcome, RequestRecord } from './request-record.js';

/** The level of a request's line: the workspace failing is a warning, the proxy failing an error. */
const LEVEL: Record<Outcome, 'info' | 'warn' | 'error'> = {
  ok: 'info',
  client_error: 'info',
  client_gone: 'info',
  upstream_error: 'warn',
  proxy_error: 'error',
};

/**
 * The one summary line of a request (pino adds `reqId`, the request id).
 * Secrets are never on it: paths, names, counts and times only, and the
 * error as the client was told it (credentials scrubbed). `quiet` lines (a
 * scrape of /metrics, the status page polling) go to debug when they succeed.
 */
export function logRequest(log: FastifyBaseLogger, record: RequestRecord, quiet = false): void {
  const { summary } = record;
  const line: Record<string, unknown> = {
    method: record.method,
    path: record.path,
    status: record.status,
    ms: Math.round(record.ms),
  };
  if (summary.attempts) line.ttfbMs = Math.round(record.ttfbMs);
  for (const [key, value] of Object.entries(summary)) {
    if (value !== undefined && !UNLOGGED.has(key)) line[key] = value;
  }
  if (record.tokens) line.tokens = record.tokens;
  if (record.key) line.key = record.key;
  if (record.caller && !summary.caller) line.caller = record.caller;
  if (record.client !== 'unknown') line.client = record.client;
  log[quiet && record.outcome === 'ok' ? 'debug' : LEVEL[record.outcome]](line, 'request');
}

/** Summary fields the line leaves out: attempts get their own debug lines, a whole answer's usage is `tokens`. */
const UNLOGGED: ReadonlySet<string> = new Set(['attempts', 'firstByteAt', 'usage']);
