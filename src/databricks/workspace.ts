// STUB: signature only, implementation lands next (auth + catalog + surface probe).
import type { Config } from '../config/schema.js';
import type { Logger } from '../logging/logger.js';
import type { CatalogEntry } from './catalog-entry.js';
import type { Surface } from './surface.js';

export interface Workspace {
  readonly host: string;
  readonly surface: Surface;
  readonly catalog: { entries(): CatalogEntry[] };
  close(): Promise<void>;
}

export async function openWorkspace(_config: Config, _logger: Logger): Promise<Workspace> {
  throw new Error('not implemented yet');
}
