import { ProxyError } from '../errors/proxy-error.js';
import { firstHeader, type UpstreamResponse } from '../upstream/client.js';
import { isNotServedHere, upstreamError } from '../upstream/upstream-error.js';
import type { RouteCandidate } from './plan.js';

/** The answer of the route that served the request. */
export interface WalkedRoute {
  candidate: RouteCandidate;
  response: UpstreamResponse;
}

/**
 * Sends a request down its route candidates in order. An answer saying "this
 * path does not serve this model" (404 ENDPOINT_NOT_FOUND, 501, or the
 * documented 400s naming another path) moves to the next candidate; nothing
 * has reached the client yet, and every attempt draws on the one budget of
 * the request (src/upstream/request-budget.ts). The first 2xx answer is
 * returned with its route; any other answer is the client's, as an error.
 * When no candidate serves the model, the client gets the first refusal (its
 * best route's), naming the paths tried.
 */
export async function walkRoute(
  candidates: readonly RouteCandidate[],
  send: (candidate: RouteCandidate) => Promise<UpstreamResponse>,
  /** Reads a refusal's body (the caller bounds it: src/upstream/bounded-body.ts). */
  readBody: (response: UpstreamResponse) => Promise<string> = (response) => response.body.text(),
): Promise<WalkedRoute> {
  let firstRefusal: ProxyError | undefined;
  const tried: string[] = [];
  for (const candidate of candidates) {
    const response = await send(candidate);
    if (response.statusCode < 300) return { candidate, response };
    const text = await readBody(response);
    const error = upstreamError(response.statusCode, text, firstHeader(response.headers['retry-after']));
    if (!isNotServedHere(response.statusCode, text)) throw error;
    firstRefusal ??= error;
    tried.push(candidate.path.id);
  }
  if (!firstRefusal) throw new ProxyError('not_found', 'No inference path of this workspace serves this model (it declares no API the proxy speaks on a surface the workspace has)');
  if (tried.length > 1) firstRefusal.message += ` (no route serves this model; tried ${tried.join(', ')})`;
  throw firstRefusal;
}
