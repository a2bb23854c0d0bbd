/**
 * The four wire dialects the proxy speaks: each is an inbound API (the routes
 * a client calls) and an upstream dialect.
 */
export const DIALECTS = ['openai-chat', 'openai-responses', 'anthropic-messages', 'gemini'] as const;
export type Dialect = (typeof DIALECTS)[number];

export const INBOUND_DIALECTS = ['openai-chat', 'openai-responses', 'anthropic-messages', 'gemini'] as const;
export type InboundDialect = (typeof INBOUND_DIALECTS)[number];

/** The inbound route path of each inbound dialect (Gemini's names the model and method in the path, also under `/v1`). */
export const INBOUND_PATHS: Record<InboundDialect, string> = {
  'openai-chat': '/v1/chat/completions',
  'openai-responses': '/v1/responses',
  'anthropic-messages': '/v1/messages',
  gemini: '/v1beta/models/{model}:generateContent',
};
