/**
 * chat-chunks: Databricks chat streams reach a Chat Completions client in the
 * shape OpenAI clients accept.
 *
 * Fixes: for a client on /v1/chat/completions (passthrough),
 * - "minimal" chunks without `id`/`object`/`created` or a choice `index`
 *   (the openai SDK throws "invalid choice index"): completed from the first
 *   chunk that had them, else minted once per stream (`model` likewise);
 * - `delta.content` (and a whole answer's `message.content`) given as
 *   Databricks list content: text items become the string `content`,
 *   reasoning items `reasoning_content`, never visible text;
 * - usage sent in its own chunk after the `finish_reason` chunk: the finish
 *   chunk is held until the next frame and gets the usage, so a client that
 *   stops reading at `finish_reason` still has it (Databricks' own shape,
 *   usage on the final chunk); the separate usage chunk is passed on only to
 *   a client that asked for `stream_options.include_usage`;
 * - a stream that ends after its `finish_reason` without `data: [DONE]` gets
 *   one (a stream cut before `finish_reason` is left to the stream tracker,
 *   which ends it with an error).
 * On translated routes the chat stream decoder already reads all of these
 * (list content with its signatures, usage after finish, no [DONE]), so the
 * repair leaves those streams alone.
 * Source: reference databricks.md §2.3 (minimal chunks: lefte/forgecode-databricks
 * [3rd-party]; list content; usage on the final chunk, ai-bridge PR #176;
 * [DONE] UNVERIFIED) and §5.1 (list content: litellm #9700, goose);
 * wire-formats.md §7 "Usage arrives after finish"; clients.md §7 (chat out).
 * Applies: routes whose upstream speaks Chat Completions (Llama, Qwen,
 * Gemma, other families), both surfaces.
 * Emulator: `chat-minimal-chunks`, `chat-list-content`,
 * `chat-usage-after-finish`, `chat-no-done`.
 */
import { randomUUID } from 'node:crypto';
import { markEdited, type Repair, type RepairContext, type StreamRepair, type WireEvent } from '../types.js';
import { flattenDelta, flattenMessage } from './chat-list-content.js';
import { isRecord, records, type JsonObject } from '../../dialects/common/json.js';

/**
 * Whether the client asked for the usage chunk. The request hook sees the
 * body and the stream hook only the route's context; both get the same
 * context object for one upstream attempt.
 */
const includeUsage = new WeakMap<RepairContext, boolean>();

const IDENTITY = ['id', 'object', 'created', 'model'] as const;

