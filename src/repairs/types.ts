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
  /** The emulator quirk switch that reproduces it (src/emulator/switches.ts). */
  quirk: string;
  /** Where it applies; an absent list means "everywhere". `upstream` is the dialect spoken to Databricks. */
  appliesTo: { upstream: readonly Dialect[]; surfaces?: readonly Surface[]; families?: readonly Family[] };
  /** Fixes the body about to be sent upstream (after any translation). Mutates it in place. */
  request?(body: Record<string, unknown>, context: RepairContext): void;
  /** Fixes a whole (non-streamed) upstream answer before it is relayed or translated. Mutates it in place. */
  response?(body: Record<string, unknown>, context: RepairContext): void;
  /** A fresh per-stream fixer of upstream events, before they are relayed or translated. */
  stream?(context: RepairContext): StreamRepair;
}

/** One upstream SSE event, parsed once for every repair. `json` is undefined for non-JSON data such as `[DONE]`. */
export interface WireEvent {
  event: string | undefined;
  data: string;
  json: Record<string, unknown> | undefined;
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
  /** Tell the client something was changed on its behalf (a response header). */
  note(header: string, value: string): void;
  /** A warning line in the proxy's log. */
  warn(message: string, fields?: Record<string, unknown>): void;
}
