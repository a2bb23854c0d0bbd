import { isEndpointNotFound, upstreamError } from '../../upstream/upstream-error.js';
import type { ProbeAnswer, ProbeRoute, RepairContext } from '../types.js';
import { minimalBody } from './minimal-body.js';
import type { ProbeJob } from './plan.js';

/** Sends one request body on a route, with no repair, and reads the whole answer. */
export type ProbeSender = (route: ProbeRoute, body: Record<string, unknown>, stream: boolean) => Promise<ProbeAnswer>;

/**
 * - `shows`: the workspace still has the quirk (the repair is needed);
 * - `gone`: the quirk did not show (the repair may be retired on this route);
 * - `inconclusive`: the probe could not tell (refused even when repaired, throttled, ...);
 * - `skipped`: the probe does not apply here (no cap for the family, the
 *   endpoint is not served on this surface).
 */
export type ProbeVerdict = 'shows' | 'gone' | 'inconclusive' | 'skipped';

export interface ProbeResult {
  repair: string;
  route: Omit<ProbeRoute, 'config'>;
  verdict: ProbeVerdict;
  /** What decided it: the upstream's refusal, or why it could not tell. */
  detail?: string;
}

function refusal(answer: ProbeAnswer): string {
  const error = upstreamError(answer.status, answer.text);
  return `HTTP ${answer.status}: ${error.message}`.slice(0, 300);
}

/** The context a repair sees when the doctor repairs a probe body: notes and warnings go nowhere. */
function probeContext(route: ProbeRoute): RepairContext {
  return { ...route, inbound: 'openai-chat', note: () => undefined, warn: () => undefined };
}

/**
 * Runs one probe. A refusal quirk (no `shows`) is shown when the provoking
 * request is refused and the same request, repaired, is not: the second call
 * proves the refusal was the quirk and not something else about the request.
 * An answer quirk is judged by its `shows` on a successful answer.
 */
export async function runProbe({ repair, route }: ProbeJob, send: ProbeSender): Promise<ProbeResult> {
  const { config: _config, ...where } = route;
  const result = (verdict: ProbeVerdict, detail?: string): ProbeResult => ({ repair: repair.id, route: where, verdict, ...(detail ? { detail } : {}) });
  const probe = repair.probe;
  if (!probe) return result('skipped', 'no probe');
  const stream = probe.stream ?? false;
  const body = minimalBody(route.upstream, route.endpoint, stream);
  if (!probe.provoke(body, route)) return result('skipped', 'does not apply to this route');
  const repairedBody = structuredClone(body);

  const bare = await send(route, body, stream);
  if (isEndpointNotFound(bare.status, bare.text)) return result('skipped', `${route.endpoint} is not served on ${route.surface}`);
  if (probe.shows) {
    if (bare.status >= 300) return result('inconclusive', refusal(bare));
    return probe.shows(bare) ? result('shows', 'seen in the answer') : result('gone');
  }
  if (bare.status < 300) return result('gone');
  if (!repair.request) return result('inconclusive', refusal(bare));
  repair.request(repairedBody, probeContext(route));
  const repaired = await send(route, repairedBody, stream);
  return repaired.status < 300 ? result('shows', refusal(bare)) : result('inconclusive', `refused even when repaired: ${refusal(repaired)}`);
}

/** Runs probes a few at a time (a workspace rate-limits, and the answers are small), keeping their order. */
export async function runProbes(jobs: readonly ProbeJob[], send: ProbeSender, concurrency = 4): Promise<ProbeResult[]> {
  const results: ProbeResult[] = new Array(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const index = next++;
      const job = jobs[index] as ProbeJob;
      try {
        results[index] = await runProbe(job, send);
      } catch (error) {
        const { config: _config, ...where } = job.route;
        results[index] = { repair: job.repair.id, route: where, verdict: 'inconclusive', detail: error instanceof Error ? error.message : String(error) };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
  return results;
}
