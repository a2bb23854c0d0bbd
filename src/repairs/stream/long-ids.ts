/**
 * long-ids: Responses ids over 64 characters become short stable ids.
 *
 * Fixes: Databricks emits Responses ids of ~192 characters (a 193-character
 * response id, 192-character message item ids sharing the response's stem)
 * but rejects any id over 64 characters when a client sends it back as input,
 * so multi-turn conversations fail on the second turn.
 * Source: reference databricks.md §5.3 "64-char id cap" (databricks/unity-gateway
 * #97, #99; ai-bridge `_truncate_response_ids`; the seed PR's stream patch;
 * prefix + hash as in NousResearch/hermes-agent #17318).
 * Applies: every route whose upstream speaks Responses (GPT, Codex), both
 * surfaces; answers, streams, and the `input` items of the request.
 * Emulator: `responses-long-ids`.
 */
import { markEdited, type Repair } from '../types.js';
import { MAX_ID_LENGTH, shortenId } from './id-shortener.js';
import { isRecord, records, type JsonObject } from '../../dialects/common/json.js';

/** The keys whose string values are Responses ids. */
const ID_KEYS = new Set(['id', 'item_id', 'call_id']);
/** An id field whose string value is over the limit, in an answer's text (JSON escapes only lengthen it, never hide one). */
const LONG_ID = new RegExp(`"(?:id|item_id|call_id)"\\s*:\\s*"[^"]{${MAX_ID_LENGTH + 1}}`);
/** Echoed request parameters: the client's own data, never ids to shorten. */
const OPAQUE_KEYS = new Set(['tools', 'metadata', 'text', 'reasoning', 'arguments', 'instructions']);

/** Shortens every id in an event or answer, at any depth (ids sit in `response`, `item`, `output[]`); returns whether any was long. */
function shortenIdsIn(value: JsonObject): boolean {
  let changed = false;
  for (const [key, child] of Object.entries(value)) {
    if (typeof child === 'string') {
      if (!ID_KEYS.has(key)) continue;
      const short = shortenId(child);
      if (short !== child) {
        value[key] = short;
        changed = true;
      }
    } else if (!OPAQUE_KEYS.has(key)) {
      if (Array.isArray(child)) {
        for (const item of child) if (isRecord(item) && shortenIdsIn(item)) changed = true;
      } else if (isRecord(child) && shortenIdsIn(child)) changed = true;
    }
  }
  return changed;
}

/** Whether an event or answer holds an id over the limit (the probe's test). */
function hasLongId(value: JsonObject): boolean {
  return Object.entries(value).some(([key, child]) => {
    if (typeof child === 'string') return ID_KEYS.has(key) && child.length > MAX_ID_LENGTH;
    if (OPAQUE_KEYS.has(key)) return false;
    if (Array.isArray(child)) return child.filter(isRecord).some(hasLongId);
    return isRecord(child) && hasLongId(child);
  });
}

/** Input items the client replays (messages, function calls and outputs, reasoning) carry `id` and `call_id`. */
function shortenInputIds(body: JsonObject): void {
  for (const item of records(body.input)) {
    for (const key of ['id', 'call_id'] as const) {
      const value = item[key];
      if (typeof value === 'string') item[key] = shortenId(value);
    }
  }
}

export const longIdsRepair: Repair = {
  id: 'long-ids',
  summary: 'Responses ids over 64 characters are replaced by a type prefix and a hash, in answers, streams and replayed input',
  source: 'reference databricks.md §5.3 (databricks/unity-gateway #97, #99; NousResearch/hermes-agent #17318)',
  quirk: 'responses-long-ids',
  appliesTo: { upstream: ['openai-responses'] },
  request: (body) => shortenInputIds(body),
  response: (body) => shortenIdsIn(body),
  responseMayChange: (text) => LONG_ID.test(text),
  stream: () => ({
    event(event) {
      if (event.json && shortenIdsIn(event.json)) markEdited(event);
      return [event];
    },
    end: () => [],
  }),
  probe: {
    stream: true,
    provoke: () => true,
    shows: ({ events }) => events.some((event) => event.json !== undefined && hasLongId(event.json)),
  },
};
