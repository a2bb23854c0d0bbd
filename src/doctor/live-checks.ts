import type { Config } from '../config/schema.js';
import type { CatalogEntry } from '../databricks/catalog-entry.js';
import { FAMILIES } from '../databricks/family.js';
import type { Workspace } from '../databricks/workspace.js';
import { minimalBody } from '../repairs/probes/minimal-body.js';
import { upstreamSender } from '../repairs/probes/upstream-sender.js';
import { upstreamError } from '../upstream/upstream-error.js';
import type { Check } from './check.js';

/**
 * `--live`: one tiny request (a few tokens) to one ready model of each
 * family, on the routes a chat client's request would take, in order: as the
 * proxy does, a 404 on one surface moves on to the next.
 */
export async function liveChecks(workspace: Workspace, config: Config): Promise<Check[]> {
  const send = upstreamSender(workspace.client, 'dbx-proxy-doctor');
  const entries = workspace.catalog.entries().filter((entry) => entry.ready);
  const picks = FAMILIES.flatMap((family) => entries.find((entry) => entry.family === family) ?? []);
  return Promise.all(picks.map((entry) => liveCheck(workspace, config, send, entry)));
}

async function liveCheck(workspace: Workspace, config: Config, send: ReturnType<typeof upstreamSender>, entry: CatalogEntry): Promise<Check> {
  const { family, endpoint } = entry;
  const name = `live ${family}`;
  const candidates = workspace.routeCandidates('openai-chat', entry);
  let last = 'no route';
  for (const candidate of candidates) {
    const route = { upstream: candidate.upstream, surface: candidate.surface, family, endpoint, config };
    const started = performance.now();
    try {
      const answer = await send(route, minimalBody(candidate.upstream, endpoint, false), false);
      if (answer.status < 300) return { name, status: 'ok', detail: `${endpoint} answered on ${candidate.surface} in ${Math.round(performance.now() - started)} ms` };
      last = `HTTP ${answer.status} on ${candidate.surface}: ${upstreamError(answer.status, answer.text).message}`;
      if (answer.status !== 404) break;
    } catch (error) {
      last = (error as Error).message;
      break;
    }
  }
  return { name, status: 'FAIL', detail: `${endpoint}: ${last}`, fix: 'check the endpoint in the workspace (its state and your permission to query it); `dbx-proxy doctor --quirks` probes the known quirks' };
}
