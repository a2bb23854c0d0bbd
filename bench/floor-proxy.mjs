// The floor: the least a Node reverse proxy can do. node:http in, one undici
// keep-alive pool out, the credential added, the body streamed through
// untouched. No parsing, no routing, no logging. dbx-proxy's cost is
// reported against this.
// Usage: node bench/floor-proxy.mjs <upstream-url> <token>   Prints `READY <url>`.
import http from 'node:http';
import { Pool } from 'undici';

const [upstream, token] = process.argv.slice(2);
// Same pool shape as dbx-proxy's upstream client (src/upstream/client.ts), so only the proxy logic differs.
const pool = new Pool(upstream, { connections: null, pipelining: 1, keepAliveTimeout: 30_000 });
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host', 'authorization', 'content-length']);

const server = http.createServer(async (req, res) => {
  const headers = { authorization: `Bearer ${token}` };
  for (const [name, value] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(name) && value !== undefined) headers[name] = value;
  try {
    const answer = await pool.request({ method: req.method, path: req.url, headers, body: req });
    const out = {};
    for (const [name, value] of Object.entries(answer.headers)) if (!HOP_BY_HOP.has(name)) out[name] = value;
    res.writeHead(answer.statusCode, out);
    for await (const chunk of answer.body) if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
    res.end();
  } catch (error) {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: String(error?.code ?? 'bad_gateway') }));
  }
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`READY http://127.0.0.1:${server.address().port}\n`));
process.on('SIGTERM', () => process.exit(0));
