/**
 * The four wire dialects the proxy speaks. Three of them are inbound APIs
 * (the routes a client calls); all four can be an upstream dialect.
 */
export const DIALECTS = ['openai-chat', 'openai-responses', 'anthropic-messages', 'gemini'] as const;
export type Dialect = (typeof DIALECTS)[number];

export const INBOUND_DIALECTS = ['openai-chat', 'openai-responses', 'anthropic-messages'] as const;
export type InboundDialect = (typeof INBOUND_DIALECTS)[number];

/** The inbound route path of each inbound dialect. */
export const INBOUND_PATHS: Record<InboundDialect, string> = {
  'openai-chat': '/v1/chat/completions',
  'openai-responses': '/v1/responses',
  'anthropic-messages': '/v1/messages',
};
