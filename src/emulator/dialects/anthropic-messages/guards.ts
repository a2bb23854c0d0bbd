import { DatabricksApiError } from '../../types.js';

// ---------------------------------------------------------------------------
// Errors and small guards

export function reject(message: string): never {
  throw new DatabricksApiError(400, 'BAD_REQUEST', message);
}

export function extraInput(location: string): never {
  reject(`${location}: Extra inputs are not permitted`);
}

export function isPositiveInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

export function tagMismatch(location: string, tag: unknown): never {
  // The documented message (server tools) is "Input tag '<type>' found using
  // 'type' does not match any of the expected tags"; pydantic may append the
  // list of expected tags, which the reference does not show.
  reject(`${location}: Input tag '${String(tag)}' found using 'type' does not match any of the expected tags`);
}
