import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import { EMULATOR_DEMO_CLIENT, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { createLogger } from '../../src/logging/logger.js';
import { startProxy, type RunningProxy } from '../../src/server/start.js';
import { isolateDatabricksEnv } from '../helpers/isolated-env.js';
import { LogCapture, startStack } from '../helpers/stack.js';
import { CLAUDE, GPT, LLAMA, streamWithSdk } from './routes.js';

/**
 * A token revoked while the proxy runs: the upstream answers 401, the proxy
 * forces one token refresh and tries once more. With OAuth M2M the new token
 * works and the client never notices; with a revoked PAT there is nothing to
 * refresh to, and the client gets the 401 in its own dialect. With the OAuth
 * client itself revoked, the refresh fails: a 401 in the client's dialect
 * that says what to fix, not an internal error.
 */

// The SDK's credential chain reads DATABRICKS_* and HOME: keep the machine's out.
isolateDatabricksEnv();

describe('OAuth M2M token revoked', () => {
  let emulator: RunningEmulator;
  let proxy: RunningProxy;
  let logs: LogCapture;
  beforeEach(async () => {
    emulator = await startEmulator();
    logs = new LogCapture();
    const databricks = { host: emulator.url, clientId: EMULATOR_DEMO_CLIENT.clientId, clientSecret: EMULATOR_DEMO_CLIENT.clientSecret };
    proxy = await startProxy(ConfigSchema.parse({ port: 0, databricks }), createLogger('info', logs));
  });
  afterEach(async () => {
    await proxy.close();
    await emulator.close();
  });

  const inference = () => emulator.transcript.filter((entry) => entry.method === 'POST' && !entry.path.startsWith('/oidc'));

  it('one forced refresh, one retry: exactly one extra token request, and the request succeeds', async () => {
    expect(proxy.workspace.auth.method).toBe('oauth-m2m');
    const openai = new OpenAI({ apiKey: 'local', baseURL: `${proxy.url}/v1`, maxRetries: 0 });
    await openai.chat.completions.create({ model: LLAMA, messages: [{ role: 'user', content: 'before' }] });
    const tokensBefore = emulator.counters.tokenRequests;
    emulator.clearTranscript();

    emulator.revokeTokens();
    const answer = await openai.chat.completions.create({ model: LLAMA, messages: [{ role: 'user', content: 'after the revocation' }] });
    expect(answer.choices[0]?.message.content).toContain('after the revocation');
    expect(emulator.counters.tokenRequests).toBe(1);
    expect(inference().map((entry) => entry.status)).toEqual([401, 200]);
    expect(tokensBefore).toBeGreaterThanOrEqual(1);

    // The fresh token is kept: the next request needs no refresh.
    await openai.chat.completions.create({ model: LLAMA, messages: [{ role: 'user', content: 'again' }] });
    expect(emulator.counters.tokenRequests).toBe(1);
  });

  it('works the same for a stream, before any byte reaches the client', async () => {
    emulator.clearTranscript();
    emulator.revokeTokens();
    expect(await streamWithSdk(proxy.url, { client: 'messages', model: CLAUDE }, 'streamed after a refresh')).toContain('streamed after a refresh');
    expect(emulator.counters.tokenRequests).toBe(1);
    expect(inference().map((entry) => entry.status)).toEqual([401, 200]);
  });

  it('with the OAuth client revoked too, the failed refresh is a 401 in each dialect that says what to fix', async () => {
    const openai = new OpenAI({ apiKey: 'local', baseURL: `${proxy.url}/v1`, maxRetries: 0 });
    await openai.chat.completions.create({ model: LLAMA, messages: [{ role: 'user', content: 'before' }] });
    emulator.clearTranscript();
    emulator.revokeTokens({ clients: true });

    const chatError = await openai.chat.completions.create({ model: LLAMA, messages: [{ role: 'user', content: 'x' }] }).catch((reason: unknown) => reason);
    expect(chatError).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((chatError as Error).message).toMatch(/Databricks authentication failed: .*invalid_client/);
    expect((chatError as Error).message).toContain('databricks auth login');

    const anthropic = new Anthropic({ apiKey: 'local', baseURL: proxy.url, maxRetries: 0 });
    const streamError = await anthropic.messages
      .stream({ model: CLAUDE, max_tokens: 16, messages: [{ role: 'user', content: 'x' }] })
      .finalMessage()
      .catch((reason: unknown) => reason);
    expect(streamError).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(streamError).toMatchObject({ status: 401, error: { type: 'error', error: { type: 'authentication_error' } } });

    // The first request: its call refused (the old token), one forced refresh refused, no retry. The
    // second: no valid token to send, so one token request and no inference call at all.
    expect(inference().map((entry) => entry.status)).toEqual([401]);
    expect(emulator.counters.tokenRequests).toBe(2);
    const records = logs.records();
    expect(records.filter((record) => record.msg === 'request failed'), 'not an internal error').toEqual([]);
    const summaries = records.filter((record) => record.msg === 'request');
    expect(summaries.map((record) => record.status)).toEqual([200, 401, 401]);
    expect(summaries.slice(1).map((record) => record.error)).toEqual([expect.stringContaining('Databricks authentication failed'), expect.stringContaining('Databricks authentication failed')]);
    expect(logs.lines.join('\n')).not.toContain(EMULATOR_DEMO_CLIENT.clientSecret);
  });
});

describe('personal access token revoked', () => {
  it('reaches the client as a 401 in its dialect, after exactly one refresh and one retry', async () => {
    const stack = await startStack();
    try {
      stack.emulator.clearTranscript();
      stack.emulator.revokeTokens({ pats: true });
      const anthropic = new Anthropic({ apiKey: 'local', baseURL: stack.proxy.url, maxRetries: 0 });
      const error = await anthropic.messages.create({ model: CLAUDE, max_tokens: 16, messages: [{ role: 'user', content: 'x' }] }).catch((reason: unknown) => reason);
      expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
      expect(error).toMatchObject({ status: 401, error: { type: 'error', error: { type: 'authentication_error' } } });

      const openai = new OpenAI({ apiKey: 'local', baseURL: stack.openaiBaseUrl, maxRetries: 0 });
      await expect(openai.responses.create({ model: GPT, input: 'x' })).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
      expect(stack.emulator.transcript.filter((entry) => entry.method === 'POST').map((entry) => entry.status)).toEqual([401, 401, 401, 401]);
    } finally {
      await stack.close();
    }
  });
});
