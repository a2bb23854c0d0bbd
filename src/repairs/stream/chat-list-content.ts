import { records, stringOr, type JsonObject } from '../../dialects/common/json.js';

/**
 * Databricks' list content (`[{type:"text"}, {type:"reasoning", summary:[…]}]`,
 * databricks.md §5.1) read the way a Chat Completions client expects: text
 * items joined as the string `content`, reasoning summaries as
 * `reasoning_content` (the de-facto chat extension, wire-formats §1), never as
 * visible text. Signatures, encrypted reasoning and image items have no chat
 * field and are left out.
 */
export function readListContent(content: unknown[]): { text: string; reasoning: string } {
  let text = '';
  let reasoning = '';
  for (const item of records(content)) {
    if (item.type === 'text') text += stringOr(item.text) ?? '';
    if (item.type !== 'reasoning') continue;
    for (const entry of records(item.summary)) {
      if (entry.type === 'summary_text') reasoning += stringOr(entry.text) ?? '';
    }
  }
  return { text, reasoning };
}

/**
 * A stream delta with list content: string `content` when there is text,
 * `reasoning_content` when there is reasoning. Returns whether there was any to read.
 */
export function flattenDelta(delta: JsonObject): boolean {
  if (!Array.isArray(delta.content)) return false;
  const { text, reasoning } = readListContent(delta.content);
  if (text === '') delete delta.content;
  else delta.content = text;
  if (reasoning !== '') delta.reasoning_content = `${stringOr(delta.reasoning_content) ?? ''}${reasoning}`;
  return true;
}

/**
 * A whole answer's message with list content; null content for a turn that is
 * only tool calls, as OpenAI sends it. Returns whether there was any to read.
 */
export function flattenMessage(message: JsonObject): boolean {
  if (!Array.isArray(message.content)) return false;
  const { text, reasoning } = readListContent(message.content);
  message.content = text === '' && Array.isArray(message.tool_calls) ? null : text;
  if (reasoning !== '') message.reasoning_content = reasoning;
  return true;
}
