// dbx-proxy (built, from dist/) in its own process, configured as `serve`
// would be against the emulator. Logs go to /dev/null through the same
// asynchronous pino destination the CLI uses, so their cost is measured.
// Started the way bin/dbx-proxy.js starts it: the young generation is held
// small until the server listens (src/runtime/startup-heap.ts), so the rest
// is imported only after that.
// Metrics and the usage history are on, as `serve` has them, the history in a
// folder of its own (never the user's state directory); `observe-off` as a
// third argument turns both off, for the observability section's comparison.
// Usage: node bench/servers/proxy.mjs <emulator-url> <token> [observe-off]   Prints `READY <url>`.
import { holdYoungGenerationSmall } from '../../dist/runtime/startup-heap.js';

holdYoungGenerationSmall();
const { default: pino } = await import('pino');
const { ConfigSchema } = await import('../../dist/config/schema.js');
const { createLogger } = await import('../../dist/logging/logger.js');
const { startProxy } = await import('../../dist/server/start.js');

const { mkdtempSync } = await import('node:fs');
const { tmpdir } = await import('node:os');
const { join } = await import('node:path');

const [host, token, observe = 'observe-on'] = process.argv.slice(2);
const on = observe !== 'observe-off';
const observability = { metrics: on, usage: { enabled: on, path: join(mkdtempSync(join(tmpdir(), 'dbx-bench-usage-')), 'usage.sqlite') } };
const config = ConfigSchema.parse({ port: 0, databricks: { host, token }, server: { shutdownGraceMs: 0 }, observability });
const proxy = await startProxy(config, createLogger('info', pino.destination({ dest: '/dev/null', sync: false })));
process.stdout.write(`READY ${proxy.url}\n`);
// Exit (not only close) so --cpu-prof writes its profile.
process.on('SIGTERM', () => void proxy.close().finally(() => process.exit(0)));
