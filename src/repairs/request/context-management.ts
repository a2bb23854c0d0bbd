/**
 * context-management
 *
 * Fixes:    Claude Code sends `context_management` (server-side context
 *           editing: clearing old tool results and thinking), which the
 *           Databricks Anthropic path does not accept; it is removed. The
 *           conversation then goes upstream whole, as the client holds it:
 *           nothing the client sent is lost, only the server-side trimming.
 * Source:   clients.md §8 (observed Claude Code requests); databricks.md §5.2
 *           "Claude Code extras" (live behaviour UNVERIFIED; Bifrost strips it,
 *           maximhq/bifrost #6671).
 * Applies:  Anthropic upstream, every surface, the Claude family.
 * Emulator: always-on rule `messages-top-level-allow-list` (anthropic-messages `parse`).
 */
import type { Repair } from '../types.js';

export const contextManagement: Repair = {
  id: 'context-management',
  summary: "Claude Code's `context_management` is not accepted by the Databricks Anthropic path; it is removed.",
  source: 'clients.md §8; maximhq/bifrost#6671; databricks.md §5.2 (UNVERIFIED)',
  quirk: 'messages-top-level-allow-list',
  appliesTo: { upstream: ['anthropic-messages'], families: ['claude'] },
  request(body) {
    delete body.context_management;
  },
  probe: {
    provoke(body) {
      body.context_management = { edits: [{ type: 'clear_tool_uses_20250919' }] };
      return true;
    },
  },
};
