import type { RouteCandidate } from './plan.js';

/**
 * Which route last worked for each model, when it was not the first
 * candidate: later requests go straight there instead of paying for a "not
 * served here" answer each time. A memory is re-checked (forgotten, so the
 * full order is tried again) after `routing.recheckSeconds`, and as soon as a
 * catalog refresh lists the model again: one transient "not found" must not
 * move a model off its best route for good.
 */
export class RouteMemory {
  private readonly worked = new Map<string, { pathId: string; until: number }>();

  constructor(
    private readonly recheckMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The candidates with the one that worked last in front, while that memory is fresh. */
  order(endpoint: string, candidates: readonly RouteCandidate[]): readonly RouteCandidate[] {
    const memory = this.worked.get(endpoint);
    if (!memory) return candidates;
    if (memory.until <= this.now()) {
      this.worked.delete(endpoint);
      return candidates;
    }
    const remembered = candidates.find((candidate) => candidate.path.id === memory.pathId);
    return remembered ? [remembered, ...candidates.filter((candidate) => candidate !== remembered)] : candidates;
  }

  /**
   * The route that answered; the model's first choice needs no memory. A
   * memory that is confirmed keeps its expiry: requests that keep going there
   * must not put off the re-check for ever.
   */
  remember(endpoint: string, worked: RouteCandidate, firstChoice: RouteCandidate | undefined): void {
    if (worked.path.id === firstChoice?.path.id) this.worked.delete(endpoint);
    else if (this.worked.get(endpoint)?.pathId !== worked.path.id) this.worked.set(endpoint, { pathId: worked.path.id, until: this.now() + this.recheckMs });
  }

  /** A catalog refresh listed these models: try their best route again. */
  forget(endpoints: Iterable<string>): void {
    for (const endpoint of endpoints) this.worked.delete(endpoint);
  }

  /** What is remembered, for `doctor` and tests. */
  entries(): [string, string][] {
    return [...this.worked].filter(([, memory]) => memory.until > this.now()).map(([endpoint, memory]) => [endpoint, memory.pathId]);
  }
}
