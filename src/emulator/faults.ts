import { CONTROL_PLANE_FAULTS } from './control-plane-faults.js';

/**
 * The fault switches: operational failures the emulator can produce on
 * demand (throttling, outages, broken or stalled streams). One line each:
 * `'kebab-id': 'what it produces'`. They act in src/emulator/fault-injection.ts,
 * after the request is authenticated and its endpoint resolved, before the
 * model runs.
 *
 * A switch is written as a spec, globally (`setFaults`, `--faults`) or per
 * request (the `x-dbx-emulator-faults` header):
 *   - `id`      every inference request;
 *   - `id*N`    the next N inference requests it can act on, then it is spent
 *               ("fail the first N times, then succeed"). The budget belongs to
 *               the spec text: a header carrying `rate-limit*2` on every request
 *               fails the first two of them. `setFaults` refills every budget.
 *   - `id%P`    each request it can act on with probability P/100 (0 < P <= 100).
 * When several specs could act on one request, the first listed wins (global
 * ones before the header's).
 *
 * Stream faults act on streamed answers; `disconnect-mid-stream`, `stall`,
 * `giant-frame` and `endless-frame` also act on a JSON answer's body.
 * `slow-drip` and `malformed-frame` leave JSON answers alone.
 */
export const FAULTS = {
  'rate-limit': `429 {"error_code":"REQUEST_LIMIT_EXCEEDED","message":...} with Retry-After (reference §6)`,
  unavailable: '503 {"error_code":"TEMPORARILY_UNAVAILABLE","message":...} with Retry-After',
  'gateway-not-found':
    'on AI Gateway paths only: 404 {"error_code":"ENDPOINT_NOT_FOUND"} although the gateway serves the endpoint (a transient "not here")',
  'reset-before-headers': 'the connection is destroyed before any byte of the answer',
  'hang-before-headers': 'no byte of the answer ever comes; the connection stays open until the caller gives up',
  'disconnect-mid-stream': 'a few frames (or half a JSON body), then the connection is destroyed',
  stall: 'a few frames (or half a JSON body), then silence with the connection open',
  'slow-drip': 'every frame of a stream paced apart (SLOW_DRIP_MS)',
  'steady-drip': 'every frame of a stream paced STEADY_DRIP_MS (20 ms) apart: a steady token rate, for the paced benchmark (bench/)',
  'malformed-frame': 'one data frame mid-stream is not JSON (cut in half); the frames after it still come',
  'giant-frame': 'one frame mid-stream (or a JSON answer) padded to GIANT_FRAME_BYTES (40 MB) with SSE comment or JSON whitespace: same meaning, huge',
  'endless-frame': 'a few frames (or half a JSON body), then bytes of one frame that never ends, as fast as the caller reads, until it hangs up',
  // The workspace's own services (token, discovery, listings) and echoed credentials: control-plane-faults.ts.
  ...CONTROL_PLANE_FAULTS,
} as const satisfies Readonly<Record<string, string>>;

export type FaultId = keyof typeof FAULTS;

/** One parsed switch: which fault, and how often it acts. */
export interface FaultSpec {
  /** The spec as written, e.g. `rate-limit*2` (budgets are kept per spec text). */
  text: string;
  id: FaultId;
  /** `id*N`: acts on N requests, then never again (until `setFaults`). */
  count?: number;
  /** `id%P`: acts with probability P/100. */
  percent?: number;
}

const SPEC = /^(?<id>[a-z][a-z-]*)(?:\*(?<count>\d+)|%(?<percent>\d+(?:\.\d+)?))?$/;

/** Parses `id`, `id*N` or `id%P`; undefined for an unknown id or a malformed suffix. */
export function parseFaultSpec(text: string): FaultSpec | undefined {
  const groups = SPEC.exec(text)?.groups;
  if (!groups?.id || !Object.hasOwn(FAULTS, groups.id)) return undefined;
  const spec: FaultSpec = { text, id: groups.id as FaultId };
  if (groups.count !== undefined) {
    const count = Number(groups.count);
    if (!Number.isSafeInteger(count) || count < 1) return undefined;
    spec.count = count;
  }
  if (groups.percent !== undefined) {
    const percent = Number(groups.percent);
    if (!(percent > 0 && percent <= 100)) return undefined;
    spec.percent = percent;
  }
  return spec;
}

/** What an error names as the accepted forms, for an unknown switch. */
export const FAULT_SPEC_HELP = 'a fault id, optionally with *N (the next N requests) or %P (P percent of requests)';
