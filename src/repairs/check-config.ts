import { ConfigError } from '../config/errors.js';
import type { Config } from '../config/schema.js';
import { REPAIRS } from './registry.js';
import type { Repair } from './types.js';

/**
 * `repairs.disable` must name registered repairs: a typo would otherwise
 * leave the repair on while the user believes it off. The schema cannot check
 * this (it knows no repair), so the proxy checks it at start.
 */
export function checkDisabledRepairs(config: Config, registry: readonly Repair[] = REPAIRS): void {
  const known = new Set(registry.map((repair) => repair.id));
  const problems = config.repairs.disable.flatMap((id, index) => (known.has(id) ? [] : [`repairs.disable[${index}]: unknown repair '${id}'`]));
  if (problems.length === 0) return;
  throw new ConfigError(`config: ${problems.join('; ')} (known repairs: ${[...known].join(', ')})`);
}
