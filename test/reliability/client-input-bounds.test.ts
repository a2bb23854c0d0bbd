import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { nearestNames } from '../../src/databricks/nearest-names.js';
import { ECHO_LIMIT, MODEL_NAME_MAX_LENGTH } from '../../src/errors/client-value.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { CLAUDE, INBOUND_PATH, LLAMA, requestBody, type ClientApi } from './routes.js';

/**
 * What a client sends is never echoed or compared whole: a model name of
 * megabytes is refused at once with a 400 in the client's dialect (it used to
 * run an edit distance against the catalog, holding the event loop for
 * seconds, then come back whole in the 404 and the log line), and every value
 * an error message quotes is cut to ECHO_LIMIT characters.
 */
const HUGE = 10 * 1024 * 1024;

async function post(stack: Stack, client: ClientApi, body: Record<string, unknown>): Promise<{ status: number; text: string }> {
  const response = await fetch(`${stack.proxy.url}${INBOUND_PATH[client]}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(client === 'messages' ? { 'anthropic-version': '2023-06-01' } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

/** Whether a log line carries more of a client's value than an echo may (the value is one repeated character). */
const loggedWhole = (stack: Stack, char: string): boolean => stack.logs.lines.some((line) => line.includes(char.repeat(ECHO_LIMIT + 1)));

describe('client values are bounded before they are compared, echoed or logged', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ config: { server: { bodyLimitBytes: 64 * 1024 * 1024 } } });
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.emulator.clearTranscript());

  it.each(['chat', 'responses', 'messages'] as const)('%s: a 10 MB model name gets a short 400 in the dialect, and never reaches the upstream', async (client) => {
    const { status, text } = await post(stack, client, requestBody({ client, model: 'x'.repeat(HUGE) }, 'hi', false));
    expect(status).toBe(400);
    expect(text.length).toBeLessThan(2_000);
    const body = JSON.parse(text) as { type?: string; error: { type: string; message: string } };
    if (client === 'messages') expect(body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    else expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toMatch(new RegExp(`model.*${MODEL_NAME_MAX_LENGTH}`));
    expect(stack.emulator.transcript).toHaveLength(0);
    expect(loggedWhole(stack, 'x')).toBe(false);
  });

  it('the token-count route bounds the name too', async () => {
    const response = await fetch(`${stack.proxy.url}/v1/messages/count_tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'x'.repeat(HUGE), messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(400);
    expect((await response.text()).length).toBeLessThan(2_000);
  });

  it('a long unknown name under the limit gets its 404, the name cut in the message and the log', async () => {
    const name = `${CLAUDE}-${'y'.repeat(200)}`;
    const { status, text } = await post(stack, 'chat', requestBody({ client: 'chat', model: name }, 'hi', false));
    expect(status).toBe(404);
    const message = (JSON.parse(text) as { error: { message: string } }).error.message;
    expect(message).toContain(`'${name.slice(0, ECHO_LIMIT)}… (${name.length} characters)'`);
    expect(message).not.toContain(name);
    expect(message).toContain(`Did you mean: ${CLAUDE}`);
    expect(stack.logs.lines.some((line) => line.includes(name))).toBe(false);
  });

  it('a value a codec quotes in its refusal is cut too (tool_choice on a translated route)', async () => {
    const choice = 'z'.repeat(1024 * 1024);
    const { status, text } = await post(stack, 'chat', { ...requestBody({ client: 'chat', model: CLAUDE }, 'hi', false), tool_choice: choice });
    expect(status).toBe(400);
    expect(text.length).toBeLessThan(2_000);
    expect(text).toContain(`(${choice.length} characters)`);
  });

  it('an unknown route is named in its 404 with its path cut', async () => {
    const path = `/v1/${'p'.repeat(8_000)}`;
    const response = await fetch(`${stack.proxy.url}${path}`);
    expect(response.status).toBe(404);
    expect((await response.text()).length).toBeLessThan(1_000);
    expect(loggedWhole(stack, 'p')).toBe(false);
  });

  it('requests keep being served around a refused name', async () => {
    const [refused, served] = await Promise.all([
      post(stack, 'chat', requestBody({ client: 'chat', model: 'x'.repeat(HUGE) }, 'hi', false)),
      post(stack, 'chat', requestBody({ client: 'chat', model: LLAMA }, 'hi', false)),
    ]);
    expect(refused.status).toBe(400);
    expect(served.status).toBe(200);
  });
});

describe('nearestNames', () => {
  it('compares a bounded prefix of the wanted name, so a long name with a real typo still finds its model', () => {
    const known = ['databricks-claude-sonnet-4-6', 'databricks-gpt-5-2', 'databricks-meta-llama-3-3-70b-instruct'];
    expect(nearestNames(`databricks-claude-sonet-4-6${'!'.repeat(500_000)}`, known, 1)).toEqual(['databricks-claude-sonnet-4-6']);
  });
});
