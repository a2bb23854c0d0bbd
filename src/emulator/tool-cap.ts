import { DatabricksApiError, type Conversation, type EmulatedEndpoint } from './types.js';

/** The request quirk (quirks.ts) that switches the cap on. */
export const TOOL_CAP_QUIRK = 'model-serving-tool-cap';

/**
 * Tools a Model Serving request may carry per family: the seed PR's family
 * defaults (databricks.md §4.2). Families absent here have no cap; the AI
 * Gateway has none ("enforced on /serving-endpoints but NOT on AI Gateway").
 */
export const MODEL_SERVING_TOOL_CAPS: Readonly<Partial<Record<EmulatedEndpoint['family'], number>>> = {
  gpt: 16,
  codex: 10,
  llama: 32,
  qwen: 32,
  gemma: 32,
};

/**
 * Refuses a Model Serving request with more tools than the family's cap. The
 * rejection rests on one code comment of the seed PR (UNVERIFIED), so it acts
 * only with its quirk on, and the wording is the emulator's own.
 */
export function enforceToolCap(conversation: Conversation, endpoint: EmulatedEndpoint, onGateway: boolean, quirks: ReadonlySet<string>): void {
  if (onGateway || !quirks.has(TOOL_CAP_QUIRK)) return;
  const cap = MODEL_SERVING_TOOL_CAPS[endpoint.family];
  if (cap === undefined || conversation.tools.length <= cap) return;
  throw new DatabricksApiError(
    400,
    'BAD_REQUEST',
    `Too many tools: ${endpoint.name} accepts at most ${cap} tools on Model Serving, the request has ${conversation.tools.length}`,
  );
}
