/**
 * tool-namespaces
 *
 * Fixes:    Codex (0.169) sends a `type: "namespace"` tool on Responses
 *           (`multi_agent_v1`: spawn_agent, send_input, wait_agent, ... grouped
 *           under one name), which Databricks' Responses path does not take
 *           ("Input tag 'namespace' ... does not match"). The namespace is
 *           dropped, like a hosted tool, and named in the
 *           `x-dbx-proxy-dropped-tool-namespaces` response header; a
 *           `tool_choice` naming one of its tools goes with it.
 * Source:   observed client behaviour (Codex 0.169 through the e2e suite). The
 *           reference is silent on namespace tools; whether Databricks refuses
 *           them is not documented (the emulator's rule is its own).
 * Applies:  Responses upstream, every surface and family. (Translated routes
 *           never carry one: the Responses codec keeps function tools only.)
 * Emulator: always-on rule `responses-function-tools-only` (openai-responses `parse`).
 *
 * Why drop rather than flatten into plain function tools: Codex routes a call
 * by namespace and name together (its `function_call` items carry a
 * `namespace` field), so a flattened `spawn_agent` called by its plain name
 * would reach no handler in Codex; the model would get "unsupported call".
 * Flattening would need the namespace put back on every streamed call, for
 * tools (sub-agents) that Codex's own prompt says not to use unless asked.
 */
import type { Repair } from '../types.js';
import { isRecord, records, stringOr, type JsonObject } from '../../dialects/common/json.js';
import { DROPPED_TOOL_NAMESPACES_HEADER } from './notes.js';

const isNamespace = (tool: unknown): tool is JsonObject => isRecord(tool) && tool.type === 'namespace';

/** The names of the tools a namespace groups. */
function memberNames(namespace: JsonObject): string[] {
  return records(namespace.tools).flatMap((tool) => stringOr(tool.name) ?? []);
}

export const toolNamespaces: Repair = {
  id: 'tool-namespaces',
  summary: "Codex's `namespace` tools are refused on Responses; they are dropped and named in a response header.",
  source: 'observed Codex 0.169 requests (the reference is silent on namespace tools)',
  quirk: 'responses-function-tools-only',
  appliesTo: { upstream: ['openai-responses'] },
  request(body, context) {
    if (!Array.isArray(body.tools)) return;
    const namespaces = body.tools.filter(isNamespace);
    if (namespaces.length === 0) return;
    const dropped = new Set(namespaces.flatMap(memberNames));
    const choice = body.tool_choice;
    if (isRecord(choice) && (choice.type === 'namespace' || dropped.has(stringOr(choice.name) ?? ''))) delete body.tool_choice;
    const kept = body.tools.filter((tool) => !isNamespace(tool));
    if (kept.length > 0) body.tools = kept;
    else {
      delete body.tools;
      delete body.tool_choice;
    }
    context.note(DROPPED_TOOL_NAMESPACES_HEADER, namespaces.map((namespace) => stringOr(namespace.name) ?? 'namespace'));
  },
  probe: {
    provoke(body) {
      const tool = { type: 'function', name: 'probe_tool', parameters: { type: 'object', properties: {} } };
      body.tools = [{ type: 'namespace', name: 'probe_namespace', description: 'Probe tools.', tools: [tool] }];
      return true;
    },
  },
};
