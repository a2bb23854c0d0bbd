import type { Workspace } from '../databricks/workspace.js';
import type { SourceStatus } from '../databricks/discovery-sources.js';
import { formatTable, say } from './output.js';

/** One model as `doctor` shows it: what it declares, and the route a request for it takes first. */
export interface ModelRoute {
  model: string;
  /** The name sent upstream, when not the listed one (a model service's `system.ai.` name). */
  endpoint: string;
  family: string;
  apiTypes: readonly string[];
  /** The first route candidate (its best route), as `<surface> <path>`. */
  route: string;
  /** The route a recent "not served here" moved it to, until its re-check. */
  remembered?: string;
}

export interface CatalogReport {
  sources: readonly SourceStatus[];
  models: ModelRoute[];
}

/**
 * Which discovery sources answered and what each model declares, with the
 * path its requests will use (src/routing/plan.ts): the part of `doctor` that
 * shows how the proxy sees this workspace. The route is the one for a client
 * speaking the model's own dialect; another client's request takes the same
 * path, translated.
 */
export function catalogReport(workspace: Workspace): CatalogReport {
  const remembered = new Map(workspace.routes.entries());
  const models = workspace.catalog.entries().map((entry): ModelRoute => {
    const first = workspace.routeCandidates('openai-chat', entry)[0];
    const row: ModelRoute = {
      model: entry.listedAs ?? entry.endpoint,
      endpoint: entry.endpoint,
      family: entry.family,
      apiTypes: entry.apiTypes ?? [],
      route: first ? first.path.id : 'none (no path of this workspace serves it)',
    };
    const moved = remembered.get(entry.endpoint);
    if (moved) row.remembered = moved;
    return row;
  });
  return { sources: workspace.catalog.discovery.sources(), models };
}

const STATE_WORDS: Record<SourceStatus['state'], string> = {
  answered: 'answered',
  absent: 'not on this workspace',
  malformed: 'malformed answer, skipped',
  failed: 'failed, last good answer kept',
};

export function printCatalogReport(report: CatalogReport): void {
  say('discovery sources:');
  say(formatTable([['SOURCE', 'PATH', 'STATE', 'MODELS'], ...report.sources.map((source) => [source.id, source.path, `${STATE_WORDS[source.state]}${source.detail ? ` (${source.detail})` : ''}`, String(source.models)])]));
  say();
  say('models and the path each will use:');
  say(
    formatTable([
      ['MODEL', 'FAMILY', 'DECLARED API TYPES', 'ROUTE'],
      ...report.models.map((model) => [
        model.endpoint === model.model ? model.model : `${model.model} (${model.endpoint})`,
        model.family,
        model.apiTypes.join(', ') || '-',
        model.remembered ? `${model.remembered} (moved from ${model.route} until its re-check)` : model.route,
      ]),
    ]),
  );
}
