import { badRequest } from './errors.js';
import { FAULT_SPEC_HELP, FAULTS, parseFaultSpec } from './faults.js';
import { REQUEST_QUIRKS, STREAM_QUIRKS } from './quirks.js';

/**
 * Quirk and fault switches of the emulator.
 *
 * A quirk reproduces one documented upstream misbehaviour (dialects read the
 * active set from `context.quirks`); a fault reproduces an operational failure
 * (429 with Retry-After, 5xx, a disconnect or stall mid-stream). Each known id
 * is one line here: `'kebab-id': 'what it reproduces (source)'`. Ids not listed
 * are refused with a 400 naming them, so a typo in a test cannot silently
 * switch nothing on.
 */
export const QUIRKS: Readonly<Record<string, string>> = { ...STREAM_QUIRKS, ...REQUEST_QUIRKS };
export { FAULTS };

export const QUIRKS_HEADER = 'x-dbx-emulator-quirks';
export const FAULTS_HEADER = 'x-dbx-emulator-faults';

export interface ActiveSwitches {
  quirks: ReadonlySet<string>;
  faults: ReadonlySet<string>;
}

const NONE: ReadonlySet<string> = new Set();

/** Fault switches may carry a count or a percentage (`rate-limit*2`, see faults.ts); quirks are bare ids. */
const KNOWN = {
  quirk: (id: string) => Object.hasOwn(QUIRKS, id),
  fault: (id: string) => parseFaultSpec(id) !== undefined,
};

function validate(kind: 'quirk' | 'fault', registry: Readonly<Record<string, string>>, ids: Iterable<string>): Set<string> {
  const set = new Set<string>();
  for (const id of ids) {
    if (!KNOWN[kind](id)) {
      const known = Object.keys(registry);
      const form = kind === 'fault' ? ` A fault switch is ${FAULT_SPEC_HELP}.` : '';
      throw badRequest(
        `Unknown emulator ${kind} '${id}'. Known ${kind}s: ${known.length > 0 ? known.join(', ') : '(none)'}.${form}`,
      );
    }
    set.add(id);
  }
  return set;
}

/** `a, b,,c` -> ['a', 'b', 'c']; repeated headers arrive as an array. */
function parseHeader(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  const joined = Array.isArray(value) ? value.join(',') : value;
  return joined
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id.length > 0);
}

/**
 * The global switch state of one emulator, plus the per-request view: the
 * headers add to (never remove from) what is switched on globally.
 */
export class Switches {
  private quirks: ReadonlySet<string> = NONE;
  private faults: ReadonlySet<string> = NONE;

  constructor(quirks: readonly string[] = [], faults: readonly string[] = []) {
    this.setQuirks(quirks);
    this.setFaults(faults);
  }

  /** Replaces the global quirks; throws DatabricksApiError(400) on an unknown id. */
  setQuirks(ids: readonly string[]): void {
    this.quirks = validate('quirk', QUIRKS, ids);
  }

  /** Replaces the global faults; throws DatabricksApiError(400) on an unknown id. */
  setFaults(ids: readonly string[]): void {
    this.faults = validate('fault', FAULTS, ids);
  }

  /** The switches active for one request; throws DatabricksApiError(400) on an unknown id. */
  forRequest(headers: Record<string, string | string[] | undefined>): ActiveSwitches {
    const quirkIds = parseHeader(headers[QUIRKS_HEADER]);
    const faultIds = parseHeader(headers[FAULTS_HEADER]);
    // Fast path: no header, share the global sets (no allocation per request).
    if (quirkIds.length === 0 && faultIds.length === 0) return { quirks: this.quirks, faults: this.faults };
    return {
      quirks: quirkIds.length === 0 ? this.quirks : validate('quirk', QUIRKS, [...this.quirks, ...quirkIds]),
      faults: faultIds.length === 0 ? this.faults : validate('fault', FAULTS, [...this.faults, ...faultIds]),
    };
  }
}
