import type { EmulatorDialect } from '../../types.js';
import { applyChatAnswerQuirks, applyChatStreamQuirks } from '../../stream-quirks/chat.js';
import { parse } from './parse.js';
import { respond, stream } from './render.js';

/**
 * The OpenAI Chat Completions dialect of the emulated workspace:
 * `/serving-endpoints/chat/completions` and `/ai-gateway/mlflow/v1/chat/completions`,
 * for every chat family (the family comes from `context.endpoint.family`).
 *
 * "Extra inputs are not permitted" errors reproduce the one documented
 * Databricks body (litellm #36931):
 * `{"error_code":"BAD_REQUEST","message":"{\"message\":\"messages.98.thinking_blocks: Extra inputs are not permitted\"}"}`,
 * i.e. the message is itself a JSON string. The same validator answers
 * top-level fields, so those are wrapped the same way (the reference shows
 * only the messages example). Other wordings are the emulator's own unless a
 * comment quotes a source.
 */

export const openaiChat: EmulatorDialect = {
  parse,
  // Quirk switches reshape what was rendered (src/emulator/stream-quirks/).
  respond: (script, context) => applyChatAnswerQuirks(respond(script, context), context.quirks),
  stream: (script, context) => applyChatStreamQuirks(stream(script, context), context.quirks),
};
