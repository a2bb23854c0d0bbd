/** Building what the emulator's model would answer, and catching what the emulator refuses, for emulator dialect tests. */
import { expect } from 'vitest';
import { DatabricksApiError, type Script, type ScriptBlock } from '../../src/emulator/types.js';

/** Scripts for one endpoint with a fixed id, time and usage; the stop follows the blocks (a tool call: tool_use) unless overridden. */
export function scriptsFor(base: Pick<Script, 'id' | 'created' | 'endpoint' | 'usage'>): (blocks: ScriptBlock[], overrides?: Partial<Script>) => Script {
  return (blocks, overrides = {}) => ({
    ...base,
    blocks,
    stop: blocks.some((block) => block.type === 'tool_call') ? 'tool_use' : 'end_turn',
    ...overrides,
  });
}

/** The DatabricksApiError `fn` throws; fails the test when it throws anything else or nothing. */
export function databricksErrorOf(fn: () => unknown): DatabricksApiError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DatabricksApiError);
    return error as DatabricksApiError;
  }
  throw new Error('expected a DatabricksApiError, nothing was thrown');
}
