/** The IR stream contract (src/ir/stream.ts), checked on any decoded sequence. */
import { expect } from 'vitest';
import type { IrStreamEvent } from '../../src/ir/stream.js';

export interface ContractChecks {
  /** `start` comes first. */
  startFirst?: boolean;
  /** Exactly one `start`. */
  singleStart?: boolean;
  /** Between `start` and the terminal event, nothing but block events and `usage`. */
  onlyUsageBetween?: boolean;
}

/**
 * Always: exactly one terminal event (finish or error), last; blocks opened in
 * index order from 0, one at a time, deltas only into the open block, every
 * block closed. The options add what each dialect's decoder also promises.
 */
export function expectWellFormedIr(events: IrStreamEvent[], checks: ContractChecks = {}): void {
  if (checks.startFirst) expect(events[0]?.type).toBe('start');
  if (checks.singleStart) expect(events.filter((event) => event.type === 'start')).toHaveLength(1);
  const terminal = events.filter((event) => event.type === 'finish' || event.type === 'error');
  expect(terminal).toHaveLength(1);
  expect(events.at(-1)).toBe(terminal[0]);
  let open: number | undefined;
  let next = 0;
  for (const event of events) {
    if (event.type === 'block_start') {
      expect(open).toBeUndefined();
      expect(event.index).toBe(next++);
      open = event.index;
    } else if (event.type === 'delta') {
      expect(event.index).toBe(open);
    } else if (event.type === 'block_stop') {
      expect(event.index).toBe(open);
      open = undefined;
    } else if (checks.onlyUsageBetween && event !== events[0] && event !== events.at(-1)) {
      expect(event.type).toBe('usage');
    }
  }
  expect(open).toBeUndefined();
}

/** Events compared by what a client sees: an error by its kind, message and upstream code. */
export function comparableErrors(events: IrStreamEvent[]): unknown[] {
  return events.map((event) =>
    event.type === 'error' ? { type: 'error', kind: event.error.kind, message: event.error.message, code: event.error.upstreamCode } : event,
  );
}
