import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import { EMULATOR_DEMO_CLIENT } from '../../src/emulator/index.js';
import { fingerprint } from '../../src/passthrough/caller.js';
import { rawRequest } from '../helpers/raw-http.js';
import { ALICE_TOKEN, BOB_TOKEN, CAROL_TOKEN, UNKNOWN_TOKEN } from '../helpers/secrets.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { ALL_ROUTES, expectDialectError, INFERENCE_ROUTES, requestOf } from '../security/routes.js';

const INFERENCE_PATH = /\/(invocations|chat\/completions|responses|messages|mlflow\/v1\/)|:(stream)?[gG]enerateContent/;

describe('passthrough auth: each caller spends its own Databricks token', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      emulator: {
        users: [
          { name: 'alice@example.com', token: ALICE_TOKEN },
          { name: 'bob@example.com', token: BOB_TOKEN },
          { name: 'carol@example.com', token: CAROL_TOKEN, permitted: false },
        ],
      },
      // The proxy's own credential is a service principal (M2M): discovery and the probe only.
      servicePrincipal: true,
      config: { server: { passthroughAuth: true } },
    });
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.emulator.clearTranscript());

  const inferenceEntries = () => stack.emulator.transcript.filter((entry) => INFERENCE_PATH.test(entry.path));

  it('two callers with different tokens each reach the workspace with their own, and the proxy\'s never reaches inference', async () => {
    const openai = new OpenAI({ baseURL: stack.openaiBaseUrl, apiKey: ALICE_TOKEN, maxRetries: 0 });
    const anthropic = new Anthropic({ baseURL: stack.proxy.url, apiKey: BOB_TOKEN, maxRetries: 0 });
    const chat = await openai.chat.completions.create({ model: 'databricks-gpt-5-2', messages: [{ role: 'user', content: 'hi' }] });
    expect(chat.choices[0]?.message.content).toBeTruthy();
    const stream = anthropic.messages.stream({ model: 'databricks-claude-sonnet-4-6', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] });
    expect((await stream.finalMessage()).content.length).toBeGreaterThan(0);
    // A Gemini client sends its key as x-goog-api-key.
    const gemini = await rawRequest(stack.proxy.url, {
      method: 'POST',
      path: '/v1beta/models/databricks-gemini-3-pro:generateContent',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': BOB_TOKEN },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
    });
    expect(gemini.status, gemini.text).toBe(200);
    // Or as Google's ?key= query parameter, which never goes upstream itself.
    const byQuery = await rawRequest(stack.proxy.url, {
      method: 'POST',
      path: `/v1beta/models/databricks-gemini-3-pro:generateContent?key=${ALICE_TOKEN}`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
    });
    expect(byQuery.status, byQuery.text).toBe(200);
    expect(inferenceEntries().at(-1)?.query).toEqual({});

    expect(inferenceEntries().map((entry) => entry.principal)).toEqual(['alice@example.com', 'bob@example.com', 'bob@example.com', 'alice@example.com']);
    expect(stack.emulator.transcript.some((entry) => entry.principal === EMULATOR_DEMO_CLIENT.clientId)).toBe(false);
  });

  it('the proxy\'s own credential served discovery and the probe at start', async () => {
    // A fresh stack's start-up calls are gone from the transcript here: the catalog refresh goes through the same client.
    const { stack: fresh, transcript } = await startAndRecord();
    try {
      const management = transcript.filter((entry) => !INFERENCE_PATH.test(entry.path) && entry.principal !== undefined);
      expect(management.length).toBeGreaterThan(0);
      expect(new Set(management.map((entry) => entry.principal))).toEqual(new Set([EMULATOR_DEMO_CLIENT.clientId]));
    } finally {
      await fresh.close();
    }
  });

  describe.each(INFERENCE_ROUTES)('$name', (route) => {
    it('without a token: 401 in the route dialect naming what to send, nothing sent upstream', async () => {
      const response = await rawRequest(stack.proxy.url, requestOf(route));
      expectDialectError(route, response, 401, /own Databricks token.*Authorization: Bearer.*x-api-key.*x-goog-api-key/);
      expect(inferenceEntries()).toEqual([]);
    });

    it('a token the workspace refuses: its 401, one attempt, no retry with the proxy\'s credential, the token not echoed', async () => {
      const response = await rawRequest(stack.proxy.url, requestOf(route, { authorization: `Bearer ${UNKNOWN_TOKEN}` }));
      expectDialectError(route, response, 401, /not valid for this workspace/);
      expect(response.text).not.toContain(UNKNOWN_TOKEN);
      const entries = inferenceEntries();
      expect(entries.map((entry) => [entry.status, entry.principal])).toEqual([[401, undefined]]);
    });

    it('a user the workspace forbids model serving: its 403, passed on', async () => {
      const response = await rawRequest(stack.proxy.url, requestOf(route, { 'x-api-key': CAROL_TOKEN }));
      expectDialectError(route, response, 403, /carol@example\.com does not have permission/);
      expect(inferenceEntries().map((entry) => [entry.status, entry.principal])).toEqual([[403, 'carol@example.com']]);
    });
  });

  it('a Gemini client without a token: 401 in Gemini\'s error shape, naming x-goog-api-key', async () => {
    const response = await rawRequest(stack.proxy.url, {
      method: 'POST',
      path: '/v1beta/models/databricks-gemini-3-pro:generateContent',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
    });
    expect(response.status).toBe(401);
    const body = JSON.parse(response.text) as { error: { code: number; message: string; status: string } };
    expect(body.error).toMatchObject({ code: 401, status: 'UNAUTHENTICATED' });
    expect(body.error.message).toMatch(/x-goog-api-key/);
    expect(inferenceEntries()).toEqual([]);
  });

  it('a workspace that echoes the credential in its error: the caller\'s token never reaches the client', async () => {
    stack.emulator.setFaults(['echo-credentials']);
    try {
      for (const route of INFERENCE_ROUTES) {
        const response = await rawRequest(stack.proxy.url, requestOf(route, { 'x-api-key': CAROL_TOKEN }));
        expectDialectError(route, response, 403, /the request carried Authorization: Bearer \[redacted\]/);
        expect(response.text).not.toContain(CAROL_TOKEN);
      }
    } finally {
      stack.emulator.setFaults([]);
    }
  });

  it('the other routes ask for a token too; the probes and /metrics do not', async () => {
    for (const route of ALL_ROUTES.filter((candidate) => !INFERENCE_ROUTES.includes(candidate))) {
      expectDialectError(route, await rawRequest(stack.proxy.url, requestOf(route)), 401, /own Databricks token/);
      expect((await rawRequest(stack.proxy.url, requestOf(route, { authorization: `Bearer ${BOB_TOKEN}` }))).status).toBe(200);
    }
    expect((await rawRequest(stack.proxy.url, { path: '/health' })).status).toBe(200);
    expect((await rawRequest(stack.proxy.url, { method: 'HEAD', path: '/' })).status).toBe(200);
    // Prometheus scrapes without a credential (deploy/kubernetes/).
    const metrics = await rawRequest(stack.proxy.url, { path: '/metrics' });
    expect(metrics.status, metrics.text).toBe(200);
  });

  it('the request log names each caller by a stable fingerprint, never by the token', async () => {
    const before = stack.logs.lines.length;
    for (const token of [ALICE_TOKEN, BOB_TOKEN, ALICE_TOKEN]) {
      expect((await rawRequest(stack.proxy.url, requestOf(INFERENCE_ROUTES[0]!, { authorization: `Bearer ${token}` }))).status).toBe(200);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    const lines = stack.logs.lines.slice(before);
    const callers = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === 'request').map((line) => line.caller);
    expect(callers).toEqual([fingerprint(ALICE_TOKEN), fingerprint(BOB_TOKEN), fingerprint(ALICE_TOKEN)]);
    expect(fingerprint(ALICE_TOKEN)).toMatch(/^caller-[0-9a-f]{16}$/);
    for (const line of stack.logs.lines) for (const token of [ALICE_TOKEN, BOB_TOKEN, CAROL_TOKEN, UNKNOWN_TOKEN]) expect(line).not.toContain(token);
  });
});

describe('passthrough auth settings', () => {
  it('allows listening beyond loopback without local keys, since every call spends the caller\'s own token', () => {
    expect(ConfigSchema.safeParse({ listen: '0.0.0.0', server: { passthroughAuth: true } }).success).toBe(true);
    const refused = ConfigSchema.safeParse({ listen: '0.0.0.0' });
    expect(refused.error?.issues[0]?.message).toMatch(/unless server.passthroughAuth is on/);
  });

  it('refuses local API keys beside it: the key a client sends cannot be both', () => {
    const refused = ConfigSchema.safeParse({ server: { passthroughAuth: true, apiKeys: ['a-local-key-0001'] } });
    expect(refused.error?.issues[0]?.message).toMatch(/must be empty when server.passthroughAuth is on/);
  });
});

/** A stack started with an empty transcript, and the transcript of its start-up. */
async function startAndRecord(): Promise<{ stack: Stack; transcript: Stack['emulator']['transcript'] }> {
  const stack = await startStack({
    emulator: { users: [{ name: 'alice@example.com', token: ALICE_TOKEN }] },
    servicePrincipal: true,
    config: { server: { passthroughAuth: true } },
  });
  return { stack, transcript: [...stack.emulator.transcript] };
}
