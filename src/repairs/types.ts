import type { Config } from '../config/schema.js';
import type { Dialect, InboundDialect } from '../dialects/dialect.js';
import type { Family } from '../databricks/family.js';
import type { Surface } from '../databricks/surface.js';

/**
 * One upstream quirk, fixed in one place. A repair says what it fixes, where
 * the quirk is documented, where it applies, and which emulator quirk switch
 * reproduces it; its test drives the emulator with that switch on and fails
 * when the repair is disabled.
 */
export interface Repair {
  /** kebab-case id, used by `repairs.disable` and in logs. */
  id: string;
  /** The symptom it fixes, in one sentence. */
  summary: string;
  /** The public source that documents the quirk. */
  source: string;
  /**
   * The emulator quirk switch that reproduces it (src/emulator/switches.ts),
   * or the id of the always-on emulator rule it answers (REQUEST_RULES in
   * src/emulator/quirks.ts).
   */
  quirk: string;
  /** Where it applies; an absent list means "everywhere". `upstream` is the dialect spoken to Databricks. */
  appliesTo: { upstream: readonly Dialect[]; surfaces?: readonly Surface[]; families?: readonly Family[] };
  /** Fixes the body about to be sent upstream (after any translation). Mutates it in place. */
  request?(body: Record<string, unknown>, context: RepairContext): void;
  /**
   * Fixes a whole (non-streamed) upstream answer before it is relayed or
   * translated. Mutates it in place and returns whether it changed anything:
   * a passthrough answer no repair changed goes out as the upstream's own text.
   */
  response?(body: Record<string, unknown>, context: RepairContext): boolean;
  /**
   * A cheap look at a whole answer's raw text: false when `response` surely
   * has nothing to do there. When no repair may change a passthrough answer,
   * it is not even parsed. Absent: the answer is always parsed for `response`.
   */
  responseMayChange?(text: string): boolean;
  /** A fresh per-stream fixer of upstream events, before they are relayed or translated. */
  stream?(context: RepairContext): StreamRepair;
  /**
   * How `dbx-proxy doctor --quirks` checks whether a workspace still shows the
   * quirk, so the repair can be retired once Databricks fixes it. A repair
   * without one is listed as not checked.
   */
  probe?: RepairProbe;
}

/** The route a probe runs on: upstream dialect, surface and family, with one endpoint of that family. */
export type ProbeRoute = Pick<RepairContext, 'upstream' | 'surface' | 'family' | 'endpoint' | 'config'>;

/**
 * A minimal request that shows whether the workspace still has a quirk. It
 * is sent with no repair applied (`--bare` semantics).
 */
export interface RepairProbe {
  /**
   * The endpoints that can show the quirk, when it belongs to some models of
   * a family only (opus-5-5's thinking rules): the probe runs on the first
   * such endpoint of the family. Absent: any endpoint of the family.
   */
  endpoint?(name: string): boolean;
  /**
   * Turns a minimal valid request body (in the route's upstream dialect) into
   * one that provokes the quirk. Returns false when this route cannot provoke
   * it (a family with no tool cap, say); nothing is sent then.
   */
  provoke(body: Record<string, unknown>, route: ProbeRoute): boolean;
  /** Ask for a stream: stream quirks show in the events. */
  stream?: boolean;
  /**
   * Whether the answer shows the quirk. Absent: the quirk is a refusal, shown
   * when the provoking request is refused and the same request repaired is not.
   */
  shows?(answer: ProbeAnswer): boolean;
}

/** What the workspace answered to a probe. */
export interface ProbeAnswer {
  status: number;
  /** The whole body: JSON, or the SSE text when streamed. */
  text: string;
  /** The SSE events, parsed, when streamed (empty otherwise). */
  events: WireEvent[];
}

/** One upstream SSE event, parsed once for every repair. `json` is undefined for non-JSON data such as `[DONE]`. */
export interface WireEvent {
  event: string | undefined;
  data: string;
  json: Record<string, unknown> | undefined;
  /**
   * Set (with `markEdited`) by a repair that changed `json`, and on every
   * event a repair makes: such an event is serialised again. An event no
   * repair marked goes out as the upstream's own text, unparsed twice and
   * byte for byte. A repair that changes `json` without marking it has no
   * effect, which its on/off test shows.
   */
  edited?: boolean;
}

/** Marks an event whose `json` a repair changed (see WireEvent.edited). */
export function markEdited(event: WireEvent): WireEvent {
  event.edited = true;
  return event;
}

export interface StreamRepair {
  /** Returns the events to pass on in place of this one (none, itself, or several). Mutating `json` is allowed. */
  event(event: WireEvent): WireEvent[];
  /** The upstream ended: anything still owed. */
  end(): WireEvent[];
}

export interface RepairContext {
  inbound: InboundDialect;
  upstream: Dialect;
  surface: Surface;
  family: Family;
  endpoint: string;
  config: Config;
  /** Tell the client what was changed on its behalf: one response header listing `names` (bounded: notes.ts). */
  note(header: string, names: readonly string[]): void;
  /** A warning line in the proxy's log. */
  warn(message: string, fields?: Record<string, unknown>): void;
}
