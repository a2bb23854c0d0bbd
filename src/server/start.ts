// STUB: signature only, implementation lands next.
import type { Config } from '../config/schema.js';
import type { Logger } from '../logging/logger.js';
import type { Workspace } from '../databricks/workspace.js';

export interface RunningProxy {
  /** e.g. http://127.0.0.1:8420 */
  readonly url: string;
  readonly workspace: Workspace;
  close(): Promise<void>;
}

export async function startProxy(_config: Config, _logger: Logger): Promise<RunningProxy> {
  throw new Error('not implemented yet');
}
