/**
 * defer-loading
 *
 * Fixes:    Claude Code (2.1.x, tool search on) marks tools
 *           `defer_loading: true` (Anthropic's tool-search beta,
 *           `advanced-tool-use-2025-11-20`). The Databricks Anthropic path's
 *           tool allow-list refuses the field ("tools.10.defer_loading: Extra
 *           inputs are not permitted"); Claude Code then retries silently
 *           without tool search, so every turn costs extra upstream calls. The
 *           field is removed: every tool is simply loaded. Claude Code's own
 *           `ToolSearch` tool runs on the client (it returns schemas as text),
 *           so the tools it defers still reach the model through it.
 * Source:   observed client behaviour (Claude Code 2.1.330 through the e2e
 *           suite). The reference is silent about Databricks and tool search:
 *           it only notes that ucode sets `ENABLE_TOOL_SEARCH=1` (clients.md §6),
 *           without saying whether the gateway accepts `defer_loading`.
 * Applies:  Anthropic upstream, every surface and family.
 * Emulator: always-on rule `messages-tool-allow-list` (anthropic-messages `parse`).
 */
import type { Repair } from '../types.js';
import { FUNCTION_TOOLS } from './function-tools.js';

const messagesTools = FUNCTION_TOOLS['anthropic-messages'];

export const deferLoading: Repair = {
  id: 'defer-loading',
  summary: "The Anthropic path refuses `tools[].defer_loading` (Claude Code's tool search); it is removed and every tool is loaded.",
  source: 'observed Claude Code 2.1.330 requests; clients.md §6 (ucode ENABLE_TOOL_SEARCH; Databricks support not documented)',
  quirk: 'messages-tool-allow-list',
  appliesTo: { upstream: ['anthropic-messages'] },
  request(body) {
    if (!messagesTools.list(body).some((tool) => tool.defer_loading !== undefined)) return;
    messagesTools.rewrite(body, ({ defer_loading: _deferred, ...tool }) => tool);
  },
  probe: {
    provoke(body) {
      // Anthropic wants at least one tool loaded up front, as Claude Code sends it.
      const schema = { type: 'object', properties: {} };
      body.tools = [{ name: 'probe_tool', input_schema: schema }, { name: 'probe_deferred_tool', input_schema: schema, defer_loading: true }];
      return true;
    },
  },
};
