import type { Dialect } from '../../dialects/dialect.js';

/** What every probe asks: short, so a probe costs a few tokens. */
export const PROBE_PROMPT = 'Reply with the single word OK.';
/** OpenAI's smallest accepted `max_output_tokens`, used for every dialect's limit. */
const PROBE_MAX_TOKENS = 16;

/**
 * The smallest valid request of each upstream dialect for one endpoint; a
 * probe's `provoke` adds what triggers its quirk. Gemini names the endpoint
 * and the streaming method in the path, not the body.
 */
const BODIES: Record<Dialect, (endpoint: string, stream: boolean) => Record<string, unknown>> = {
  'openai-chat': (model, stream) => ({ model, messages: [{ role: 'user', content: PROBE_PROMPT }], max_tokens: PROBE_MAX_TOKENS, stream }),
  'openai-responses': (model, stream) => ({ model, input: PROBE_PROMPT, max_output_tokens: PROBE_MAX_TOKENS, stream }),
  'anthropic-messages': (model, stream) => ({ model, max_tokens: PROBE_MAX_TOKENS, messages: [{ role: 'user', content: PROBE_PROMPT }], stream }),
  gemini: () => ({ contents: [{ role: 'user', parts: [{ text: PROBE_PROMPT }] }], generationConfig: { maxOutputTokens: PROBE_MAX_TOKENS } }),
};

export function minimalBody(upstream: Dialect, endpoint: string, stream: boolean): Record<string, unknown> {
  return BODIES[upstream](endpoint, stream);
}
