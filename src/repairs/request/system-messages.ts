/**
 * system-messages
 *
 * Fixes:    Claude Code sends `role: "system"` messages inside `messages` (a
 *           newer mid-conversation system form; seen on the GPT, Gemini and
 *           Opus-tier models). Anthropic's documented Messages API, which the
 *           Databricks Anthropic path follows, takes only `user` and
 *           `assistant` there. Their text blocks are appended, in order, to the
 *           top-level `system` (as text blocks, `cache_control` kept), and the
 *           messages are removed. Translated routes need no repair: the
 *           Anthropic codec hoists them the same way.
 * Source:   observed client behaviour (Claude Code 2.1.330 through the e2e
 *           suite); wire-formats.md §3 (roles `user | assistant`, system at the
 *           top level). The reference is silent about system messages on
 *           Databricks.
 * Applies:  Anthropic upstream, every surface and family.
 * Emulator: always-on rule `messages-user-assistant-roles` (anthropic-messages `parse`).
 *
 * Only text can be hoisted (the top-level `system` holds text blocks only,
 * and the proxy's body schema admits nothing else in a system message).
 * Consecutive user messages left behind need no merging: Anthropic combines
 * consecutive turns of one role.
 */
import type { Repair } from '../types.js';
import { isRecord, records, type JsonObject } from '../../dialects/common/json.js';

/** A `system` value (string or blocks) as text blocks. */
function textBlocks(content: unknown): JsonObject[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  return records(content).filter((block) => block.type === 'text');
}

export const systemMessages: Repair = {
  id: 'system-messages',
  summary: '`role: "system"` messages (Claude Code) are refused in `messages`; their text is appended to the top-level `system`.',
  source: 'observed Claude Code 2.1.330 requests; wire-formats.md §3 (Databricks not documented)',
  quirk: 'messages-user-assistant-roles',
  appliesTo: { upstream: ['anthropic-messages'] },
  request(body) {
    if (!Array.isArray(body.messages)) return;
    const isSystem = (message: unknown): boolean => isRecord(message) && message.role === 'system';
    const hoisted = body.messages.filter(isSystem);
    if (hoisted.length === 0) return;
    const system = [...textBlocks(body.system), ...hoisted.flatMap((message) => textBlocks((message as JsonObject).content))];
    body.messages = body.messages.filter((message) => !isSystem(message));
    if (system.length > 0) body.system = system;
  },
  probe: {
    provoke(body) {
      const messages = Array.isArray(body.messages) ? body.messages : [];
      body.messages = [...messages, { role: 'system', content: 'Answer briefly.' }, { role: 'user', content: 'hello' }];
      return true;
    },
  },
};
