import type { FastifyReply, FastifyRequest } from 'fastify';
import { clipped } from '../errors/client-value.js';
import type { ErrorKind } from '../errors/proxy-error.js';
import type { ForwardSummary } from '../server/forward.js';
import type { SeenUsage } from '../server/stream-usage.js';
import { upstreamMs } from './server-timing.js';

/** Token counts by kind: `input` without cache reads and writes, `output` with reasoning. */
export interface TokenCounts {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  reasoning: number;
}

export const TOKEN_KINDS = ['input', 'output', 'cacheRead', 'cacheWrite', 'reasoning'] as const satisfies readonly (keyof TokenCounts)[];

/**
 * How a request ended, in a few words (a bounded metric label): `ok`;
 * `client_error` (the client's request was refused, by us or the upstream as
 * invalid); `upstream_error` (the workspace failed, refused our credentials,
 * or its stream broke); `proxy_error` (a fault of the proxy itself);
 * `client_gone` (the client left before the end).
 */
export type Outcome = 'ok' | 'client_error' | 'upstream_error' | 'proxy_error' | 'client_gone';

/**
 * What one request did, built once when its response closed: the one summary
 * every reader uses (the log line, metrics, traces, usage history, status
 * page). It holds no content and no credential: paths, names, counts, times.
 */
export interface RequestRecord {
  requestId: string;
  /** When the request arrived, epoch ms. */
  time: number;
  /** When it arrived, `performance.now()` (for spans). */
  startedAt: number;
  method: string;
  path: string;
  /** The route pattern that answered (`/v1/messages`), or `unmatched`: bounded, unlike the path. */
  route: string;
  status: number;
  outcome: Outcome;
  ms: number;
  /** Time to the answer's first byte. */
  ttfbMs: number;
  /** Time in upstream attempts, to their headers. */
  upstreamMs: number;
  /** Time the proxy itself added before the first byte: ttfb less the upstream's part. */
  overheadMs: number;
  /** The client's User-Agent, bounded. */
  userAgent: string;
  /** Its product name (`claude-cli`, `OpenAI`, `curl`): a bounded label. */
  client: string;
  /** Which local API key made it (server.apiKeys; a fingerprint, never the key). */
  key?: string;
  /** With passthrough auth, whose Databricks token it spent: a fingerprint, never the token (src/passthrough/caller.ts). */
  caller?: string;
  tokens?: TokenCounts;
  summary: ForwardSummary;
}

/** Longest User-Agent kept (agents add versions and platforms; nothing useful is past this). */
const USER_AGENT_MAX = 160;
/** Longest client name (the User-Agent's first product token), a label in metrics and the history. */
const CLIENT_MAX = 40;

export function buildRecord(request: FastifyRequest, reply: FastifyReply, startedAt: number, key: string | undefined): RequestRecord {
  const summary: ForwardSummary = request.summary ?? {};
  const ms = performance.now() - startedAt;
  const upstream = upstreamMs(summary.attempts);
  const ttfbMs = summary.firstByteAt !== undefined ? summary.firstByteAt - startedAt : ms;
  const userAgent = (request.headers['user-agent'] ?? '').slice(0, USER_AGENT_MAX);
  const usage = summary.usage ?? summary.stream?.usage;
  const record: RequestRecord = {
    requestId: request.id,
    time: Date.now() - ms,
    startedAt,
    method: request.method,
    path: clipped(request.url.split('?')[0] ?? '/'),
    route: request.routeOptions.url ?? 'unmatched',
    status: reply.raw.statusCode,
    outcome: outcomeOf(reply.raw.statusCode, summary),
    ms,
    ttfbMs,
    upstreamMs: upstream,
    overheadMs: Math.max(0, ttfbMs - upstream),
    userAgent,
    client: clientName(userAgent),
    summary,
  };
  if (key !== undefined) record.key = key;
  const caller = summary.caller ?? request.caller?.fingerprint;
  if (caller !== undefined) record.caller = caller;
  if (usage && (usage.inputTokens !== undefined || usage.outputTokens !== undefined)) record.tokens = tokenCounts(usage);
  return record;
}

export function tokenCounts(usage: SeenUsage): TokenCounts {
  const cacheRead = usage.cacheReadTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  return {
    input: Math.max(0, (usage.inputTokens ?? 0) - cacheRead - cacheWrite),
    output: usage.outputTokens ?? 0,
    cacheRead,
    cacheWrite,
    reasoning: usage.reasoningTokens ?? 0,
  };
}

/** `claude-cli/2.1.3 (external, cli)` -> `claude-cli`; nothing -> `unknown`. */
export function clientName(userAgent: string): string {
  const name = /^[^\s/]+/.exec(userAgent)?.[0] ?? '';
  return name === '' ? 'unknown' : name.slice(0, CLIENT_MAX);
}

/** Failures on the workspace's side: it failed, throttled, timed out, or refused the proxy's own credentials. */
const UPSTREAM_KINDS: ReadonlySet<ErrorKind> = new Set(['authentication', 'upstream', 'timeout', 'overloaded', 'rate_limit']);

function outcomeOf(status: number, summary: ForwardSummary): Outcome {
  const { stream, errorKind } = summary;
  if (stream?.clientGone) return 'client_gone';
  if (stream?.failure) return stream.failure.kind === 'internal' ? 'proxy_error' : 'upstream_error';
  if (status < 400) return 'ok';
  // Only an inference request's failures reach its summary: a local key refused (401) is the client's.
  if (errorKind !== undefined && UPSTREAM_KINDS.has(errorKind)) return 'upstream_error';
  return status >= 500 ? 'proxy_error' : 'client_error';
}
