import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.js';
import { CLAUDE, INBOUND_PATH, LLAMA, requestBody, summaryLine } from '../reliability/routes.js';

const KEY = 'observe-local-key-1';
const OTHER_KEY = 'observe-local-key-2';

async function post(stack: Stack, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${stack.proxy.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}`, 'anthropic-version': '2023-06-01', ...headers },
    body: JSON.stringify(body),
  });
}

/**
 * Every answer carries its request id (the client's when sane, else a fresh
 * one) and the upstream sees the same id; answers that reached the upstream
 * carry Server-Timing; the log line tells who asked, what it cost and how it
 * went, at a level that says whose failure it was.
 */
describe('request ids, Server-Timing and the request line', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ logLevel: 'debug', config: { server: { apiKeys: [KEY, OTHER_KEY] }, upstream: { maxAttempts: 2, maxRetryAfterMs: 10 } } });
  });
  afterAll(() => stack.close());

  it("a client's sane x-request-id is kept: on the answer, upstream, and on the log line", async () => {
    stack.emulator.clearTranscript();
    const response = await post(stack, INBOUND_PATH.chat, requestBody({ client: 'chat', model: LLAMA }, 'my own id', false), { 'x-request-id': 'trace-me.42:a_b-c' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('trace-me.42:a_b-c');
    const inference = stack.emulator.transcript.filter((entry) => entry.method === 'POST');
    expect(inference.map((entry) => entry.headers['x-request-id'])).toEqual(['trace-me.42:a_b-c']);
    await expect.poll(() => stack.logs.records().find((line) => line.msg === 'request' && line.reqId === 'trace-me.42:a_b-c')).toBeDefined();
  });

  it('an id too long or with odd characters is replaced by a fresh one', async () => {
    for (const given of ['x'.repeat(129), 'has space', 'quote"d', 'semi;colon', '']) {
      const response = await post(stack, INBOUND_PATH.chat, requestBody({ client: 'chat', model: LLAMA }, 'bad id', false), { 'x-request-id': given });
      const id = response.headers.get('x-request-id') ?? '';
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(id).not.toBe(given);
    }
  });

  it('every answer carries an id: a refused key, an unknown route, the health check', async () => {
    const refused = await fetch(`${stack.proxy.url}/v1/models`);
    expect(refused.status).toBe(401);
    const unknown = await fetch(`${stack.proxy.url}/nowhere`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(unknown.status).toBe(404);
    const health = await fetch(`${stack.proxy.url}/health`);
    for (const response of [refused, unknown, health]) expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('Server-Timing gives the proxy and the upstream their parts, on whole answers and streams', async () => {
    for (const stream of [false, true]) {
      const response = await post(stack, INBOUND_PATH.messages, requestBody({ client: 'messages', model: CLAUDE }, 'timing', stream));
      await response.text();
      const timing = response.headers.get('server-timing') ?? '';
      const parts = Object.fromEntries([...timing.matchAll(/(\w+);dur=([\d.]+)/g)].map((match) => [match[1], Number(match[2])]));
      expect(parts.proxy).toBeGreaterThanOrEqual(0);
      expect(parts.upstream).toBeGreaterThan(0);
    }
  });

  it('the line of a whole answer has its tokens, time to first byte, repairs, the key that made it and the client', async () => {
    await post(stack, INBOUND_PATH.chat, requestBody({ client: 'chat', model: CLAUDE }, 'whole answer tokens', false), {
      authorization: `Bearer ${OTHER_KEY}`,
      'user-agent': 'my-agent/1.2 (linux)',
    });
    await expect.poll(() => summaryLine(stack.logs.lines, INBOUND_PATH.chat)?.client).toBe('my-agent');
    const line = summaryLine(stack.logs.lines, INBOUND_PATH.chat) ?? {};
    expect(line).toMatchObject({ level: 30, status: 200, family: 'claude', mode: 'translate' });
    expect(line.tokens).toMatchObject({ input: expect.any(Number), output: expect.any(Number) });
    expect((line.tokens as { input: number }).input).toBeGreaterThan(0);
    expect(line.ttfbMs).toEqual(expect.any(Number));
    expect(line.repairs).toEqual(expect.arrayContaining([expect.any(String)]));
    // Which key asked: a fingerprint of it, never the key.
    expect(line.key).toMatch(/^key-[0-9a-f]{8}$/);
    expect(JSON.stringify(line)).not.toContain(OTHER_KEY);
  });

  it('an upstream failure is a warning, with a debug line per upstream attempt', async () => {
    stack.emulator.setFaults(['unavailable']);
    try {
      const response = await post(stack, INBOUND_PATH.messages, requestBody({ client: 'messages', model: CLAUDE }, 'upstream down', false));
      expect(response.status).toBe(503);
      const id = response.headers.get('x-request-id');
      await expect.poll(() => stack.logs.records().find((line) => line.msg === 'request' && line.reqId === id)?.level).toBe(40);
      const attempts = stack.logs.records().filter((line) => line.msg === 'upstream attempt' && line.reqId === id);
      expect(attempts).toMatchObject([
        { level: 20, attempt: 1, status: 503 },
        { level: 20, attempt: 2, status: 503 },
      ]);
    } finally {
      stack.emulator.setFaults([]);
    }
  });

  it('/metrics and the status page answer under the API keys; HEAD / stays open', async () => {
    for (const path of ['/metrics', '/', '/status/data.json']) {
      expect((await fetch(`${stack.proxy.url}${path}`)).status, path).toBe(401);
      expect((await fetch(`${stack.proxy.url}${path}`, { headers: { 'x-api-key': KEY } })).status, path).toBe(200);
    }
    expect((await fetch(`${stack.proxy.url}/`, { method: 'HEAD' })).status).toBe(200);
    // A web page elsewhere cannot read them either.
    expect((await fetch(`${stack.proxy.url}/metrics`, { headers: { 'x-api-key': KEY, origin: 'https://evil.example' } })).status).toBe(403);
  });
});
