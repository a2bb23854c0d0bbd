import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CatalogEntry } from '../databricks/catalog-entry.js';
import type { Surface } from '../databricks/surface.js';
import { stateDir } from './state-dir.js';

/**
 * What a workspace's discovery found, kept on disk so the next start serves
 * at once and refreshes in the background (src/databricks/workspace.ts). A
 * thin layer: the catalog's entries as they are, serialised, with the surface
 * chosen; no credential is ever in it.
 */
interface CachedWorkspace {
  version: typeof VERSION;
  host: string;
  surface: Surface;
  savedAt: string;
  entries: CatalogEntry[];
}

/** Bumped when CatalogEntry changes shape: an older file is then ignored, never misread. */
const VERSION = 1;
/** A cache older than this is not trusted for a start: the workspace may have changed beyond recognition. */
const MAX_AGE_MS = 7 * 24 * 3600 * 1000;

function cacheFile(host: string, env: NodeJS.ProcessEnv): string {
  const key = createHash('sha256').update(host).digest('hex').slice(0, 16);
  return join(stateDir(env), 'catalog', `${key}.json`);
}

export function readCachedWorkspace(host: string, env: NodeJS.ProcessEnv = process.env): { surface: Surface; entries: CatalogEntry[] } | undefined {
  try {
    const cached = JSON.parse(readFileSync(cacheFile(host, env), 'utf8')) as Partial<CachedWorkspace>;
    if (cached.version !== VERSION || cached.host !== host || !Array.isArray(cached.entries) || cached.entries.length === 0) return undefined;
    if (!(Date.now() - Date.parse(cached.savedAt ?? '') < MAX_AGE_MS)) return undefined;
    if (cached.surface !== 'ai-gateway' && cached.surface !== 'model-serving') return undefined;
    return { surface: cached.surface, entries: cached.entries };
  } catch {
    return undefined;
  }
}

/** Best effort: a state directory that cannot be written only costs the next start its head start. */
export function writeCachedWorkspace(host: string, surface: Surface, entries: readonly CatalogEntry[], env: NodeJS.ProcessEnv = process.env): void {
  const file = cacheFile(host, env);
  try {
    mkdirSync(join(stateDir(env), 'catalog'), { recursive: true, mode: 0o700 });
    const cached: CachedWorkspace = { version: VERSION, host, surface, savedAt: new Date().toISOString(), entries: [...entries] };
    writeFileSync(`${file}.${process.pid}`, JSON.stringify(cached), { mode: 0o600 });
    renameSync(`${file}.${process.pid}`, file);
  } catch {
    // Read-only home, full disk: serve anyway.
  }
}
