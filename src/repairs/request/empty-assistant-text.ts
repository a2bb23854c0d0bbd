/**
 * empty-assistant-text
 *
 * Fixes:    Claude refuses empty or whitespace-only assistant text next to tool
 *           calls ("text content blocks must be non-empty"); Claude itself
 *           sometimes emits such a text block before a tool call, and clients
 *           replay it. The blank text is dropped: on the Anthropic path the
 *           blank `text` blocks of an assistant turn that has `tool_use`; on
 *           chat the blank content of an assistant message with `tool_calls`
 *           (a blank string becomes `null`, blank text parts leave the list).
 *           Of the reference's two fixes, dropping (LiteLLM) is chosen over
 *           ai-bridge's `" "` placeholder, because whitespace-only text is
 *           refused too. Nothing is lost: the text was blank.
 * Source:   databricks-ai-bridge PR #333; LiteLLM `_sanitize_empty_content`;
 *           databricks.md §5.2 "Empty content (Claude)", clients.md §8.
 * Applies:  Anthropic and chat upstreams, every surface, the Claude family.
 * Emulator: always-on rule `claude-empty-text` (anthropic-messages and
 *           openai-chat `parse`).
 */
import type { Dialect } from '../../dialects/dialect.js';
import type { Repair } from '../types.js';
import { isRecord, type JsonObject } from '../../dialects/common/json.js';

const isBlank = (text: unknown): boolean => typeof text === 'string' && text.trim().length === 0;
const isBlankText = (part: unknown): boolean => isRecord(part) && part.type === 'text' && isBlank(part.text);

/** One assistant message with its blank text dropped, or the same object when there is none. */
const REPAIR_MESSAGE: Readonly<Partial<Record<Dialect, (message: JsonObject) => JsonObject>>> = {
  'anthropic-messages': (message) => {
    const content = message.content;
    if (!Array.isArray(content) || !content.some((block) => isRecord(block) && block.type === 'tool_use')) return message;
    if (!content.some(isBlankText)) return message;
    return { ...message, content: content.filter((block) => !isBlankText(block)) };
  },
  'openai-chat': (message) => {
    if (!Array.isArray(message.tool_calls) || message.tool_calls.length === 0) return message;
    const content = message.content;
    if (isBlank(content)) return { ...message, content: null };
    if (!Array.isArray(content) || !content.some(isBlankText)) return message;
    const kept = content.filter((part) => !isBlankText(part));
    return { ...message, content: kept.length > 0 ? kept : null };
  },
};

export const emptyAssistantText: Repair = {
  id: 'empty-assistant-text',
  summary: 'Claude refuses blank assistant text next to tool calls; the blank text is dropped.',
  source: 'databricks-ai-bridge PR #333; LiteLLM _sanitize_empty_content; databricks.md §5.2',
  quirk: 'claude-empty-text',
  appliesTo: { upstream: ['anthropic-messages', 'openai-chat'], families: ['claude'] },
  request(body, context) {
    const repairMessage = REPAIR_MESSAGE[context.upstream];
    if (!repairMessage || !Array.isArray(body.messages)) return;
    let changed = false;
    const messages = body.messages.map((message: unknown) => {
      if (!isRecord(message) || message.role !== 'assistant') return message;
      const repaired = repairMessage(message);
      changed ||= repaired !== message;
      return repaired;
    });
    if (changed) body.messages = messages;
  },
  probe: {
    provoke(body, route) {
      if (route.upstream !== 'anthropic-messages') return false;
      body.tools = [{ name: 'probe_tool', input_schema: { type: 'object', properties: {} } }];
      body.messages = [
        { role: 'user', content: 'Call probe_tool.' },
        { role: 'assistant', content: [{ type: 'text', text: ' ' }, { type: 'tool_use', id: 'toolu_probe_1', name: 'probe_tool', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_probe_1', content: 'OK' }] },
      ];
      return true;
    },
  },
};
