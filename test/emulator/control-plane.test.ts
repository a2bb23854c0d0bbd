import { Config } from '@databricks/sdk-experimental';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_DEMO_CLIENT, EMULATOR_DEMO_PAT, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';

let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.close();
});
afterEach(() => {
  emu.setAiGateway(true);
  emu.setTokenExpiresIn(3600);
});

const PAT = { authorization: `Bearer ${EMULATOR_DEMO_PAT}` };
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

async function call(path: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; json: any; text: string }> {
  const response = await fetch(`${emu.url}${path}`, init);
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text };
}

const post = (path: string, body: unknown, headers: Record<string, string> = PAT) =>
  call(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

async function issueToken(): Promise<string> {
  const response = await call('/oidc/v1/token', {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: basic(EMULATOR_DEMO_CLIENT.clientId, EMULATOR_DEMO_CLIENT.clientSecret),
    },
    body: 'grant_type=client_credentials&scope=all-apis',
  });
  expect(response.status).toBe(200);
  return response.json.access_token;
}

function expectDatabricksError(response: { status: number; json: any }, status: number, code: string): void {
  expect(response.status).toBe(status);
  expect(response.json).toEqual({ error_code: code, message: expect.any(String) });
  expect(response.json.message.length).toBeGreaterThan(0);
}

describe('OIDC and OAuth M2M', () => {
  it('discovers absolute endpoint URLs and counts the call', async () => {
    emu.clearTranscript();
    const response = await call('/oidc/.well-known/oauth-authorization-server');
    expect(response.status).toBe(200);
    expect(response.json.token_endpoint).toBe(`${emu.url}/oidc/v1/token`);
    expect(response.json.authorization_endpoint).toMatch(new RegExp(`^${emu.url}/oidc/`));
    expect(response.json.issuer).toMatch(/^http:\/\//);
    expect(emu.counters.oidcDiscovery).toBe(1);
  });

  it('issues a bearer token for client credentials (Basic or form fields) that the workspace accepts', async () => {
    emu.clearTranscript();
    const viaBasic = await call('/oidc/v1/token', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: basic(EMULATOR_DEMO_CLIENT.clientId, EMULATOR_DEMO_CLIENT.clientSecret),
      },
      body: 'grant_type=client_credentials&scope=all-apis',
    });
    expect(viaBasic.status).toBe(200);
    expect(viaBasic.json).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600, scope: 'all-apis' });

    const viaForm = await call('/oidc/v1/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        scope: 'all-apis',
        client_id: EMULATOR_DEMO_CLIENT.clientId,
        client_secret: EMULATOR_DEMO_CLIENT.clientSecret,
      }).toString(),
    });
    expect(viaForm.status).toBe(200);
    expect(viaForm.json.access_token).not.toBe(viaBasic.json.access_token);
    expect(emu.counters.tokenRequests).toBe(2);

    for (const token of [viaBasic.json.access_token, viaForm.json.access_token]) {
      const list = await call('/api/2.0/serving-endpoints', { headers: { authorization: `Bearer ${token}` } });
      expect(list.status).toBe(200);
    }
  });

  it('refuses a wrong secret or an unknown client with 401 invalid_client', async () => {
    for (const authorization of [basic(EMULATOR_DEMO_CLIENT.clientId, 'wrong'), basic('nobody', EMULATOR_DEMO_CLIENT.clientSecret)]) {
      const response = await call('/oidc/v1/token', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization },
        body: 'grant_type=client_credentials&scope=all-apis',
      });
      expect(response.status).toBe(401);
      expect(response.json).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
    }
  });

  it('refuses an issued token once it has expired', async () => {
    emu.setTokenExpiresIn(1);
    const token = await issueToken();
    const fresh = await call('/api/2.0/serving-endpoints', { headers: { authorization: `Bearer ${token}` } });
    expect(fresh.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const stale = await call('/api/2.0/serving-endpoints', { headers: { authorization: `Bearer ${token}` } });
    expectDatabricksError(stale, 401, 'UNAUTHENTICATED');
  });

  it('lets the real Databricks SDK authenticate by OAuth M2M', async () => {
    emu.clearTranscript();
    const config = new Config({
      host: emu.url,
      clientId: EMULATOR_DEMO_CLIENT.clientId,
      clientSecret: EMULATOR_DEMO_CLIENT.clientSecret,
      authType: 'oauth-m2m',
      env: {},
    });
    const headers = new Headers();
    await config.authenticate(headers);
    const authorization = headers.get('authorization');
    expect(authorization).toMatch(/^Bearer \S+$/);
    expect(emu.counters.oidcDiscovery).toBe(1);
    expect(emu.counters.tokenRequests).toBe(1);
    const list = await call('/api/2.0/serving-endpoints', { headers: { authorization: authorization ?? '' } });
    expect(list.status).toBe(200);
  });

  it('lets the SDK fail clearly on a wrong client secret', async () => {
    const config = new Config({ host: emu.url, clientId: EMULATOR_DEMO_CLIENT.clientId, clientSecret: 'nope', authType: 'oauth-m2m', env: {} });
    await expect(config.authenticate(new Headers())).rejects.toThrow(/invalid_client/);
  });
});

