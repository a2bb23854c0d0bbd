import { applyStreamQuirks, hexOf, isObject, typedEvent, type QuirkEvent, type StreamQuirk } from './frames.js';

/**
 * Quirks of Databricks' Responses streams and answers (reference
 * databricks.md §5.3, §8; wire-formats.md §7; clients.md §7). Each rewrites
 * the stream the dialect rendered; sequence numbers are renumbered after, as
 * the upstream numbers the events it actually sends.
 */

type Json = Record<string, unknown>;

const TERMINAL = new Set(['response.completed', 'response.incomplete', 'response.failed']);

const typeOf = (event: QuirkEvent): unknown => event.json?.type;
const itemOf = (event: QuirkEvent): Json | undefined => (isObject(event.json?.item) ? event.json.item : undefined);
const isFunctionCallEvent = (event: QuirkEvent, type: string): boolean =>
  typeOf(event) === type && itemOf(event)?.type === 'function_call';
const responseOf = (event: QuirkEvent): Json | undefined =>
  isObject(event.json?.response) ? event.json.response : undefined;

/** Replaces ids (values of `id` and `item_id`, at any depth) by the map. */
function renameIds(value: Json, names: ReadonlyMap<string, string>): void {
  for (const [key, child] of Object.entries(value)) {
    if ((key === 'id' || key === 'item_id') && typeof child === 'string') value[key] = names.get(child) ?? child;
    else if (Array.isArray(child)) child.filter(isObject).forEach((entry) => renameIds(entry, names));
    else if (isObject(child) && key !== 'tools' && key !== 'metadata') renameIds(child, names);
  }
}

/**
 * Documented lengths (databricks.md §5.3, unity-gateway #99): the response
 * id is 193 characters and message item ids 192, sharing one stem
 * (`resp_01c6579b…`, `msg_01c6579b…`); the reasoning item id is 53. The
 * lengths of function-call item ids are not documented: they get the long
 * shared-stem form too (191 characters). `call_id` values are not documented
 * as long and are left as rendered.
 */
const longIds: StreamQuirk = (events) => {
  const created = events.find((event) => typeOf(event) === 'response.created');
  const responseId = String((created && responseOf(created))?.id ?? 'resp');
  const stem = `01${hexOf(responseId, 178)}`;
  const names = new Map<string, string>([[responseId, `resp_${stem}${hexOf(`${responseId}:resp`, 8)}`]]);
  const LONG: Record<string, (id: string) => string> = {
    message: (id) => `msg_${stem}${hexOf(id, 8)}`,
    function_call: (id) => `fc_${stem}${hexOf(id, 8)}`,
    reasoning: (id) => `rs_${hexOf(id, 50)}`,
  };
  for (const event of events) {
    const item = typeOf(event) === 'response.output_item.added' ? itemOf(event) : undefined;
    const rename = LONG[String(item?.type)];
    if (item && typeof item.id === 'string' && rename) names.set(item.id, rename(item.id));
  }
  for (const event of events) if (event.json) renameIds(event.json, names);
  return events;
};

const CONTENT_EVENT = /^response\.(content_part|output_text)\./;

/**
 * The AI Gateway's item_id mismatch (databricks.md §5.3, unity-gateway #99):
 * a message's `output_item.added`/`.done` (and the final output) carry a
 * 54-character `msg_00…` id, its `content_part.*` and `output_text.*` events
 * a 192-character `msg_01…` id.
 */
const itemIdDrift: StreamQuirk = (events) => {
  const announced = new Map<string, string>();
  const content = new Map<string, string>();
  for (const event of events) {
    const item = typeOf(event) === 'response.output_item.added' ? itemOf(event) : undefined;
    if (item?.type !== 'message' || typeof item.id !== 'string') continue;
    announced.set(item.id, `msg_00${hexOf(`${item.id}:added`, 48)}`);
    content.set(item.id, `msg_01${hexOf(`${item.id}:content`, 186)}`);
  }
  for (const event of events) {
    if (!event.json) continue;
    renameIds(event.json, CONTENT_EVENT.test(String(typeOf(event))) ? content : announced);
  }
  return events;
};

/** Function calls stream their arguments without `output_item.added` (databricks.md §8; clients.md §7). */
const functionCallNoAdded: StreamQuirk = (events) =>
  events.filter((event) => !isFunctionCallEvent(event, 'response.output_item.added'));

