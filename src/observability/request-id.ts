import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * A client's own request id is kept when it is short and made of characters
 * that are safe in a header, a log line and a trace (letters, digits and
 * `-_.:`); anything else, or none, gets a fresh UUID. Bounded so a client
 * cannot fill the logs or the usage history through it.
 */
const CLIENT_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export const REQUEST_ID_HEADER = 'x-request-id';

/** Fastify's `genReqId`: the id of a request, which pino then puts on every line the request logs (`reqId`). */
export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && CLIENT_ID.test(given) ? given : randomUUID();
}
