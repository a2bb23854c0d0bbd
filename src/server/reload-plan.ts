import { isDeepStrictEqual } from 'node:util';
import type { Config } from '../config/schema.js';

/**
 * What a configuration reload (SIGHUP) can change on a running proxy. A
 * reload builds a new generation (workspace opened again, catalog loaded,
 * the HTTP routes made again with the new settings) and sends new requests
 * to it, so almost everything applies at once: log level, local API keys,
 * origins, repairs, aliases and the default model, upstream timeouts and
 * retries, size limits, request timeout and connection cap, credentials and
 * surface. What the process holds for its lifetime does not: the socket it
 * listens on, and the observability sinks (metrics registry, usage file,
 * trace exporter) opened at start.
 */
const RESTART_ONLY: readonly { path: readonly string[]; why: string }[] = [
  { path: ['listen'], why: 'the listening socket is bound once' },
  { path: ['port'], why: 'the listening socket is bound once' },
  { path: ['observability'], why: 'metrics, usage history and tracing are opened once' },
];

/** The restart-only settings `next` changes, each named with why: they keep their running value. */
export function restartOnlyChanges(running: Config, next: Config): string[] {
  return RESTART_ONLY.filter(({ path }) => !isDeepStrictEqual(valueAt(running, path), valueAt(next, path))).map(({ path, why }) => `${path.join('.')} (${why})`);
}

/** `next`, with the restart-only settings kept at their running values. */
export function keepRestartOnly(running: Config, next: Config): Config {
  return { ...next, listen: running.listen, port: running.port, observability: running.observability };
}

function valueAt(config: Config, path: readonly string[]): unknown {
  return path.reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], config);
}
