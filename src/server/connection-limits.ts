import type { Server, ServerOptions } from 'node:http';
import type { Config } from '../config/schema.js';

/**
 * How long a client may take to send its request, and how many connections
 * the proxy holds at once. Node's HTTP server never times out a request body
 * when Fastify's requestTimeout is 0 (its default): a client trickling a body
 * one byte at a time held its connection (and a file descriptor) for as long
 * as it liked. Once a request is in, the answer may take as long as the
 * upstream's own limits allow (upstream.*TimeoutMs): these bound only the
 * request's arrival, and the number of sockets.
 */

/** How often Node checks open connections against the timeouts: one fires within this much of its time. */
const CHECK_INTERVAL_MS = 1_000;

/** The options the proxy's HTTP server is made with (the check interval is fixed then; the rest also follows a reload). */
export function connectionOptions(settings: Config['server']): ServerOptions {
  // The headers are part of the request: they get no longer than the whole of it.
  return { connectionsCheckingInterval: CHECK_INTERVAL_MS, requestTimeout: settings.requestTimeoutMs, headersTimeout: settings.requestTimeoutMs };
}

/**
 * The limits a running server takes at once (at start, and again on a
 * reload). Past maxConnections, Node closes a new connection as soon as it
 * is accepted: a flood costs the proxy no descriptor beyond the limit.
 */
export function applyConnectionLimits(server: Server, settings: Config['server']): void {
  server.maxConnections = settings.maxConnections;
  server.requestTimeout = settings.requestTimeoutMs;
  server.headersTimeout = settings.requestTimeoutMs;
}
