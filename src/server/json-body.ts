import type { FastifyInstance } from 'fastify';
import { ProxyError } from '../errors/proxy-error.js';
import { nestsDeeperThan } from './json-depth.js';

/**
 * Deepest nesting of arrays and objects a request body may have. The
 * reference gives no limit for Databricks or the providers. Past a few
 * thousand levels, recursive walks (JSON.stringify of the upstream body, the
 * codecs, the repairs) overflow the stack, which would be a 500; real
 * requests nest a few dozen levels (tool schemas, tool inputs), so 512 is far
 * above any of them and far below any overflow.
 */
export const MAX_JSON_DEPTH = 512;

/**
 * Fastify's own JSON parser (prototype-poisoning checks included), behind a
 * nesting check: a body nested too deeply is a 400 in the client's dialect,
 * before anything walks it.
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    // `parseAs: 'string'` hands over a string; the type also allows a Buffer.
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
      done(new ProxyError('invalid_request', `The JSON body nests deeper than ${MAX_JSON_DEPTH} levels`), undefined);
      return;
    }
    parse(request, text, done);
  });
}
