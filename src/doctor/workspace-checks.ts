import type { Config } from '../config/schema.js';
import { FAMILIES } from '../databricks/family.js';
import type { Workspace } from '../databricks/workspace.js';
import type { Check } from './check.js';

/** The surface in use and why, where the models came from, and how many of each family. */
export function workspaceChecks(workspace: Workspace, config: Config): Check[] {
  const entries = workspace.catalog.entries();
  const perFamily = FAMILIES.map((family) => [family, entries.filter((entry) => entry.family === family).length] as const).filter(([, count]) => count > 0);
  const notReady = entries.filter((entry) => !entry.ready).length;
  return [
    {
      name: 'surface',
      status: 'ok',
      detail:
        config.surface === 'auto'
          ? `${workspace.surface} (auto: the AI Gateway ${workspace.surface === 'ai-gateway' ? 'answered' : 'did not answer'} its model listing)`
          : `${workspace.surface} (set by surface: ${config.surface})`,
    },
    {
      name: 'discovery',
      status: entries.length > 0 ? 'ok' : 'FAIL',
      detail: `${entries.length} chat model${entries.length === 1 ? '' : 's'} from the workspace's serving-endpoints list${notReady > 0 ? ` (${notReady} not ready)` : ''}`,
      ...(entries.length === 0 ? { fix: 'the workspace lists no chat-capable serving endpoint you may query: check Foundation Model APIs are enabled and your permissions' } : {}),
    },
    { name: 'models per family', status: entries.length > 0 ? 'ok' : 'FAIL', detail: perFamily.map(([family, count]) => `${family} ${count}`).join(', ') || 'none' },
  ];
}
