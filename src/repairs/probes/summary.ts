import type { Repair } from '../types.js';
import type { ProbePlan } from './plan.js';
import type { ProbeResult } from './run.js';

export interface QuirkSummaryLine {
  repair: string;
  /** `still needed`, `may be retired`, ...: one line a user can act on or report. */
  verdict: string;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** One verdict per repair, from its probes' results, in registry order. */
export function quirkSummary(repairs: readonly Repair[], results: readonly ProbeResult[], plan: ProbePlan): QuirkSummaryLine[] {
  return repairs.map((repair) => {
    if (plan.unprobed.includes(repair)) return { repair: repair.id, verdict: 'not checked: it has no probe' };
    if (plan.unrouted.includes(repair)) return { repair: repair.id, verdict: 'not checked: no route of this workspace uses it' };
    const own = results.filter((result) => result.repair === repair.id && result.verdict !== 'skipped');
    const count = (verdict: ProbeResult['verdict']) => own.filter((result) => result.verdict === verdict).length;
    const [shows, gone, unclear] = [count('shows'), count('gone'), count('inconclusive')];
    const tail = unclear > 0 ? `; ${plural(unclear, 'probe')} inconclusive` : '';
    // A quirk Databricks fixed on some paths only (item-id drift, reference §5.5): the repair stays, harmless where the quirk is gone.
    const fixedSomewhere = gone > 0 ? `; fixed upstream on ${plural(gone, 'route')}` : '';
    if (shows > 0) return { repair: repair.id, verdict: `still needed: the quirk shows on ${shows} of ${plural(own.length, 'route')}${fixedSomewhere}${tail}` };
    if (gone > 0) return { repair: repair.id, verdict: `fixed upstream: quirk not seen on ${plural(gone, 'route')}: the repair may be retired, please report it${tail}` };
    if (unclear > 0) return { repair: repair.id, verdict: `inconclusive on ${plural(unclear, 'route')}` };
    return { repair: repair.id, verdict: 'not checked: its probe applies to no route of this workspace' };
  });
}
