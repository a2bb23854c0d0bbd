import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RETRY_AFTER_SECONDS } from '../../src/emulator/fault-injection.js';
import { isRetryableError, parseRetryAfterMs, retryDelayMs, sleep } from '../../src/upstream/retry.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { CLAUDE, GPT, INBOUND_PATH, LLAMA, callWithSdk, streamWithSdk, summaryLine } from './routes.js';

/**
 * Retries happen before the first byte reaches the client, only: on 429,
 * 502, 503, 504 and connection failures, honouring Retry-After up to
 * upstream.maxRetryAfterMs, up to upstream.maxAttempts. The last failure
 * reaches the client in its dialect with the upstream's status and message.
 */
describe('retry policy', () => {
  const policy = { maxAttempts: 3, maxRetryAfterMs: 20, baseDelayMs: 250, maxDelayMs: 4_000 };

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfterMs('3', now)).toBe(3_000);
    expect(parseRetryAfterMs(' 1.5 ', now)).toBe(1_500);
    expect(parseRetryAfterMs('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfterMs('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
    expect(parseRetryAfterMs(undefined, now)).toBeUndefined();
  });

  it('waits what Retry-After asks, up to the cap; otherwise backs off exponentially with jitter', () => {
    expect(retryDelayMs(1, '1', policy)).toBe(20);
    expect(retryDelayMs(1, '0', policy)).toBe(0);
    expect(retryDelayMs(1, '1', { ...policy, maxRetryAfterMs: 30_000 })).toBe(1_000);
    expect(retryDelayMs(1, undefined, policy, 0, () => 0)).toBe(125);
    expect(retryDelayMs(1, undefined, policy, 0, () => 1)).toBe(250);
    expect(retryDelayMs(3, undefined, policy, 0, () => 1)).toBe(1_000);
    expect(retryDelayMs(9, undefined, policy, 0, () => 1)).toBe(4_000);
  });

  it('retries connection failures, never a headers timeout', () => {
    expect(isRetryableError(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isRetryableError(Object.assign(new Error('closed'), { code: 'UND_ERR_SOCKET' }))).toBe(true);
    expect(isRetryableError(new Error('fetch failed', { cause: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }) }))).toBe(true);
    expect(isRetryableError(Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' }))).toBe(false);
    expect(isRetryableError(new Error('anything else'))).toBe(false);
  });

  it('stops waiting when the request is aborted, with the abort reason', async () => {
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort(new Error('client gone'));
    await expect(waiting).rejects.toThrow('client gone');
  });
});

describe('retries through the proxy', () => {
  let stack: Stack;
  beforeAll(async () => {
    // Retry-After is 1 s; capped to 20 ms here so the tests stay quick.
    stack = await startStack({ config: { upstream: { maxAttempts: 3, maxRetryAfterMs: 20 } } });
  });
  afterAll(() => stack.close());
  beforeEach(() => {
    stack.emulator.setFaults([]);
    stack.emulator.clearTranscript();
  });

  const inferenceStatuses = () => stack.emulator.transcript.filter((entry) => entry.method === 'POST').map((entry) => entry.status);

  it('rate-limit*2: fails twice, then succeeds, invisibly to the client', async () => {
    stack.emulator.setFaults(['rate-limit*2']);
    expect(await callWithSdk(stack.proxy.url, { client: 'chat', model: LLAMA }, 'hello after throttling')).toContain('hello after throttling');
    expect(inferenceStatuses()).toEqual([429, 429, 200]);
    await expect.poll(() => summaryLine(stack.logs.lines, INBOUND_PATH.chat)?.retries).toBe(2);
  });

  it('unavailable*2 on a stream: the stream starts only once the upstream answered', async () => {
    stack.emulator.setFaults(['unavailable*2']);
    expect(await streamWithSdk(stack.proxy.url, { client: 'messages', model: CLAUDE }, 'streamed after 503s')).toContain('streamed after 503s');
    expect(inferenceStatuses()).toEqual([503, 503, 200]);
  });

  it('reset-before-headers*1: a connection reset before any answer is retried', async () => {
    stack.emulator.setFaults(['reset-before-headers*1']);
    expect(await streamWithSdk(stack.proxy.url, { client: 'responses', model: GPT }, 'after a reset')).toContain('after a reset');
    expect(inferenceStatuses()).toEqual([0, 200]);
  });

  it('a 429 that outlasts the attempts reaches an OpenAI client as its 429, with the upstream message and Retry-After', async () => {
    stack.emulator.setFaults(['rate-limit']);
    const client = new OpenAI({ apiKey: 'local', baseURL: stack.openaiBaseUrl, maxRetries: 0 });
    const error = await client.chat.completions.create({ model: LLAMA, messages: [{ role: 'user', content: 'x' }] }).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const rateLimit = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(rateLimit.status).toBe(429);
    expect(rateLimit.error).toMatchObject({ type: 'rate_limit_error', code: 'REQUEST_LIMIT_EXCEEDED', message: expect.stringContaining('rate limit') });
    expect(rateLimit.headers.get('retry-after')).toBe(String(RETRY_AFTER_SECONDS));
    expect(inferenceStatuses()).toEqual([429, 429, 429]);
  });

  it('a 503 that outlasts the attempts reaches an Anthropic client streaming as its 503, before any stream byte', async () => {
    stack.emulator.setFaults(['unavailable']);
    const client = new Anthropic({ apiKey: 'local', baseURL: stack.proxy.url, maxRetries: 0 });
    const stream = client.messages.stream({ model: CLAUDE, max_tokens: 64, messages: [{ role: 'user', content: 'x' }] });
    const error = await stream.finalMessage().catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    const apiError = error as InstanceType<typeof Anthropic.APIError>;
    expect(apiError.status).toBe(503);
    expect(apiError.error).toMatchObject({ type: 'error', error: { type: 'overloaded_error', message: expect.stringContaining('temporarily unavailable') } });
    expect(inferenceStatuses()).toEqual([503, 503, 503]);
  });
});

describe('retry limits', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ config: { upstream: { maxAttempts: 2, maxRetryAfterMs: 400 } } });
  });
  afterAll(() => stack.close());

  it('honours Retry-After up to the cap, and stops at maxAttempts', async () => {
    stack.emulator.setFaults(['rate-limit']);
    const started = performance.now();
    await expect(callWithSdk(stack.proxy.url, { client: 'responses', model: GPT }, 'x')).rejects.toMatchObject({ status: 429 });
    // A lower bound only: the one wait between the two attempts was Retry-After (1 s) capped to 400 ms.
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
    expect(stack.emulator.transcript.filter((entry) => entry.status === 429)).toHaveLength(2);
  });
});

describe('an unreachable workspace', () => {
  it('is retried, then reported as a 502 in the client dialect', async () => {
    const stack = await startStack({ config: { upstream: { maxAttempts: 2 } } });
    await stack.emulator.close();
    try {
      const client = new Anthropic({ apiKey: 'local', baseURL: stack.proxy.url, maxRetries: 0 });
      const error = await client.messages.create({ model: CLAUDE, max_tokens: 64, messages: [{ role: 'user', content: 'x' }] }).catch((reason: unknown) => reason);
      expect(error).toMatchObject({ status: 502, error: { type: 'error', error: { type: 'api_error', message: expect.stringMatching(/Could not reach the Databricks workspace/) } } });
      await expect.poll(() => summaryLine(stack.logs.lines, INBOUND_PATH.messages)?.retries).toBe(1);
    } finally {
      await stack.proxy.close();
    }
  });
});
