/**
 * hosted-tools
 *
 * Fixes:    hosted (server-executed) tools cannot run on Databricks and are
 *           refused: Anthropic server tools such as `web_search_20250305`
 *           ("Input tag 'web_search_20250305' ... does not match"), any
 *           non-function tool on chat ("Missing 'function' in the tool
 *           specification"), and, likely, OpenAI's hosted tools on Responses
 *           (Codex sends `web_search`). They are dropped, and the
 *           `x-dbx-proxy-dropped-hosted-tools` response header names them.
 *           A `tool_choice` naming a dropped tool is removed with it (the model
 *           chooses freely among what is left).
 * Source:   ucode `agents/claude.py`; community.databricks.com thread
 *           "Claude Code-Execution Call Format"; databricks.md §5.2 "Server
 *           tools", "Hosted OpenAI tools" (the Responses refusal is UNVERIFIED);
 *           clients.md §8.
 * Applies:  chat, Responses and Anthropic upstreams, every surface and family.
 *           (No client can bring a Gemini built-in tool: there is no Gemini
 *           inbound API, and the codecs carry function tools only.)
 * Emulator: always-on rule `hosted-tools-refused` (chat, Responses and
 *           Anthropic `parse`).
 *
 * Client-executed tools that merely are not plain functions (OpenAI `custom`
 * and `local_shell`, Anthropic `bash_*` / `text_editor_*` / `computer_*`) are
 * not hosted and are left alone: dropping them would take a working tool
 * away from the agent.
 */
import type { Dialect } from '../../dialects/dialect.js';
import type { Repair } from '../types.js';
import { isRecord, stringOr, type JsonObject } from '../../dialects/common/json.js';
import { DROPPED_HOSTED_TOOLS_HEADER } from './notes.js';

/** OpenAI's hosted tool types (openai SDK `Tool` union); `web_search*` versions are matched by prefix below. */
const OPENAI_HOSTED = new Set(['file_search', 'code_interpreter', 'computer_use_preview', 'image_generation', 'mcp']);
/** Web search in both providers' spellings, and Anthropic's code execution: `web_search_20250305`, `code_execution_20250825`, ... */
const HOSTED_PREFIX = /^(web_search|code_execution)/;

export function isHostedToolType(type: unknown): type is string {
  return typeof type === 'string' && (OPENAI_HOSTED.has(type) || HOSTED_PREFIX.test(type));
}

/** A hosted tool each dialect's probe offers, in that dialect's shape. */
const PROBE_TOOL: Readonly<Partial<Record<Dialect, JsonObject>>> = {
  'openai-chat': { type: 'web_search' },
  'openai-responses': { type: 'web_search' },
  'anthropic-messages': { type: 'web_search_20250305', name: 'web_search', max_uses: 1 },
};

/** Whether `tool_choice` points at one of the dropped tools (by hosted type, or by the name a dropped tool had). */
function choosesDropped(choice: unknown, droppedNames: ReadonlySet<string>): boolean {
  if (!isRecord(choice)) return false;
  if (isHostedToolType(choice.type)) return true;
  const name = stringOr(choice.name) ?? (isRecord(choice.function) ? stringOr(choice.function.name) : undefined);
  return name !== undefined && droppedNames.has(name);
}

export const hostedTools: Repair = {
  id: 'hosted-tools',
  summary: 'Hosted tools (web search, code execution, ...) are refused; they are dropped and named in a response header.',
  source: 'ucode agents/claude.py; community.databricks.com "Claude Code-Execution Call Format"; databricks.md §5.2',
  quirk: 'hosted-tools-refused',
  appliesTo: { upstream: ['openai-chat', 'openai-responses', 'anthropic-messages'] },
  request(body, context) {
    if (!Array.isArray(body.tools)) return;
    const hosted = body.tools.filter((tool): tool is JsonObject => isRecord(tool) && isHostedToolType(tool.type));
    if (hosted.length === 0) return;
    const droppedNames = new Set(hosted.flatMap((tool) => stringOr(tool.name) ?? []));
    const kept = body.tools.filter((tool) => !hosted.includes(tool as JsonObject));
    if (choosesDropped(body.tool_choice, droppedNames)) delete body.tool_choice;
    if (kept.length > 0) body.tools = kept;
    else {
      delete body.tools;
      delete body.tool_choice;
    }
    context.note(DROPPED_HOSTED_TOOLS_HEADER, hosted.map((tool) => tool.type as string));
  },
  probe: {
    provoke(body, route) {
      const tool = PROBE_TOOL[route.upstream];
      if (!tool) return false;
      body.tools = [tool];
      return true;
    },
  },
};
