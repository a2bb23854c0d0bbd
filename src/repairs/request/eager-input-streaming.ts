/**
 * eager-input-streaming
 *
 * Fixes:    the Databricks Anthropic path refuses `tools[].eager_input_streaming`
 *           (set by `@ai-sdk/anthropic`, e.g. opencode); it is removed.
 * Source:   ucode `agents/pi.py`, `agents/opencode.py`; databricks.md §5.2,
 *           clients.md §8.
 * Applies:  Anthropic upstream, every surface and family.
 * Emulator: always-on rule `messages-tool-allow-list` (anthropic-messages `parse`).
 *
 * The reference suggests sending the legacy `anthropic-beta:
 * fine-grained-tool-streaming-2025-05-14` header instead. A repair can only
 * change the body (RepairContext has no hook for upstream headers), so that
 * is not done here: tool input still streams, in the upstream's default
 * chunking, and arrives whole. The client's own `anthropic-beta` header is
 * forwarded as it is.
 */
import type { Repair } from '../types.js';
import { FUNCTION_TOOLS } from './function-tools.js';

const messagesTools = FUNCTION_TOOLS['anthropic-messages'];

export const eagerInputStreaming: Repair = {
  id: 'eager-input-streaming',
  summary: 'The Anthropic path refuses `tools[].eager_input_streaming`; it is removed.',
  source: 'ucode agents/pi.py, agents/opencode.py; databricks.md §5.2',
  quirk: 'messages-tool-allow-list',
  appliesTo: { upstream: ['anthropic-messages'] },
  request(body) {
    if (!messagesTools.list(body).some((tool) => tool.eager_input_streaming !== undefined)) return;
    messagesTools.rewrite(body, ({ eager_input_streaming: _eager, ...tool }) => tool);
  },
  probe: {
    provoke(body) {
      body.tools = [{ name: 'probe_tool', input_schema: { type: 'object', properties: {} }, eager_input_streaming: true }];
      return true;
    },
  },
};
