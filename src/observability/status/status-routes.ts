import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Observability } from '../observability.js';
import { statusData } from './status-data.js';

/** The page's two files, in `web/status/` at the package root (the same path from src/ and dist/). */
const ASSETS = new URL('../../../web/status/', import.meta.url);

/**
 * The live status page: a plain HTML file and a small script, served as they
 * are (no build step), which fetch `/status/data.json` every few seconds.
 * Under the API's access rules like every route (access.ts); `HEAD /` stays
 * the open probe it was (app.ts), so the GET route exposes no HEAD of its own.
 */
export function registerStatusRoutes(app: FastifyInstance, observability: Observability): void {
  const html = readFileSync(new URL('index.html', ASSETS), 'utf8');
  const script = readFileSync(new URL('page.js', ASSETS), 'utf8');
  const headers = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
  app.get('/', { exposeHeadRoute: false }, async (_request, reply) =>
    reply
      .headers({ ...headers, 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'" })
      .send(html),
  );
  app.get('/status/page.js', async (_request, reply) => reply.headers({ ...headers, 'content-type': 'text/javascript; charset=utf-8' }).send(script));
  app.get('/status/data.json', async (_request, reply) => reply.headers(headers).send(statusData(observability)));
}
