import { applyStreamQuirks, isObject, type QuirkEvent, type StreamQuirk } from './frames.js';

/**
 * Quirks of Databricks' chat completions streams and answers (reference
 * databricks.md §2.3, §5.1; wire-formats.md §7).
 */

type Json = Record<string, unknown>;

const choicesOf = (json: Json | undefined): Json[] => (Array.isArray(json?.choices) ? json.choices.filter(isObject) : []);

/** A string as Databricks list content: `[{type:"text", text}]` (databricks.md §5.1 item union). */
const asList = (text: string): Json[] => [{ type: 'text', text }];

/**
 * Text deltas as list content items, as reasoning already is (databricks.md
 * §2.3: "`delta.content` may be a string or an array of content items").
 * Which endpoints send text this way is not documented; the empty opening
 * `content: ""` stays a string.
 */
const listContent: StreamQuirk = (events) => {
  for (const event of events) {
    for (const choice of choicesOf(event.json)) {
      const delta = isObject(choice.delta) ? choice.delta : undefined;
      if (delta && typeof delta.content === 'string' && delta.content !== '') delta.content = asList(delta.content);
    }
  }
  return events;
};

/**
 * Usage in a chunk of its own after the `finish_reason` chunk, OpenAI's
 * `include_usage` shape (`choices: []`), sent whether or not the client asked
 * (wire-formats.md §7 "Usage arrives after finish"; databricks.md §2.3
 * documents usage on the final chunk, which the default stream does).
 */
const usageAfterFinish: StreamQuirk = (events) => {
  const at = events.findIndex((event) => choicesOf(event.json).some((choice) => choice.finish_reason) && event.json?.usage);
  const finish = events[at]?.json;
  if (!finish) return events;
  const { usage, ...rest } = finish;
  events[at] = { event: undefined, data: '', json: rest };
  const trailing: Json = { id: rest.id, object: rest.object, created: rest.created, model: rest.model, choices: [], usage };
  return [...events.slice(0, at + 1), { event: undefined, data: '', json: trailing }, ...events.slice(at + 1)];
};

/**
 * "Minimal" chunks without `id`, `object`, `created` and the choice `index`
 * (databricks.md §2.3, lefte/forgecode-databricks [3rd-party]); `model` is
 * not in that list and stays.
 */
const minimalChunks: StreamQuirk = (events) => {
  for (const { json } of events) {
    if (!json) continue;
    delete json.id;
    delete json.object;
    delete json.created;
    for (const choice of choicesOf(json)) delete choice.index;
  }
  return events;
};

/** No closing `data: [DONE]` (databricks.md §2.3: whether Databricks sends it is UNVERIFIED). */
const noDone: StreamQuirk = (events) => events.filter((event: QuirkEvent) => event.data !== '[DONE]');

/** In the order they apply: content and usage shapes first, so the minimal form strips the usage chunk too. */
const CHAT_STREAM_QUIRKS: readonly (readonly [string, StreamQuirk])[] = [
  ['chat-list-content', listContent],
  ['chat-usage-after-finish', usageAfterFinish],
  ['chat-minimal-chunks', minimalChunks],
  ['chat-no-done', noDone],
];

export function applyChatStreamQuirks(frames: string[], quirks: ReadonlySet<string>): string[] {
  return applyStreamQuirks(frames, quirks, CHAT_STREAM_QUIRKS);
}

/** A whole answer: text content as list content (databricks.md §5.1: `message.content` becomes a list). */
export function applyChatAnswerQuirks(body: unknown, quirks: ReadonlySet<string>): unknown {
  if (!quirks.has('chat-list-content') || !isObject(body)) return body;
  for (const choice of choicesOf(body)) {
    const message = isObject(choice.message) ? choice.message : undefined;
    if (message && typeof message.content === 'string' && message.content !== '') message.content = asList(message.content);
  }
  return body;
}