/** `"content": [` somewhere in an answer's text: list content, which a whole answer's repair reads. */
const LIST_CONTENT = /"content"\s*:\s*\[/;

const done = (): WireEvent => ({ event: undefined, data: '[DONE]', json: undefined });

function absent(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/** OpenAI's trailing usage chunk: usage and no choice. */
function isUsageOnly(json: JsonObject): boolean {
  return isRecord(json.usage) && records(json.choices).length === 0;
}

function hasFinish(json: JsonObject): boolean {
  return records(json.choices).some((choice) => !absent(choice.finish_reason));
}

class ChatChunks implements StreamRepair {
  private readonly identity: JsonObject = {};
  private finished = false;
  private doneSent = false;
  /** The finish chunk, while the usage that may follow it is awaited. */
  private held: WireEvent | undefined;

  constructor(private readonly context: RepairContext) {}

  event(event: WireEvent): WireEvent[] {
    if (event.data === '[DONE]') {
      this.doneSent = true;
      return [...this.release(), event];
    }
    const json = event.json;
    // Non-JSON data and mid-stream error bodies (`{"error": …}`) pass as they are.
    if (!json || json.error !== undefined) return [...this.release(), event];
    if (this.completeIdentity(json)) markEdited(event);
    records(json.choices).forEach((choice, position) => {
      // A minimal chunk has no choice index: read as the choice's position (one choice per chunk in practice).
      if (typeof choice.index !== 'number') {
        choice.index = position;
        markEdited(event);
      }
      if (isRecord(choice.delta) && flattenDelta(choice.delta)) markEdited(event);
    });
    const held = this.held;
    if (held?.json && isUsageOnly(json)) {
      held.json.usage = json.usage;
      markEdited(held);
      this.held = undefined;
      return includeUsage.get(this.context) ? [held, event] : [held];
    }
    const out = this.release();
    if (hasFinish(json)) {
      this.finished = true;
      if (!isRecord(json.usage)) {
        this.held = event;
        return out;
      }
    }
    out.push(event);
    return out;
  }

  end(): WireEvent[] {
    const out = this.release();
    if (this.finished && !this.doneSent) out.push(done());
    return out;
  }

  private release(): WireEvent[] {
    const held = this.held;
    this.held = undefined;
    return held ? [held] : [];
  }

  /** Fields a chunk lacks come from the first chunk that had them, else are minted once per stream. Returns whether any was missing. */
  private completeIdentity(json: JsonObject): boolean {
    for (const key of IDENTITY) if (absent(this.identity[key]) && !absent(json[key])) this.identity[key] = json[key];
    if (IDENTITY.every((key) => !absent(json[key]))) return false;
    const minted: JsonObject = {
      id: `chatcmpl-${randomUUID()}`,
      object: 'chat.completion.chunk',
      created: Math.floor(Date.now() / 1000),
      model: this.context.endpoint,
    };
    for (const key of IDENTITY) this.identity[key] ??= minted[key];
    // Rebuilt so the identity fields come first, where they are on every OpenAI chunk.
    const own = { ...json };
    for (const key of Object.keys(json)) delete json[key];
    for (const key of IDENTITY) json[key] = absent(own[key]) ? this.identity[key] : own[key];
    for (const [key, value] of Object.entries(own)) if (!IDENTITY.includes(key as (typeof IDENTITY)[number])) json[key] = value;
    return true;
  }
}

/**
 * Whether a stream shows any of the four shapes (the probe's test). The probe
 * asks for no usage chunk, so one after the finish chunk is the quirk.
 */
function misshapen(events: readonly WireEvent[]): boolean {
  const chunks = events.flatMap(({ json }) => (json && json.error === undefined ? [json] : []));
  const minimal = chunks.some((chunk) => IDENTITY.slice(0, 3).some((key) => absent(chunk[key])) || records(chunk.choices).some((choice) => typeof choice.index !== 'number'));
  const listContent = chunks.some((chunk) => records(chunk.choices).some((choice) => isRecord(choice.delta) && Array.isArray(choice.delta.content)));
  const finishAt = chunks.findIndex(hasFinish);
  const usageAfter = finishAt !== -1 && chunks.slice(finishAt + 1).some(isUsageOnly);
  const noDone = !events.some((event) => event.data === '[DONE]');
  return minimal || listContent || usageAfter || noDone;
}

const untouched: StreamRepair = { event: (event) => [event], end: () => [] };

export const chatChunksRepair: Repair = {
  id: 'chat-chunks',
  summary: 'Chat chunks get id/object/created/model and a choice index, list content is decoded, usage reaches the finish chunk, [DONE] ends the stream',
  source: 'reference databricks.md §2.3, §5.1 (lefte/forgecode-databricks; ai-bridge PR #176; litellm #9700); wire-formats.md §7',
  quirk: 'chat-minimal-chunks',
  appliesTo: { upstream: ['openai-chat'] },
  request: (body, context) => {
    const options = body.stream_options;
    includeUsage.set(context, isRecord(options) && options.include_usage === true);
  },
  response: (body, context) => {
    if (context.inbound !== 'openai-chat') return false;
    let changed = false;
    for (const choice of records(body.choices)) if (isRecord(choice.message) && flattenMessage(choice.message)) changed = true;
    return changed;
  },
  // Only list content is changed in a whole answer.
  responseMayChange: (text) => LIST_CONTENT.test(text),
  stream: (context) => (context.inbound === 'openai-chat' ? new ChatChunks(context) : untouched),
  probe: { stream: true, provoke: () => true, shows: ({ events }) => misshapen(events) },
};
