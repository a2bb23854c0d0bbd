/**
 * responses-terminal: a Responses stream always ends with a terminal event
 * that carries the final `output` and a complete `usage`.
 *
 * Fixes: a `response.completed` whose `output` is empty although items were
 * streamed (the openai SDK's finalResponse() takes the terminal event's
 * response, so the answer reads as empty); `usage` without `total_tokens`
 * (filled with input + output, as the seed PR does); and a stream that ends
 * after all its items are done but without any terminal event (Codex fails
 * with "stream closed before response.completed"): a `response.completed`
 * built from the `response.created` snapshot and the `output_item.done`
 * items is sent. A stream cut while an item is still open is not complete;
 * the proxy's stream tracker ends that one with an error and
 * `response.failed`. Whole (non-streamed) answers get `total_tokens` too.
 * Source: reference databricks.md §5.3 (`response.completed` patch of the seed
 * PR: missing `usage.total_tokens`); clients.md §7 (Codex 0.169 fails without
 * `response.completed`; "the stream always ends with response.completed …
 * carrying the final output[] and usage").
 * Applies: routes whose upstream speaks Responses, both surfaces.
 * Emulator: `responses-completed-empty-output`,
 * `responses-usage-without-total-tokens`, `responses-no-terminal-event`.
 */
import { markEdited, type Repair, type StreamRepair, type WireEvent } from '../types.js';
import { isRecord, numberOr, type JsonObject } from '../../dialects/common/json.js';
import { responsesEvent, SequenceNumbers } from './responses-events.js';

const TERMINAL = new Set(['response.completed', 'response.incomplete', 'response.failed']);

/** `total_tokens` = input + output when the upstream left it out. */
function completeUsage(usage: unknown): boolean {
  if (!isRecord(usage) || usage.total_tokens !== undefined) return false;
  const input = numberOr(usage.input_tokens);
  const output = numberOr(usage.output_tokens);
  if (input === undefined || output === undefined) return false;
  usage.total_tokens = input + output;
  return true;
}

class ResponsesTerminal implements StreamRepair {
  /** The response as `response.created` announced it. */
  private created: JsonObject | undefined;
  private readonly doneItems = new Map<number, unknown>();
  private readonly openItems = new Set<number>();
  private terminated = false;
  private readonly sequence = new SequenceNumbers();

  event(event: WireEvent): WireEvent[] {
    const json = event.json;
    if (!json) return [event];
    const type = typeof json.type === 'string' ? json.type : '';
    const index = numberOr(json.output_index);
    if (type === 'response.created' && isRecord(json.response)) this.created = json.response;
    if (type === 'response.output_item.added' && index !== undefined) this.openItems.add(index);
    if (type === 'response.output_item.done' && index !== undefined) {
      this.openItems.delete(index);
      this.doneItems.set(index, json.item);
    }
    if (TERMINAL.has(type)) {
      this.terminated = true;
      if (type !== 'response.failed' && isRecord(json.response) && this.complete(json.response)) markEdited(event);
    }
    return this.sequence.stamp([event]);
  }

  end(): WireEvent[] {
    if (this.terminated || !this.created || this.doneItems.size === 0 || this.openItems.size > 0) return [];
    const response: JsonObject = { ...this.created, status: 'completed' };
    this.complete(response);
    return [responsesEvent({ type: 'response.completed', sequence_number: this.sequence.peek(), response })];
  }

  /**
   * The final output is every item seen done, in output order, when the
   * upstream's terminal event lists none. Returns whether it changed anything.
   */
  private complete(response: JsonObject): boolean {
    const listed = Array.isArray(response.output) ? response.output : [];
    const outputMissing = listed.length === 0 && this.doneItems.size > 0;
    if (outputMissing) response.output = [...this.doneItems.entries()].sort(([a], [b]) => a - b).map(([, item]) => item);
    // A synthesised terminal event has no usage to report: the upstream never
    // sent one, and the proxy does not invent token counts (it stays null).
    return completeUsage(response.usage) || outputMissing;
  }
}

/** Whether a stream lacks its terminal event, final output or total_tokens (the probe's test). */
function terminalIncomplete(events: readonly WireEvent[]): boolean {
  const terminal = events.find(({ json }) => TERMINAL.has(String(json?.type)))?.json;
  if (!terminal) return true;
  const response = isRecord(terminal.response) ? terminal.response : {};
  const itemsDone = events.some(({ json }) => json?.type === 'response.output_item.done');
  const listed = Array.isArray(response.output) ? response.output.length : 0;
  return (itemsDone && listed === 0) || (isRecord(response.usage) && response.usage.total_tokens === undefined);
}

export const responsesTerminalRepair: Repair = {
  id: 'responses-terminal',
  summary: 'Responses streams end with a terminal event carrying the final output and usage.total_tokens; answers get total_tokens',
  source: 'reference databricks.md §5.3 (seed PR response.completed patch); clients.md §7 (Codex needs response.completed)',
  quirk: 'responses-no-terminal-event',
  appliesTo: { upstream: ['openai-responses'] },
  response: (body) => completeUsage(body.usage),
  // An answer that states total_tokens anywhere is left as it is (the repair only fills a missing one).
  responseMayChange: (text) => !text.includes('"total_tokens"'),
  stream: () => new ResponsesTerminal(),
  probe: { stream: true, provoke: () => true, shows: ({ events }) => terminalIncomplete(events) },
};
