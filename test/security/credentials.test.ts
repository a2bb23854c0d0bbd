import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_DEMO_CLIENT, EMULATOR_DEMO_PAT } from '../../src/emulator/index.js';
import { ProxyError } from '../../src/errors/proxy-error.js';
import { CredentialScrubber } from '../../src/secrets/scrubber.js';
import { rawRequest } from '../helpers/raw-http.js';
import { CLIENT_KEY, LOCAL_API_KEY } from '../helpers/secrets.js';
import { startStack, type Stack } from '../helpers/stack.js';

/**
 * The client's own key stays in the proxy; the upstream sees only the
 * workspace credential; and no credential comes back to a client inside a
 * relayed upstream error.
 */
const CASES = [
  { route: '/v1/chat/completions', mode: 'passthrough', body: { model: 'databricks-meta-llama-3-3-70b-instruct', messages: [{ role: 'user', content: 'k' }] } },
  { route: '/v1/chat/completions', mode: 'translated', body: { model: 'databricks-claude-sonnet-4-6', messages: [{ role: 'user', content: 'k' }] } },
  { route: '/v1/responses', mode: 'passthrough', body: { model: 'databricks-gpt-5-2', input: 'k' } },
  { route: '/v1/responses', mode: 'translated', body: { model: 'databricks-claude-sonnet-4-6', input: 'k' } },
  { route: '/v1/messages', mode: 'passthrough', body: { model: 'databricks-claude-sonnet-4-6', max_tokens: 32, messages: [{ role: 'user', content: 'k' }] } },
  { route: '/v1/messages', mode: 'translated', body: { model: 'databricks-meta-llama-3-3-70b-instruct', max_tokens: 32, messages: [{ role: 'user', content: 'k' }] } },
] as const;

describe('what reaches the upstream', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  it.each(CASES)('$route ($mode): not the client key, in either header; the workspace credential instead', async ({ route, body }) => {
    stack.emulator.clearTranscript();
    for (const stream of [false, true]) {
      const response = await rawRequest(stack.proxy.url, {
        method: 'POST',
        path: route,
        headers: { authorization: `Bearer ${CLIENT_KEY}`, 'x-api-key': CLIENT_KEY, 'anthropic-version': '2023-06-01' },
        body: JSON.stringify({ ...body, stream }),
      });
      expect(response.status, response.text).toBe(200);
    }
    const calls = stack.emulator.transcript.filter((entry) => entry.method === 'POST' && !entry.path.startsWith('/oidc'));
    expect(calls).toHaveLength(2);
    for (const call of calls) {
      expect(call.headers['x-api-key']).toBeUndefined();
      // The transcript redacts the value but keeps the scheme; the emulator only accepts its workspace
      // PAT, so a 200 means the Authorization it got was the workspace credential.
      expect(call.headers.authorization).toBe('Bearer [redacted]');
      expect(call.status).toBe(200);
    }
    expect(JSON.stringify(stack.emulator.transcript)).not.toContain(CLIENT_KEY);
  });
});

describe('relayed upstream errors', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ config: { server: { apiKeys: [LOCAL_API_KEY] } } });
  });
  afterAll(() => stack.close());

  // The emulator, like Databricks, names an unknown field in its 400; a field named after the
  // workspace token makes the upstream echo that token, which the proxy must not pass on.
  it.each([
    { route: '/v1/chat/completions', body: { model: 'databricks-meta-llama-3-3-70b-instruct', messages: [{ role: 'user', content: 'k' }] } },
    { route: '/v1/responses', body: { model: 'databricks-gpt-5-2', input: 'k' } },
    { route: '/v1/messages', body: { model: 'databricks-claude-sonnet-4-6', max_tokens: 32, messages: [{ role: 'user', content: 'k' }] } },
  ])('$route: an upstream message echoing the workspace token reaches the client redacted', async ({ route, body }) => {
    for (const stream of [false, true]) {
      const response = await rawRequest(stack.proxy.url, {
        method: 'POST',
        path: route,
        headers: { 'x-api-key': LOCAL_API_KEY, 'anthropic-version': '2023-06-01' },
        body: JSON.stringify({ ...body, stream, [EMULATOR_DEMO_PAT]: 1, [LOCAL_API_KEY]: 2 }),
      });
      expect(response.status).toBe(400);
      expect(response.text).toContain('Extra inputs are not permitted');
      expect(response.text).toContain('[redacted]');
      expect(response.text).not.toContain(EMULATOR_DEMO_PAT);
      expect(response.text).not.toContain(LOCAL_API_KEY);
    }
  });
});

describe('the credential scrubber', () => {
  const scrubber = CredentialScrubber.forConfig(
    { databricks: { clientId: EMULATOR_DEMO_CLIENT.clientId, clientSecret: EMULATOR_DEMO_CLIENT.clientSecret }, server: { apiKeys: [LOCAL_API_KEY] } },
    {},
  );
  scrubber.remember('Bearer minted-oauth-access-token-123');

  it('redacts configured secrets, local keys, the last upstream token and any Bearer value, keeping everything else', () => {
    const error = new ProxyError('authentication', `bad ${EMULATOR_DEMO_CLIENT.clientSecret} / ${LOCAL_API_KEY} / minted-oauth-access-token-123 / Bearer abcdefgh.ijk`, {
      status: 401,
      upstreamCode: 'UNAUTHENTICATED',
      retryAfter: '3',
      param: 'model',
    });
    const scrubbed = scrubber.error(error);
    expect(scrubbed.message).toBe('bad [redacted] / [redacted] / [redacted] / Bearer [redacted]');
    expect(scrubbed).toMatchObject({ kind: 'authentication', status: 401, upstreamCode: 'UNAUTHENTICATED', retryAfter: '3', param: 'model' });
  });

  it('redacts every spelling a credential travels in: Basic pair, base64, base64url, URL-encoded, form and JSON fields', () => {
    const pair = `${EMULATOR_DEMO_CLIENT.clientId}:${EMULATOR_DEMO_CLIENT.clientSecret}`;
    const spellings = [
      Buffer.from(pair).toString('base64'),
      Buffer.from(pair).toString('base64url'),
      Buffer.from(EMULATOR_DEMO_CLIENT.clientSecret).toString('base64'),
      Buffer.from(LOCAL_API_KEY).toString('base64url'),
      encodeURIComponent('minted-oauth-access-token-123'),
    ];
    for (const spelling of spellings) expect(scrubber.text(`got ${spelling}!`)).toBe('got [redacted]!');
    expect(scrubber.text('Authorization: Basic dW5rbm93bjpjbGllbnQ=')).toBe('Authorization: Basic [redacted]');
    expect(scrubber.text('grant_type=client_credentials&client_secret=unknown-s3cret&scope=all-apis')).toBe(
      'grant_type=client_credentials&client_secret=[redacted]&scope=all-apis',
    );
    expect(scrubber.text('{"access_token": "unknown.jwt.value", "expires_in": 3600}')).toBe('{"access_token": "[redacted]", "expires_in": 3600}');
  });

  it('returns a clean error as it is, and still works before any upstream token was sent', () => {
    const clean = new ProxyError('upstream', 'The upstream stream broke');
    expect(scrubber.error(clean)).toBe(clean);
    const tokenless = CredentialScrubber.forConfig({ databricks: {}, server: { apiKeys: [LOCAL_API_KEY] } }, {});
    expect(tokenless.error(new ProxyError('upstream', `x ${LOCAL_API_KEY}`)).message).toBe('x [redacted]');
  });
});
