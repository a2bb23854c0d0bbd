// @musistudio/llms, the engine of claude-code-router (bench/peers, see
// install-peers.sh): Anthropic /v1/messages in, an OpenAI-compatible upstream
// out. The CommonJS build (the ESM one fails on a dynamic require), headless,
// on 127.0.0.1, with one provider: the emulator's chat path.
// Usage: node bench/servers/llms.mjs <port> <emulator-url> <token> <model>   Prints `READY <url>`.
import http from 'node:http';
import { createRequire } from 'node:module';

const [port, upstream, token, model] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const Server = require('../peers/node_modules/@musistudio/llms/dist/cjs/server.cjs').default;
const server = new Server({
  logger: false,
  initialConfig: {
    PORT: Number(port),
    HOST: '127.0.0.1',
    providers: [{ name: 'emu', api_base_url: `${upstream}/ai-gateway/mlflow/v1/chat/completions`, api_key: token, models: [model] }],
  },
});
await server.start();
const ready = await new Promise((resolve) => {
  const probe = () => http.get(`http://127.0.0.1:${port}/`, (res) => { res.resume(); resolve(true); }).on('error', () => setTimeout(probe, 100));
  probe();
});
if (ready) process.stdout.write(`READY http://127.0.0.1:${port}\n`);
process.on('SIGTERM', () => process.exit(0));
