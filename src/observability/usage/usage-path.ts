import { join } from 'node:path';
import type { Config } from '../../config/schema.js';
import { stateDir } from '../../state/state-dir.js';

/** The usage history's file: `observability.usage.path`, else `usage.sqlite` in the state directory. */
export function usagePath(config: Config, env: NodeJS.ProcessEnv = process.env): string {
  return config.observability.usage.path ?? join(stateDir(env), 'usage.sqlite');
}
