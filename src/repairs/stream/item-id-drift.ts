/**
 * item-id-drift: every event of one output item carries the item's own id.
 *
 * Fixes: on the AI Gateway's Responses path, `output_item.added`/`.done`
 * carry one id (54 characters) while every `content_part.*` and
 * `output_text.*` event of the same `output_index` carries another
 * (192 characters, a different prefix); the openai SDK throws
 * `expected item_id …` and `@ai-sdk/openai` fails with "text part not found".
 * The id announced by the first `output_item.added` of an index is kept and
 * any later differing `item_id` at that index is rewritten to it.
 * Source: reference databricks.md §5.3 "item_id mismatch per output_index"
 * (databricks/unity-gateway #99; the seed PR's `itemIdByOutputIndex`);
 * wire-formats.md §7 "Rotating Responses item ids".
 * Applies: routes whose upstream speaks Responses; documented on
 * `/ai-gateway/codex/v1/responses`, applied on both surfaces since a
 * consistent stream is unchanged by it. Runs after long-ids.
 * Emulator: `responses-item-id-drift`.
 */
import { markEdited, type Repair, type StreamRepair, type WireEvent } from '../types.js';
import { isRecord, numberOr, stringOr } from '../../dialects/common/json.js';

function itemIdDrift(): StreamRepair {
  const idByIndex = new Map<number, string>();
  return {
    event(event: WireEvent) {
      const json = event.json;
      const index = numberOr(json?.output_index);
      if (!json || index === undefined) return [event];
      const item = isRecord(json.item) ? json.item : undefined;
      const itemId = stringOr(item?.id);
      if (json.type === 'response.output_item.added' && itemId && !idByIndex.has(index)) idByIndex.set(index, itemId);
      const canonical = idByIndex.get(index);
      if (canonical === undefined) return [event];
      if (typeof json.item_id === 'string' && json.item_id !== canonical) {
        json.item_id = canonical;
        markEdited(event);
      }
      // `.done` must name the item `.added` announced, or the SDK sees a conflicting identity.
      if (item && itemId && itemId !== canonical && json.type === 'response.output_item.done') {
        item.id = canonical;
        markEdited(event);
      }
      return [event];
    },
    end: () => [],
  };
}

/** Whether some event names another item than the one announced at its output_index (the probe's test). */
function drifts(events: readonly WireEvent[]): boolean {
  const announced = new Map<number, string>();
  return events.some(({ json }) => {
    const index = numberOr(json?.output_index);
    if (!json || index === undefined) return false;
    const id = stringOr(isRecord(json.item) ? json.item.id : undefined);
    if (json.type === 'response.output_item.added' && id && !announced.has(index)) announced.set(index, id);
    const expected = announced.get(index);
    return expected !== undefined && typeof json.item_id === 'string' && json.item_id !== expected;
  });
}

export const itemIdDriftRepair: Repair = {
  id: 'item-id-drift',
  summary: 'Events of one output_index are rewritten to the item_id that output_item.added announced for it',
  source: 'reference databricks.md §5.3 (databricks/unity-gateway #99; seed PR itemIdByOutputIndex)',
  quirk: 'responses-item-id-drift',
  appliesTo: { upstream: ['openai-responses'] },
  stream: itemIdDrift,
  probe: { stream: true, provoke: () => true, shows: ({ events }) => drifts(events) },
};
