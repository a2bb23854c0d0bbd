import type { EmulatorDialect } from '../../types.js';
import { parse } from './parse.js';
import { respond, stream } from './render.js';

/**
 * The Gemini dialect of the emulated workspace:
 * `POST …/gemini/v1beta/models/{endpoint}:generateContent` and
 * `:streamGenerateContent?alt=sse`. The endpoint comes from the path
 * (`context.endpoint`), and whether the answer streams from the method
 * (`context.streamMethod`), never from the body.
 *
 * Shapes follow reference wire-formats §4 and the recorded Gemini streams.
 * Errors use Databricks' `{error_code, message}` body (DatabricksApiError);
 * the message text borrows Gemini's own style ("Invalid JSON payload
 * received. Unknown name …"). Which `error_code` Databricks puts on these is
 * not documented: schema errors use BAD_REQUEST, tool-value errors
 * INVALID_PARAMETER_VALUE.
 */

export { SKIP_SIGNATURE_SENTINEL } from './parse.js';

export const gemini: EmulatorDialect = { parse, respond, stream };
