import type { WireEvent } from '../types.js';
import { numberOr, stringOr, type JsonObject } from '../../dialects/common/json.js';
import { isFunctionCall } from './responses-events.js';

/** The probe of tool-call-lifecycle (`dbx-proxy doctor --quirks`): does the workspace still break function-call streams? */

/** A tool the model must call: the probe needs a function call to watch. */
export function provokeCall(body: JsonObject): boolean {
  body.input = 'Call probe_tool.';
  body.tools = [{ type: 'function', name: 'probe_tool', description: 'Call this tool.', parameters: { type: 'object', properties: {} } }];
  body.tool_choice = 'required';
  return true;
}

/** Whether a call misses `.added` before its events, streams no argument delta, or comes twice (the probe's test). */
export function lifecycleBroken(events: readonly WireEvent[]): boolean {
  const announced = new Set<number>();
  const deltas = new Set<number>();
  const callIds = new Map<string, number>();
  return events.some(({ json }) => {
    const index = numberOr(json?.output_index);
    if (!json || index === undefined) return false;
    const item = isFunctionCall(json.item) ? json.item : undefined;
    const callId = stringOr(item?.call_id);
    if (callId !== undefined && (callIds.get(callId) ?? index) !== index) return true;
    if (callId !== undefined) callIds.set(callId, index);
    if (json.type === 'response.output_item.added') {
      if (item) announced.add(index);
      return false;
    }
    const callEvent = item !== undefined || String(json.type).startsWith('response.function_call_arguments.');
    if (callEvent && !announced.has(index)) return true;
    if (json.type === 'response.function_call_arguments.delta') deltas.add(index);
    return json.type === 'response.function_call_arguments.done' && stringOr(json.arguments) !== '' && !deltas.has(index);
  });
}

