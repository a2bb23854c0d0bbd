// dbx-proxy (built, from dist/) in its own process, configured as `serve`
// would be against the emulator. Logs go to /dev/null through the same
// asynchronous pino destination the CLI uses, so their cost is measured.
// Started the way bin/dbx-proxy.js starts it: the young generation is held
// small until the server listens (src/runtime/startup-heap.ts), so the rest
// is imported only after that.
// Usage: node bench/servers/proxy.mjs <emulator-url> <token>   Prints `READY <url>`.
import { holdYoungGenerationSmall } from '../../dist/runtime/startup-heap.js';

holdYoungGenerationSmall();
const { default: pino } = await import('pino');
const { ConfigSchema } = await import('../../dist/config/schema.js');
const { createLogger } = await import('../../dist/logging/logger.js');
const { startProxy } = await import('../../dist/server/start.js');

const [host, token] = process.argv.slice(2);
const config = ConfigSchema.parse({ port: 0, databricks: { host, token }, server: { shutdownGraceMs: 0 } });
const proxy = await startProxy(config, createLogger('info', pino.destination({ dest: '/dev/null', sync: false })));
process.stdout.write(`READY ${proxy.url}\n`);
// Exit (not only close) so --cpu-prof writes its profile.
process.on('SIGTERM', () => void proxy.close().finally(() => process.exit(0)));
