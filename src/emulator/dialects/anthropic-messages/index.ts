import type { EmulatorDialect } from '../../types.js';
import { applyAnthropicStreamQuirks } from '../../stream-quirks/anthropic.js';
import { parse } from './parse.js';
import { respond, stream } from './render.js';

/**
 * The Anthropic Messages dialect of the emulated workspace:
 * `/serving-endpoints/anthropic/v1/messages` and `/ai-gateway/anthropic/v1/messages`.
 *
 * Validation follows what the reference documents for Databricks' Anthropic
 * path (strict "Extra inputs are not permitted" allow-lists, the tool schema
 * `type: "object"` quirk, server tools and `eager_input_streaming` refused)
 * plus the Anthropic rules Databricks passes through (thinking budget, empty
 * text blocks, tool_use/tool_result pairing, thinking-first on tool loops).
 *
 * Error messages use the pydantic-style `<location>: <problem>` shape of the
 * one documented Databricks example (`messages.98.thinking_blocks: Extra
 * inputs are not permitted`). Beyond the quoted fragments, the wording is the
 * emulator's own. Every refusal is `400 BAD_REQUEST`: the reference does not
 * say which of BAD_REQUEST / INVALID_PARAMETER_VALUE this path uses.
 */

export { anthropicToolUseId, callIdFromAnthropic } from './ids.js';

export const anthropicMessages: EmulatorDialect = {
  parse,
  respond: (script) => respond(script),
  // Quirk switches reshape what was rendered (src/emulator/stream-quirks/).
  stream: (script, context) => applyAnthropicStreamQuirks(stream(script), context.quirks),
};
