import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { presentedKeys } from '../server/api-keys.js';

/**
 * Which local API key made a request, as `key-` and the first 8 hex digits
 * of its SHA-256: enough to tell a team's keys apart in the logs, metrics
 * and history, useless to anyone who reads them. Labels are made once, at
 * start; a request's key is then one map lookup (the access check already
 * refused any key that is not configured).
 */
export function keyLabeller(keys: readonly string[]): (request: FastifyRequest) => string | undefined {
  if (keys.length === 0) return () => undefined;
  const labels = new Map(keys.map((key) => [key, `key-${createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 8)}`]));
  return (request) => {
    for (const key of presentedKeys(request.headers)) {
      const label = labels.get(key);
      if (label) return label;
    }
    return undefined;
  };
}
