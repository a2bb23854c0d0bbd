import type { InboundDialect } from '../dialects/dialect.js';
import { ANTHROPIC_MESSAGES_BODY } from './body-schemas/anthropic-messages.js';
import { GEMINI_BODY } from './body-schemas/gemini.js';
import { OPENAI_CHAT_BODY } from './body-schemas/openai-chat.js';
import { OPENAI_RESPONSES_BODY } from './body-schemas/openai-responses.js';

/**
 * The shape of each inbound body, as far as the proxy acts on it or a wrong
 * type would reach a codec or the upstream as nonsense: message roles and
 * content, content blocks and input items of the known types, tools, tool
 * choice, token counts. Fastify compiles these once at start (ajv), so a
 * malformed request is refused before any upstream work, in the client's own
 * error dialect. Unknown top-level fields are left to the upstream: Databricks
 * refuses them itself, naming them, and its APIs grow faster than a copy here.
 */
export const BODY_SCHEMAS: Record<InboundDialect, object> = {
  'openai-chat': OPENAI_CHAT_BODY,
  'openai-responses': OPENAI_RESPONSES_BODY,
  'anthropic-messages': ANTHROPIC_MESSAGES_BODY,
  gemini: GEMINI_BODY,
};
