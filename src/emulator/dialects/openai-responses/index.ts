import type { EmulatorDialect } from '../../types.js';
import { applyResponsesAnswerQuirks, applyResponsesStreamQuirks } from '../../stream-quirks/responses.js';
import { parse } from './parse.js';
import { respond, stream } from './render.js';

/**
 * The OpenAI Responses dialect of the emulated workspace:
 * `POST /serving-endpoints/responses` (gpt endpoints) and
 * `POST /ai-gateway/codex/v1/responses` (codex endpoints). The endpoint itself
 * comes from `context.endpoint`; the server resolved it from the body's `model`.
 *
 * Shapes follow reference wire-formats §2 and the recorded streams; validation
 * follows databricks.md §5. Error wording: Databricks answers unknown fields in
 * pydantic's words ("<loc>: Extra inputs are not permitted", databricks.md §5.2),
 * so the emulator uses pydantic-style `<dotted.loc>: <msg>` messages for schema
 * errors. Which `error_code` each rule carries is not documented except for
 * non-function tools (INVALID_PARAMETER_VALUE on chat); schema errors use
 * BAD_REQUEST, tool-value errors INVALID_PARAMETER_VALUE.
 */

export { MAX_INPUT_ID_LENGTH } from './ids.js';

export const openaiResponses: EmulatorDialect = {
  parse,
  // Quirk switches reshape what was rendered (src/emulator/stream-quirks/).
  respond: (script, context) => applyResponsesAnswerQuirks(respond(script, context), context.quirks),
  stream: (script, context) => applyResponsesStreamQuirks(stream(script, context), context.quirks),
};
