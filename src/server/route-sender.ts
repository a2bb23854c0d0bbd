import type { CatalogEntry } from '../databricks/catalog-entry.js';
import type { Workspace } from '../databricks/workspace.js';
import type { RouteCandidate } from '../routing/plan.js';
import { walkRoute, type WalkedRoute } from '../routing/route-walk.js';
import type { RequestBudget } from '../upstream/request-budget.js';
import type { UpstreamResponse } from '../upstream/client.js';
import type { ForwardSummary } from './forward.js';

/**
 * One request down its model's route candidates (src/routing/): in the
 * order the route memory gives, within one budget (a deadline held until the
 * answer's body closes), noting on the summary the route being tried, and
 * remembering the route that answered.
 */
export async function sendOnRoutes(
  workspace: Workspace,
  entry: CatalogEntry,
  candidates: readonly RouteCandidate[],
  summary: ForwardSummary,
  signal: AbortSignal,
  send: (candidate: RouteCandidate, budget: RequestBudget) => Promise<UpstreamResponse>,
  readBody: (response: UpstreamResponse) => Promise<string>,
): Promise<WalkedRoute> {
  const budget = workspace.client.budget(signal);
  const ordered = workspace.routes.order(entry.endpoint, candidates);
  let walked: WalkedRoute;
  try {
    walked = await walkRoute(
      ordered,
      (candidate) => {
        summary.movedOn = ordered.indexOf(candidate) || undefined;
        summary.surface = candidate.surface;
        summary.mode = candidate.mode;
        return send(candidate, budget);
      },
      readBody,
    );
  } catch (error) {
    budget.deadline.release();
    throw error;
  }
  budget.deadline.releaseWhenClosed(walked.response.body);
  workspace.routes.remember(entry.endpoint, walked.candidate, candidates[0]);
  summary.upstreamStatus = walked.response.statusCode;
  return walked;
}
