import type { Config } from '../config/schema.js';
import type { SseFrame } from '../sse/parse-frame.js';
import { formatFrame } from '../sse/parse-frame.js';
import { REPAIRS } from './registry.js';
import type { Repair, RepairContext, StreamRepair, WireEvent } from './types.js';

type Route = Pick<RepairContext, 'upstream' | 'surface' | 'family'>;

function applies(repair: Repair, route: Route): boolean {
  const { upstream, surfaces, families } = repair.appliesTo;
  return upstream.includes(route.upstream) && (!surfaces || surfaces.includes(route.surface)) && (!families || families.includes(route.family));
}

/**
 * The repairs active on a route: none with `bare`, minus `repairs.disable`.
 * Asked on every request, so the answer is kept per config, registry and
 * route (both are fixed for the life of a proxy).
 */
export function activeRepairs(route: Route, config: Config, registry: readonly Repair[] = REPAIRS): readonly Repair[] {
  let perRegistry = memo.get(config);
  if (!perRegistry) memo.set(config, (perRegistry = new WeakMap()));
  let perRoute = perRegistry.get(registry);
  if (!perRoute) perRegistry.set(registry, (perRoute = new Map()));
  const key = `${route.upstream} ${route.surface} ${route.family}`;
  let repairs = perRoute.get(key);
  if (!repairs) {
    const disabled = new Set(config.repairs.disable);
    repairs = config.repairs.bare ? [] : registry.filter((repair) => !disabled.has(repair.id) && applies(repair, route));
    perRoute.set(key, repairs);
  }
  return repairs;
}

const memo = new WeakMap<Config, WeakMap<readonly Repair[], Map<string, readonly Repair[]>>>();

export function repairRequest(body: Record<string, unknown>, repairs: readonly Repair[], context: RepairContext): void {
  for (const repair of repairs) repair.request?.(body, context);
}

/** Whether any repair changed the answer (an unchanged one is relayed as the upstream sent it). */
export function repairResponse(body: Record<string, unknown>, repairs: readonly Repair[], context: RepairContext): boolean {
  let changed = false;
  for (const repair of repairs) if (repair.response?.(body, context)) changed = true;
  return changed;
}

/**
 * Chains the stream repairs of a route. Returns undefined when none applies,
 * so the caller can keep piping bytes untouched.
 */
export function createStreamRepairer(repairs: readonly Repair[], context: RepairContext): StreamRepairer | undefined {
  const stages = repairs.flatMap((repair) => (repair.stream ? [repair.stream(context)] : []));
  return stages.length === 0 ? undefined : new StreamRepairer(stages);
}

export class StreamRepairer {
  constructor(private readonly stages: readonly StreamRepair[]) {}

  /**
   * One upstream frame in, the repaired frames out (as parsed frames).
   * `parsed` is the frame's data already parsed (src/server/frame-check.ts),
   * which saves a second JSON.parse per event on the hot path; the repairs may
   * mutate it, so it must belong to this frame alone.
   */
  frame(frame: SseFrame, parsed?: Record<string, unknown>): RepairedFrame[] {
    if (frame.data === undefined) return [frame];
    const event: WireEvent = parsed ? { event: frame.event, data: frame.data, json: parsed } : toWireEvent(frame.event, frame.data);
    return this.run(0, [event]).map(toFrame);
  }

  /** The upstream ended: each stage's leftovers pass through the stages after it. */
  end(): RepairedFrame[] {
    let pending: WireEvent[] = [];
    for (const stage of this.stages) {
      pending = pending.flatMap((event) => stage.event(event));
      pending.push(...stage.end());
    }
    return pending.map(toFrame);
  }

  private run(from: number, events: WireEvent[]): WireEvent[] {
    return this.stages.slice(from).reduce((current, stage) => current.flatMap((event) => stage.event(event)), events);
  }
}

function toWireEvent(event: string | undefined, data: string): WireEvent {
  let json: Record<string, unknown> | undefined;
  if (data !== '[DONE]') {
    try {
      const value: unknown = JSON.parse(data);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) json = value as Record<string, unknown>;
    } catch {
      json = undefined;
    }
  }
  return { event, data, json };
}

/** A repaired frame, with its data still parsed (`json`) for a decoder that would otherwise parse it again. */
export interface RepairedFrame extends SseFrame {
  json?: Record<string, unknown>;
}

/** An event as a frame: serialised again only when a repair changed or made it (`json` then wins over `data`). */
function toFrame(event: WireEvent): RepairedFrame {
  const data = event.edited && event.json ? JSON.stringify(event.json) : event.data;
  return event.json ? { event: event.event, data, json: event.json } : { event: event.event, data };
}

/** SSE text of repaired frames, for a passthrough client. */
export function frameText(frame: SseFrame): string {
  return formatFrame(frame.data ?? '', frame.event);
}
