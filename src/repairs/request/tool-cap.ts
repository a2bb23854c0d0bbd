/**
 * tool-cap
 *
 * Fixes:    Model Serving refuses large tool lists, with a cap per family; the
 *           tools over the cap are dropped, deterministically, keeping the one
 *           `tool_choice` names and the tools the conversation already called
 *           (most recent first), then the others in request order. The dropped
 *           names go to a warning log line and to the `x-dbx-proxy-dropped-tools`
 *           response header.
 * Source:   seed PR family defaults `maxTools` (databricks.md §4.2: gpt 16,
 *           codex 10, llama / qwen / gemma 32; "enforced on /serving-endpoints
 *           but NOT on AI Gateway"). The rejection rests on that code comment
 *           alone: UNVERIFIED.
 * Applies:  Model Serving, every upstream dialect, the families that have a
 *           cap: the defaults above, overridden or extended by `repairs.toolCaps`.
 * Emulator: quirk switch `model-serving-tool-cap` (src/emulator/tool-cap.ts).
 *
 * Only function tools count (the emulator counts the same); hosted tools are
 * the `hosted-tools` repair's, which runs first.
 */
import type { Config } from '../../config/schema.js';
import type { Family } from '../../databricks/family.js';
import type { Repair } from '../types.js';
import { FUNCTION_TOOLS } from './function-tools.js';
import { stringOr } from '../../dialects/common/json.js';
import { clipped } from '../../errors/client-value.js';
import { DROPPED_TOOLS_HEADER } from './notes.js';

/** The seed PR's per-family caps on Model Serving (databricks.md §4.2); other families have none unless configured. */
export const DEFAULT_TOOL_CAPS: Readonly<Partial<Record<Family, number>>> = { gpt: 16, codex: 10, llama: 32, qwen: 32, gemma: 32 };

export function toolCapFor(family: Family, config: Config): number | undefined {
  return config.repairs.toolCaps[family] ?? DEFAULT_TOOL_CAPS[family];
}

/**
 * Indices of the tools to keep: the first tool of each preferred name, in
 * preference order, then the rest in request order, up to `cap`.
 */
export function keptTools(names: readonly (string | undefined)[], preferred: readonly string[], cap: number): Set<number> {
  const kept = new Set<number>();
  for (const name of preferred) {
    if (kept.size >= cap) break;
    const index = names.indexOf(name);
    if (index !== -1) kept.add(index);
  }
  for (let index = 0; index < names.length && kept.size < cap; index++) kept.add(index);
  return kept;
}

export const toolCap: Repair = {
  id: 'tool-cap',
  summary: 'Model Serving refuses more tools than its per-family cap; the surplus is dropped, keeping the chosen and already-used tools.',
  source: 'seed PR family defaults maxTools (anomalyco/opencode#26510); databricks.md §4.2 (UNVERIFIED)',
  quirk: 'model-serving-tool-cap',
  appliesTo: { upstream: ['openai-chat', 'openai-responses', 'anthropic-messages', 'gemini'], surfaces: ['model-serving'] },
  request(body, context) {
    const cap = toolCapFor(context.family, context.config);
    if (cap === undefined) return;
    const tools = FUNCTION_TOOLS[context.upstream];
    const names = tools.list(body).map((declaration) => stringOr(declaration.name));
    if (names.length <= cap) return;
    const kept = keptTools(names, [...tools.choiceNames(body), ...tools.calledNames(body).reverse()], cap);
    const dropped: string[] = [];
    tools.rewrite(body, (declaration, index) => {
      if (kept.has(index)) return declaration;
      dropped.push(names[index] ?? '(unnamed)');
      return undefined;
    });
    context.warn(`dropped ${dropped.length} of ${names.length} tools: Model Serving takes at most ${cap} for ${context.family}`, {
      repair: 'tool-cap',
      cap,
      dropped: dropped.map((name) => clipped(name)),
    });
    context.note(DROPPED_TOOLS_HEADER, dropped);
  },
  probe: {
    provoke(body, route) {
      const cap = toolCapFor(route.family, route.config);
      if (cap === undefined) return false;
      const tools = FUNCTION_TOOLS[route.upstream];
      body.tools = Array.from({ length: cap + 1 }, (_, index) => tools.entry(`probe_tool_${index}`, { type: 'object', properties: {} }));
      return true;
    },
  },
};
