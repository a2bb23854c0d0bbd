import type { FastifyReply } from 'fastify';
import { CONTROL_PLANE_SITES, type ControlPlaneFaultId, type ControlPlaneSite } from './control-plane-faults.js';
import { parseFaultSpec, type FaultId, type FaultSpec } from './faults.js';

/** Faults that can act on a JSON (non-streamed) answer; the others need a stream. */
const ACTS_ON_JSON: ReadonlySet<FaultId> = new Set([
  'rate-limit',
  'unavailable',
  'gateway-not-found',
  'reset-before-headers',
  'hang-before-headers',
  'disconnect-mid-stream',
  'stall',
  'giant-frame',
  'endless-frame',
]);

/** Faults that act on AI Gateway paths only. */
const GATEWAY_ONLY: ReadonlySet<FaultId> = new Set(['gateway-not-found']);

/** A request whose connection its caller closed before the answer was complete. */
export interface ClosedByClient {
  /** Path without the query string. */
  path: string;
  /** `performance.now()` when the emulator saw the connection close. */
  at: number;
  /** The fault that was acting on the request, if any. */
  fault?: FaultId;
}

/** How many closes are remembered: a long-running emulator must not grow without limit. */
const CLOSED_LIMIT = 1_000;

/** What one request's fault needs to know about its connection. */
export interface ConnectionWatch {
  /** Resolves when the connection of the request closes, whoever closed it. */
  readonly closed: Promise<void>;
  /** The emulator itself is about to close the connection: not a close by the caller. */
  closingOurselves(): void;
}

/**
 * The emulator's fault bookkeeping: which fault acts on a request (spending
 * `id*N` budgets, rolling `id%P` dice), and which requests lost their caller
 * before their answer was complete.
 */
export class FaultState {
  /** Spec text -> requests it has acted on since the last refill. */
  private readonly used = new Map<string, number>();
  readonly closedByClient: ClosedByClient[] = [];

  constructor(private readonly random: () => number = Math.random) {}

  /** `setFaults` was called: every `id*N` budget is full again. */
  refill(): void {
    this.used.clear();
  }

  /** The fault that acts on this inference request: the first active spec that applies and still has budget. */
  choose(specs: ReadonlySet<string>, streamed: boolean, onGateway = false): FaultId | undefined {
    for (const text of specs) {
      const spec = parseFaultSpec(text);
      if (!spec || isControlPlaneFault(spec.id) || (!streamed && !ACTS_ON_JSON.has(spec.id)) || (!onGateway && GATEWAY_ONLY.has(spec.id))) continue;
      if (this.fires(spec)) return spec.id;
    }
    return undefined;
  }

  /** The control-plane fault that acts on a request to `site` (control-plane-faults.ts), budgets spent as for inference. */
  chooseAt(site: ControlPlaneSite, specs: ReadonlySet<string>): ControlPlaneFaultId | undefined {
    for (const text of specs) {
      const spec = parseFaultSpec(text);
      if (!spec || !isControlPlaneFault(spec.id) || CONTROL_PLANE_SITES[spec.id] !== site) continue;
      if (this.fires(spec)) return spec.id;
    }
    return undefined;
  }

  /** Watches the connection of one inference request, recording a close by the caller before the answer was done. */
  watch(path: string, reply: FastifyReply, fault: () => FaultId | undefined): ConnectionWatch {
    const raw = reply.raw;
    let ours = false;
    const closed = new Promise<void>((resolve) => {
      raw.once('close', () => {
        if (!raw.writableFinished && !ours) {
          const acting = fault();
          this.closedByClient.push({ path, at: performance.now(), ...(acting ? { fault: acting } : {}) });
          if (this.closedByClient.length > CLOSED_LIMIT) this.closedByClient.splice(0, this.closedByClient.length - CLOSED_LIMIT);
        }
        resolve();
      });
    });
    return {
      closed,
      closingOurselves: () => {
        ours = true;
      },
    };
  }

  private fires(spec: FaultSpec): boolean {
    if (spec.percent !== undefined) return this.random() * 100 < spec.percent;
    if (spec.count === undefined) return true;
    const used = this.used.get(spec.text) ?? 0;
    if (used >= spec.count) return false;
    this.used.set(spec.text, used + 1);
    return true;
  }
}

function isControlPlaneFault(id: FaultId): id is ControlPlaneFaultId {
  return Object.hasOwn(CONTROL_PLANE_SITES, id);
}
