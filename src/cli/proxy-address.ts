import type { Config } from '../config/schema.js';
import type { ClientModel } from '../clients/models.js';
import type { CatalogEntry } from '../databricks/catalog-entry.js';
import { isLoopback } from '../net/loopback.js';

/** Addresses a proxy binds to that a client on this machine reaches as 127.0.0.1. */
const WILDCARDS = new Set(['0.0.0.0', '::']);

/** The URL a local client uses for the configured proxy: `http://127.0.0.1:8420` by default. */
export function configuredProxyUrl(config: Config): string {
  const host = isLoopback(config.listen) || WILDCARDS.has(config.listen) ? '127.0.0.1' : config.listen;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
}

/**
 * The key a client should send: any non-empty value while the proxy needs
 * none ("local"), else one of server.apiKeys. Printed output shows a
 * placeholder instead of a configured key, so a key never lands in a
 * terminal log or a pasted snippet; `run` passes the real one in the agent's
 * environment only.
 */
export function clientKey(config: Config, reveal: boolean): string {
  const [first] = config.server.apiKeys;
  if (first === undefined) return 'local';
  return reveal ? first : '<one of server.apiKeys>';
}

/** The catalog's ready models as client configs list them. */
export function clientModels(entries: readonly CatalogEntry[]): ClientModel[] {
  return entries.filter((entry) => entry.ready).map((entry) => ({ id: entry.endpoint, family: entry.family }));
}
