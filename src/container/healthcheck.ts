import { request } from 'node:http';

/**
 * The image's HEALTHCHECK: asks the proxy's own `/health` over loopback and
 * exits 0 on a 200, 1 otherwise. Node is in the image already, so no curl is
 * needed; it reads the port the proxy was given (DBX_PROXY_PORT) so the two
 * stay in step.
 */
const TIMEOUT_MS = 2_000;
const port = Number(process.env.DBX_PROXY_PORT ?? 8420);
/** Bound to every address (the image's default): loopback reaches it. Bound to one address: that one. */
const listen = process.env.DBX_PROXY_LISTEN;
const host = !listen || listen === '0.0.0.0' || listen === '::' ? '127.0.0.1' : listen;

const ask = request({ host, port, path: '/health', method: 'GET', timeout: TIMEOUT_MS }, (response) => {
  response.resume();
  process.exitCode = response.statusCode === 200 ? 0 : 1;
  if (process.exitCode) console.error(`dbx-proxy healthcheck: /health answered ${response.statusCode}`);
});
ask.on('timeout', () => ask.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
ask.on('error', (error) => {
  console.error(`dbx-proxy healthcheck: ${error.message}`);
  process.exitCode = 1;
});
ask.end();
