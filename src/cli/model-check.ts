import type { ClientModel } from '../clients/models.js';
import { ConfigError } from '../config/errors.js';
import type { Config } from '../config/schema.js';
import { nearestNames } from '../databricks/nearest-names.js';

/** `run --model <name>`: a usage error naming the nearest models when the workspace serves no such model or alias. */
export function unknownModelError(model: string, models: readonly ClientModel[], config: Config): ConfigError | undefined {
  const known = [...models.map((entry) => entry.id), ...Object.keys(config.models.aliases)];
  if (known.includes(model.replace(/\[1m\]$/, ''))) return undefined;
  const nearest = nearestNames(model, known);
  return new ConfigError(
    `--model ${model}: the workspace has no such model${nearest.length > 0 ? ` (nearest: ${nearest.join(', ')})` : ''}. ` +
      'Fix: pass one of the names `dbx-proxy models` lists, or leave --model out to let dbx-proxy choose.',
  );
}
