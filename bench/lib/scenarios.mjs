// What the bench sends: each scenario is one client request to the proxy and
// the request the proxy is expected to make upstream for it, which is what
// "direct" (the emulator itself) and the floor proxy are sent.

export const TOKEN = 'dapi-emulator-demo-token'; // the emulator's fake demo PAT (src/emulator/index.ts)
export const LLAMA = 'databricks-meta-llama-3-3-70b-instruct';
export const CLAUDE = 'databricks-claude-sonnet-4-6';
export const GPT = 'databricks-gpt-5-2';

const PROMPT = 'Summarise the benchmark in one short sentence, please.';
const JSON_HEADERS = { 'content-type': 'application/json' };
const CLIENT_KEY = { authorization: 'Bearer local' }; // any non-empty key on loopback
const ANTHROPIC = { 'anthropic-version': '2023-06-01' };

const UPSTREAM = {
  chat: '/ai-gateway/mlflow/v1/chat/completions',
  messages: '/ai-gateway/anthropic/v1/messages',
  responses: '/ai-gateway/codex/v1/responses',
};

const post = (path, body, headers = {}) => ({ method: 'POST', path, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) });

const chatBody = (model, prompt, extra = {}) => ({ model, messages: [{ role: 'user', content: prompt }], max_tokens: 64, ...extra });
const messagesBody = (model, prompt, extra = {}) => ({ model, max_tokens: 64, messages: [{ role: 'user', content: prompt }], ...extra });
const responsesBody = (model, prompt, extra = {}) => ({ model, input: prompt, max_output_tokens: 64, ...extra });

/**
 * A scenario: `proxy` is the client's request to dbx-proxy; `upstream` the
 * equivalent request on the emulator (sent to the emulator directly, and
 * through the floor proxy, which adds the credential). `peer` names the peer
 * that serves the same client request, if any.
 */
function scenario(name, kind, proxy, upstream, peer) {
  return { name, kind, proxy, upstream, ...(peer ? { peer } : {}) };
}

/** Non-streamed scenarios for the added-latency table. */
export function latencyScenarios(prompt = PROMPT) {
  return [
    scenario('chat passthrough', 'passthrough',
      post('/v1/chat/completions', chatBody(LLAMA, prompt), CLIENT_KEY), post(UPSTREAM.chat, chatBody(LLAMA, prompt)), 'portkey'),
    scenario('messages passthrough', 'passthrough',
      post('/v1/messages', messagesBody(CLAUDE, prompt), { ...CLIENT_KEY, ...ANTHROPIC }), post(UPSTREAM.messages, messagesBody(CLAUDE, prompt), ANTHROPIC)),
    scenario('responses passthrough', 'passthrough',
      post('/v1/responses', responsesBody(GPT, prompt), CLIENT_KEY), post(UPSTREAM.responses, responsesBody(GPT, prompt))),
    scenario('messages → chat (Anthropic client, Llama)', 'translated',
      post('/v1/messages', messagesBody(LLAMA, prompt), { ...CLIENT_KEY, ...ANTHROPIC }), post(UPSTREAM.chat, chatBody(LLAMA, prompt)), 'llms'),
    scenario('responses → messages (Responses client, Claude)', 'translated',
      post('/v1/responses', responsesBody(CLAUDE, prompt), CLIENT_KEY), post(UPSTREAM.messages, messagesBody(CLAUDE, prompt), ANTHROPIC)),
  ];
}

/**
 * Streamed scenarios: chat passthrough (the chat-chunks stream repair is
 * active on every chat route, so frames are parsed, repaired and re-written)
 * and messages → chat (decoded to the IR and encoded as Anthropic events).
 * `maxTokens` is large for the 5,000-delta stream so nothing is cut.
 */
export function streamScenarios(prompt = PROMPT, maxTokens = 64) {
  return [
    scenario('chat passthrough, repairs active', 'passthrough',
      post('/v1/chat/completions', chatBody(LLAMA, prompt, { stream: true, max_tokens: maxTokens }), CLIENT_KEY),
      post(UPSTREAM.chat, chatBody(LLAMA, prompt, { stream: true, max_tokens: maxTokens })), 'portkey'),
    scenario('messages → chat, translated', 'translated',
      post('/v1/messages', messagesBody(LLAMA, prompt, { stream: true, max_tokens: maxTokens }), { ...CLIENT_KEY, ...ANTHROPIC }),
      post(UPSTREAM.chat, chatBody(LLAMA, prompt, { stream: true, max_tokens: maxTokens })), 'llms'),
  ];
}

/** The same client request as a peer takes it (their own routing conventions, same emulator). */
export function peerRequest(peer, scenarioValue, emulatorUrl) {
  const body = JSON.parse(scenarioValue.proxy.body);
  if (peer === 'portkey') {
    // Portkey's OpenAI provider with a custom host: it posts to <host>/chat/completions, forwarding Authorization.
    return post('/v1/chat/completions', body, {
      authorization: `Bearer ${TOKEN}`,
      'x-portkey-provider': 'openai',
      'x-portkey-custom-host': `${emulatorUrl}/ai-gateway/mlflow/v1`,
    });
  }
  // @musistudio/llms picks the provider from `provider,model`.
  return post('/v1/messages', { ...body, model: `emu,${body.model}` }, { ...CLIENT_KEY, ...ANTHROPIC });
}

/** A prompt the emulator echoes back as about `words` deltas (its chat stream sends one word per delta). */
export function longPrompt(words) {
  return Array.from({ length: words }, (_, index) => `w${index % 1000}`).join(' ');
}