describe('bearer authentication', () => {
  it('accepts the PAT', async () => {
    expect((await call('/api/2.0/serving-endpoints', { headers: PAT })).status).toBe(200);
  });

  it('answers 401 in Databricks shape with no, a wrong or a non-Bearer credential', async () => {
    const cases: Record<string, string>[] = [
      {},
      { authorization: 'Bearer dapi-not-a-real-token' },
      { authorization: basic('token', EMULATOR_DEMO_PAT) },
      { 'x-api-key': EMULATOR_DEMO_PAT },
    ];
    for (const headers of cases) {
      expectDatabricksError(await call('/api/2.0/serving-endpoints', { headers }), 401, 'UNAUTHENTICATED');
      expectDatabricksError(await call('/api/2.0/serving-endpoints/databricks-gpt-5-2', { headers }), 401, 'UNAUTHENTICATED');
      expectDatabricksError(await call('/ai-gateway/anthropic/v1/models', { headers }), 401, 'UNAUTHENTICATED');
      expectDatabricksError(await post('/serving-endpoints/chat/completions', { model: 'databricks-gpt-5-2' }, headers), 401, 'UNAUTHENTICATED');
    }
  });
});

describe('serving-endpoints management', () => {
  it('lists every endpoint in the API shape', async () => {
    const { json } = await call('/api/2.0/serving-endpoints', { headers: PAT });
    const names = json.endpoints.map((endpoint: { name: string }) => endpoint.name);
    for (const name of [
      'databricks-claude-sonnet-4-6',
      'databricks-claude-opus-4-8',
      'databricks-gpt-5-2',
      'databricks-gpt-5-1-codex-max',
      'databricks-gemini-2-5-pro',
      'databricks-gemini-3-pro',
      'databricks-meta-llama-3-3-70b-instruct',
      'databricks-qwen3-next-80b-a3b-instruct',
      'databricks-gemma-3-12b',
      'databricks-gte-large-en',
      'fraud-detector',
      'team-mistral-external',
    ]) {
      expect(names).toContain(name);
    }
    const byName = Object.fromEntries(json.endpoints.map((endpoint: { name: string }) => [endpoint.name, endpoint]));
    expect(byName['databricks-claude-sonnet-4-6']).toEqual({
      name: 'databricks-claude-sonnet-4-6',
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      task: 'llm/v1/chat',
      state: { ready: 'READY', config_update: 'NOT_UPDATING' },
      config: {
        served_entities: [
          {
            name: 'databricks-claude-sonnet-4-6',
            entity_name: expect.any(String),
            foundation_model: { name: 'databricks-claude-sonnet-4-6', display_name: 'Claude Sonnet 4.6' },
          },
        ],
      },
      creator: expect.any(String),
      creation_timestamp: expect.any(Number),
      last_updated_timestamp: expect.any(Number),
    });
    expect(byName['databricks-gpt-5-1-codex-max'].task).toBe('llm/v1/responses');
    expect(byName['databricks-gte-large-en'].task).toBe('llm/v1/embeddings');
    expect(byName['fraud-detector'].task).toBeUndefined();
    expect(byName['fraud-detector'].config.served_entities[0].foundation_model).toBeUndefined();
    expect(byName['team-mistral-external'].config.served_entities[0]).toMatchObject({
      external_model: { name: expect.any(String), provider: expect.any(String), task: 'llm/v1/chat' },
    });
  });

  it('gets one endpoint with endpoint_url and permission_level, or 404 RESOURCE_DOES_NOT_EXIST', async () => {
    const found = await call('/api/2.0/serving-endpoints/databricks-gemini-3-pro', { headers: PAT });
    expect(found.status).toBe(200);
    expect(found.json).toMatchObject({
      name: 'databricks-gemini-3-pro',
      endpoint_url: expect.stringMatching(/^http:\/\//),
      permission_level: 'CAN_QUERY',
      config: { served_entities: [{ foundation_model: { name: 'databricks-gemini-3-pro' } }] },
    });
    expectDatabricksError(await call('/api/2.0/serving-endpoints/no-such-endpoint', { headers: PAT }), 404, 'RESOURCE_DOES_NOT_EXIST');
  });
});

describe('AI Gateway model listing', () => {
  it('lists the endpoints served on the gateway in the Anthropic list shape', async () => {
    const { status, json } = await call('/ai-gateway/anthropic/v1/models?limit=1000', { headers: PAT });
    expect(status).toBe(200);
    const ids = json.data.map((model: { id: string }) => model.id);
    expect(ids).toContain('databricks-claude-opus-4-8');
    expect(ids).toContain('databricks-gpt-5-2');
    expect(ids).not.toContain('team-mistral-external');
    expect(ids).not.toContain('fraud-detector');
    expect(json.data[0]).toEqual({ type: 'model', id: ids[0], display_name: expect.any(String), created_at: expect.any(String) });
    expect(Number.isNaN(Date.parse(json.data[0].created_at))).toBe(false);
    expect(json).toMatchObject({ has_more: false, first_id: ids[0], last_id: ids.at(-1) });
  });

  it('pages with limit and after_id', async () => {
    const all = (await call('/ai-gateway/anthropic/v1/models?limit=1000', { headers: PAT })).json.data.map((model: { id: string }) => model.id);
    const walked: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 20; page += 1) {
      const query = `limit=3${after ? `&after_id=${after}` : ''}`;
      const { json } = await call(`/ai-gateway/anthropic/v1/models?${query}`, { headers: PAT });
      expect(json.data.length).toBeLessThanOrEqual(3);
      walked.push(...json.data.map((model: { id: string }) => model.id));
      if (!json.has_more) break;
      after = json.last_id;
    }
    expect(walked).toEqual(all);
    expect(all.length).toBeGreaterThan(3);
  });

  it('answers ENDPOINT_NOT_FOUND on every gateway path when the gateway is off', async () => {
    emu.setAiGateway(false);
    expectDatabricksError(await call('/ai-gateway/anthropic/v1/models', { headers: PAT }), 404, 'ENDPOINT_NOT_FOUND');
    expectDatabricksError(
      await post('/ai-gateway/mlflow/v1/chat/completions', { model: 'databricks-gpt-5-2', messages: [{ role: 'user', content: 'hi' }] }),
      404,
      'ENDPOINT_NOT_FOUND',
    );
    expectDatabricksError(await post('/ai-gateway/gemini/v1beta/models/databricks-gemini-3-pro:generateContent', {}), 404, 'ENDPOINT_NOT_FOUND');
    // Model Serving is unaffected.
    const serving = await post('/serving-endpoints/chat/completions', {
      model: 'databricks-meta-llama-3-3-70b-instruct',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(serving.status).toBe(200);
  });
});

describe('inference routing', () => {
  const chat = (model: string) => ({ model, messages: [{ role: 'user', content: 'hello emulator' }] });

  it('answers each dialect on both surfaces', async () => {
    const anthropic = { model: 'databricks-claude-sonnet-4-6', max_tokens: 100, messages: [{ role: 'user', content: 'hello emulator' }] };
    const responses = { model: 'databricks-gpt-5-2', input: 'hello emulator' };
    const gemini = { contents: [{ role: 'user', parts: [{ text: 'hello emulator' }] }] };
    const cases: [string, unknown][] = [
      ['/ai-gateway/anthropic/v1/messages', anthropic],
      ['/serving-endpoints/anthropic/v1/messages', anthropic],
      ['/ai-gateway/codex/v1/responses', responses],
      ['/serving-endpoints/responses', responses],
      ['/ai-gateway/mlflow/v1/chat/completions', chat('databricks-qwen3-next-80b-a3b-instruct')],
      ['/serving-endpoints/chat/completions', chat('team-mistral-external')],
      ['/ai-gateway/gemini/v1beta/models/databricks-gemini-3-pro:generateContent', gemini],
      ['/serving-endpoints/gemini/v1beta/models/databricks-gemini-2-5-pro:generateContent', gemini],
    ];
    for (const [path, body] of cases) {
      const response = await post(path, body);
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
      expect(response.text).toContain('You said: hello emulator');
    }
  });

  it('streams as an event stream, frame by frame, and records it as streamed', async () => {
    emu.clearTranscript();
    const chatStream = await post('/serving-endpoints/chat/completions', { ...chat('databricks-gemma-3-12b'), stream: true });
    expect(chatStream.status).toBe(200);
    expect(chatStream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(chatStream.text).toMatch(/^data: /m);

    const geminiStream = await post('/ai-gateway/gemini/v1beta/models/databricks-gemini-3-pro:streamGenerateContent?alt=sse', {
      contents: [{ role: 'user', parts: [{ text: 'hello emulator' }] }],
    });
    expect(geminiStream.status).toBe(200);
    expect(geminiStream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(emu.transcript.map((entry) => entry.streamed)).toEqual([true, true]);
    expect(emu.transcript[1]?.query).toEqual({ alt: 'sse' });
  });

  it('answers 404 ENDPOINT_NOT_FOUND for an unknown endpoint', async () => {
    expectDatabricksError(await post('/serving-endpoints/chat/completions', chat('databricks-nope')), 404, 'ENDPOINT_NOT_FOUND');
    expectDatabricksError(await post('/ai-gateway/gemini/v1beta/models/databricks-nope:generateContent', {}), 404, 'ENDPOINT_NOT_FOUND');
  });

  it('answers 404 ENDPOINT_NOT_FOUND on a gateway path for an endpoint not on the gateway', async () => {
    expectDatabricksError(await post('/ai-gateway/mlflow/v1/chat/completions', chat('team-mistral-external')), 404, 'ENDPOINT_NOT_FOUND');
  });

  it('answers 404 ENDPOINT_NOT_FOUND for an endpoint the path does not serve', async () => {
    const wrongFamily = await post('/ai-gateway/anthropic/v1/messages', {
      model: 'databricks-gpt-5-2',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expectDatabricksError(wrongFamily, 404, 'ENDPOINT_NOT_FOUND');
    expect(wrongFamily.json.message).toContain('databricks-gpt-5-2');
    expectDatabricksError(await post('/serving-endpoints/chat/completions', chat('databricks-gte-large-en')), 404, 'ENDPOINT_NOT_FOUND');
    expectDatabricksError(await post('/serving-endpoints/responses', { model: 'databricks-claude-opus-4-8', input: 'hi' }), 404, 'ENDPOINT_NOT_FOUND');
  });

  it('answers 400 BAD_REQUEST for invalid JSON, a non-object body or a missing model', async () => {
    expectDatabricksError(await post('/serving-endpoints/chat/completions', '{"model": '), 400, 'BAD_REQUEST');
    expectDatabricksError(await post('/serving-endpoints/chat/completions', '[1,2]'), 400, 'BAD_REQUEST');
    expectDatabricksError(await post('/serving-endpoints/chat/completions', { messages: [] }), 400, 'BAD_REQUEST');
  });

  it('refuses streamGenerateContent without alt=sse and unknown Gemini methods', async () => {
    const body = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] };
    expectDatabricksError(await post('/ai-gateway/gemini/v1beta/models/databricks-gemini-3-pro:streamGenerateContent', body), 400, 'BAD_REQUEST');
    expectDatabricksError(await post('/ai-gateway/gemini/v1beta/models/databricks-gemini-3-pro:countTokens', body), 404, 'ENDPOINT_NOT_FOUND');
  });

  it('counts inference calls and requests by path', async () => {
    emu.clearTranscript();
    await post('/serving-endpoints/chat/completions', chat('databricks-gemma-3-12b'));
    await post('/serving-endpoints/chat/completions', chat('databricks-nope'));
    await call('/api/2.0/serving-endpoints', { headers: PAT });
    expect(emu.counters.inference).toBe(2);
    expect(emu.counters.byPath).toEqual({ '/serving-endpoints/chat/completions': 2, '/api/2.0/serving-endpoints': 1 });
    expect(emu.transcript.map((entry) => entry.status)).toEqual([200, 404, 200]);
    emu.clearTranscript();
    expect(emu.transcript).toHaveLength(0);
    expect(emu.counters).toEqual({ oidcDiscovery: 0, tokenRequests: 0, inference: 0, byPath: {} });
  });
});

describe('transcript', () => {
  it('records what was forwarded and never a credential', async () => {
    emu.clearTranscript();
    await call('/oidc/v1/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: EMULATOR_DEMO_CLIENT.clientId,
        client_secret: EMULATOR_DEMO_CLIENT.clientSecret,
      }).toString(),
    });
    const token = await issueToken();
    await post(
      '/ai-gateway/anthropic/v1/messages',
      { model: 'databricks-claude-sonnet-4-6', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] },
      {
        authorization: `Bearer ${token}`,
        'x-api-key': 'sk-ant-client-own-key',
        'anthropic-version': '2023-06-01',
        'anthropic-beta': 'interleaved-thinking-2025-05-14',
      },
    );
    await call('/api/2.0/serving-endpoints', { headers: PAT });

    const serialized = JSON.stringify(emu.transcript);
    for (const secret of [EMULATOR_DEMO_PAT, token, EMULATOR_DEMO_CLIENT.clientSecret, 'sk-ant-client-own-key']) {
      expect(serialized).not.toContain(secret);
    }
    // Nor the Basic credential in its encoded form.
    expect(serialized).not.toContain(Buffer.from(`${EMULATOR_DEMO_CLIENT.clientId}:${EMULATOR_DEMO_CLIENT.clientSecret}`).toString('base64'));

    const [form, basicToken, messages, list] = emu.transcript;
    expect(form?.body).toMatchObject({ client_id: EMULATOR_DEMO_CLIENT.clientId, client_secret: '[redacted]' });
    expect(basicToken?.headers.authorization).toBe('Basic [redacted]');
    expect(messages).toMatchObject({
      method: 'POST',
      path: '/ai-gateway/anthropic/v1/messages',
      status: 200,
      streamed: false,
      body: { model: 'databricks-claude-sonnet-4-6' },
      headers: {
        authorization: 'Bearer [redacted]',
        'x-api-key': '[redacted]',
        'anthropic-version': '2023-06-01',
        'anthropic-beta': 'interleaved-thinking-2025-05-14',
      },
    });
    expect(list?.headers.authorization).toBe('Bearer [redacted]');
  });
});

