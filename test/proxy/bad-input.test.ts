import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.js';

/** Bad requests are refused in the client's dialect, and the upstream is never called. */
const ROUTES = {
  chat: { path: '/v1/chat/completions', dialect: 'openai', valid: { model: 'databricks-gpt-5-2', messages: [{ role: 'user', content: 'x' }] } },
  responses: { path: '/v1/responses', dialect: 'openai', valid: { model: 'databricks-gpt-5-2', input: 'x' } },
  messages: {
    path: '/v1/messages',
    dialect: 'anthropic',
    valid: { model: 'databricks-claude-sonnet-4-6', max_tokens: 16, messages: [{ role: 'user', content: 'x' }] },
  },
} as const;

type Route = (typeof ROUTES)[keyof typeof ROUTES];

function expectDialectError(route: Route, status: number, body: unknown, expectedStatus: number, messagePattern: RegExp): void {
  expect(status).toBe(expectedStatus);
  if (route.dialect === 'openai') {
    expect(body).toMatchObject({ error: { message: expect.stringMatching(messagePattern), type: expect.any(String) } });
  } else {
    expect(body).toMatchObject({ type: 'error', error: { type: expect.any(String), message: expect.stringMatching(messagePattern) } });
  }
}

describe.each(Object.entries(ROUTES))('bad input on %s', (_name, route) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ config: { server: { bodyLimitBytes: 4096 } } });
    stack.emulator.clearTranscript();
  });
  afterAll(async () => {
    // Not one of the bad requests below may have reached the upstream.
    expect(stack.emulator.counters.inference).toBe(0);
    await stack.close();
  });

  const post = async (body: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${stack.proxy.url}${route.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...headers },
      body,
    });
    return { status: response.status, body: (await response.json()) as unknown };
  };

  it('invalid JSON', async () => {
    const { status, body } = await post('{"model": ');
    expectDialectError(route, status, body, 400, /JSON/i);
  });

  it('wrong types', async () => {
    const { status, body } = await post(JSON.stringify({ ...route.valid, stream: 'yes' }));
    expectDialectError(route, status, body, 400, /stream/);
  });

  it('a body that is not an object', async () => {
    const { status, body } = await post('[1,2,3]');
    expectDialectError(route, status, body, 400, /object/);
  });

  it('no model and no default model', async () => {
    const { model: _model, ...withoutModel } = route.valid;
    const { status, body } = await post(JSON.stringify(withoutModel));
    expectDialectError(route, status, body, 400, /model/);
  });

  it('an unknown model, naming the nearest known ones', async () => {
    const { status, body } = await post(JSON.stringify({ ...route.valid, model: 'databricks-gpt-5-3' }));
    expectDialectError(route, status, body, 404, /does not exist.*Did you mean: .*databricks-gpt-5-2/);
  });

  it('a body over the configured limit gets 413', async () => {
    const { status, body } = await post(JSON.stringify({ ...route.valid, padding: 'x'.repeat(8192) }));
    expectDialectError(route, status, body, 413, /.+/);
  });
});

describe('unknown routes', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  it('an unknown path answers 404 in the OpenAI dialect', async () => {
    const response = await fetch(`${stack.proxy.url}/v1/embeddings`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
  });
});