/** Arguments only in `function_call_arguments.done`, no deltas (wire-formats.md §7, litellm #25321). */
const functionCallArgumentsAtDone: StreamQuirk = (events) =>
  events.filter((event) => typeOf(event) !== 'response.function_call_arguments.delta');

/** A function call only as `output_item.done` (databricks.md §8: a bare tool call from `output_item.done`). */
const functionCallDoneOnly: StreamQuirk = (events) =>
  events.filter(
    (event) =>
      !isFunctionCallEvent(event, 'response.output_item.added') &&
      typeOf(event) !== 'response.function_call_arguments.delta' &&
      typeOf(event) !== 'response.function_call_arguments.done',
  );

/**
 * Every function call sent again, whole, at a new output index before the
 * terminal event, with the same item and call id (databricks.md §8: calls
 * re-emitted at flush; the seed PR dedupes by call id). The wire shape of a
 * re-emission is not documented: `output_item.added` then `.done`.
 */
const functionCallRepeated: StreamQuirk = (events) => {
  const calls = events.filter((event) => isFunctionCallEvent(event, 'response.output_item.done')).map(itemOf);
  const terminal = events.findIndex((event) => TERMINAL.has(String(typeOf(event))));
  const at = terminal === -1 ? events.length : terminal;
  let next = Math.max(-1, ...events.map((event) => Number(event.json?.output_index ?? -1))) + 1;
  const repeats = calls.flatMap((item) => {
    if (!item) return [];
    const output_index = next++;
    return [
      typedEvent({ type: 'response.output_item.added', sequence_number: 0, output_index, item: { ...item, status: 'in_progress', arguments: '' } }),
      typedEvent({ type: 'response.output_item.done', sequence_number: 0, output_index, item }),
    ];
  });
  return [...events.slice(0, at), ...repeats, ...events.slice(at)];
};

const terminalResponse = (events: QuirkEvent[]): Json | undefined => {
  const terminal = events.find((event) => TERMINAL.has(String(typeOf(event))));
  return terminal ? responseOf(terminal) : undefined;
};

/** `response.completed` with an empty `output` (the final output is built from the streamed items by clients that can). */
const completedEmptyOutput: StreamQuirk = (events) => {
  const response = terminalResponse(events);
  if (response) response.output = [];
  return events;
};

/** Usage without `total_tokens` (databricks.md §5.3: the seed PR fills it with input + output). */
function dropTotalTokens(response: Json | undefined): void {
  if (response && isObject(response.usage)) delete response.usage.total_tokens;
}

const usageWithoutTotalTokens: StreamQuirk = (events) => {
  dropTotalTokens(terminalResponse(events));
  return events;
};

/** The stream ends after its last item without any terminal event (clients.md §7: Codex fails). */
const noTerminalEvent: StreamQuirk = (events) => events.filter((event) => !TERMINAL.has(String(typeOf(event))));

/** In the order they apply: ids first (as the upstream renders them), then the event-level defects. */
const RESPONSES_STREAM_QUIRKS: readonly (readonly [string, StreamQuirk])[] = [
  ['responses-long-ids', longIds],
  ['responses-item-id-drift', itemIdDrift],
  ['responses-function-call-no-added', functionCallNoAdded],
  ['responses-function-call-arguments-at-done', functionCallArgumentsAtDone],
  ['responses-function-call-done-only', functionCallDoneOnly],
  ['responses-function-call-repeated', functionCallRepeated],
  ['responses-completed-empty-output', completedEmptyOutput],
  ['responses-usage-without-total-tokens', usageWithoutTotalTokens],
  ['responses-no-terminal-event', noTerminalEvent],
];

function renumber(events: QuirkEvent[]): QuirkEvent[] {
  events.filter((event) => event.json).forEach((event, index) => ((event.json as Json).sequence_number = index));
  return events;
}

export function applyResponsesStreamQuirks(frames: string[], quirks: ReadonlySet<string>): string[] {
  return applyStreamQuirks(frames, quirks, RESPONSES_STREAM_QUIRKS, renumber);
}

/** Non-streamed answers: ids there are ≤ 55 characters (databricks.md §5.3), so only the usage quirk applies. */
export function applyResponsesAnswerQuirks(body: unknown, quirks: ReadonlySet<string>): unknown {
  if (quirks.has('responses-usage-without-total-tokens') && isObject(body)) dropTotalTokens(body);
  return body;
}