describe('switches', () => {
  it('answers 400 naming an unknown quirk or fault in a request header', async () => {
    const quirk = await call('/api/2.0/serving-endpoints', { headers: { ...PAT, 'x-dbx-emulator-quirks': 'no-such-quirk' } });
    expectDatabricksError(quirk, 400, 'BAD_REQUEST');
    expect(quirk.json.message).toContain('no-such-quirk');
    const fault = await post(
      '/serving-endpoints/chat/completions',
      { model: 'databricks-gemma-3-12b', messages: [{ role: 'user', content: 'hi' }] },
      { ...PAT, 'x-dbx-emulator-faults': ' , no-such-fault' },
    );
    expectDatabricksError(fault, 400, 'BAD_REQUEST');
    expect(fault.json.message).toContain('no-such-fault');
    // An empty header switches nothing on.
    expect((await call('/api/2.0/serving-endpoints', { headers: { ...PAT, 'x-dbx-emulator-quirks': '' } })).status).toBe(200);
  });

  it('refuses unknown ids set globally', async () => {
    expect(() => emu.setQuirks(['no-such-quirk'])).toThrow(/no-such-quirk/);
    expect(() => emu.setFaults(['no-such-fault'])).toThrow(/no-such-fault/);
    await expect(startEmulator({ quirks: ['bogus'] })).rejects.toThrow(/bogus/);
    emu.setQuirks([]);
    emu.setFaults([]);
  });
});

describe('options', () => {
  it('serves custom PATs, clients and endpoints, and closes', async () => {
    const custom = await startEmulator({
      pats: ['dapi-custom'],
      m2mClients: [{ clientId: 'c', clientSecret: 's' }],
      aiGateway: false,
      endpoints: [{ name: 'only-one', task: 'llm/v1/chat', family: 'other', kind: 'custom', onAiGateway: false }],
    });
    try {
      expect(custom.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const list = await fetch(`${custom.url}/api/2.0/serving-endpoints`, { headers: { authorization: 'Bearer dapi-custom' } });
      expect(((await list.json()) as { endpoints: { name: string }[] }).endpoints.map((endpoint) => endpoint.name)).toEqual(['only-one']);
      const demo = await fetch(`${custom.url}/api/2.0/serving-endpoints`, { headers: PAT });
      expect(demo.status).toBe(401);
      const gateway = await fetch(`${custom.url}/ai-gateway/anthropic/v1/models`, { headers: { authorization: 'Bearer dapi-custom' } });
      expect(gateway.status).toBe(404);
    } finally {
      await custom.close();
    }
    await expect(fetch(`${custom.url}/api/2.0/serving-endpoints`)).rejects.toThrow();
  });
});
