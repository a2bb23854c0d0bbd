import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.js';
import { moved, samples, scrape, total, type Scrape } from '../helpers/metrics.js';
import { CLAUDE, GEMINI, GPT, INBOUND_PATH, LLAMA, ROUTES, callWithSdk, routeName, sendRaw, sseEvents, streamWithSdk } from '../reliability/routes.js';

const FAMILY: Record<string, string> = { [CLAUDE]: 'claude', [GPT]: 'gpt', [LLAMA]: 'llama' };
const MODE = { passthrough: 'passthrough', translated: 'translate' } as const;

/**
 * /metrics, parsed with a Prometheus text parser: each request moves the
 * counters and histograms of its route, model, family, mode and outcome, and
 * the token counters move by what the emulator reported.
 */
describe('/metrics', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ config: { upstream: { maxAttempts: 2, maxRetryAfterMs: 10 } } });
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.emulator.setFaults([]));

  /** Scrapes until the request's record was read (it is read when the response closed, a moment after the client has it). */
  async function after(before: Scrape, requests: number): Promise<Scrape> {
    let now = before;
    await expect.poll(async () => {
      now = await scrape(stack.proxy.url);
      return moved(before, now, 'dbx_proxy_requests_total');
    }).toBe(requests);
    return now;
  }

  it.each(ROUTES)('$client → $model ($mode): a whole and a streamed answer are counted under their labels', async (route) => {
    const before = await scrape(stack.proxy.url);
    await callWithSdk(stack.proxy.url, route, `whole ${routeName(route)}`);
    await streamWithSdk(stack.proxy.url, route, `streamed ${routeName(route)}`);
    const now = await after(before, 2);
    const labels = { route: INBOUND_PATH[route.client], model: route.model, family: FAMILY[route.model] ?? '', mode: MODE[route.mode], status: '200', outcome: 'ok' };
    expect(moved(before, now, 'dbx_proxy_requests_total', labels)).toBe(2);
    const timing = { route: labels.route, model: route.model };
    expect(moved(before, now, 'dbx_proxy_request_duration_seconds_count', { ...timing, outcome: 'ok' })).toBe(2);
    expect(moved(before, now, 'dbx_proxy_time_to_first_byte_seconds_count', timing)).toBe(2);
    expect(moved(before, now, 'dbx_proxy_overhead_seconds_count', { route: labels.route, mode: labels.mode })).toBe(2);
    expect(moved(before, now, 'dbx_proxy_tokens_total', { model: route.model, kind: 'input' })).toBeGreaterThan(0);
    expect(moved(before, now, 'dbx_proxy_tokens_total', { model: route.model, kind: 'output' })).toBeGreaterThan(0);
    // A histogram's sum is in seconds and positive.
    expect(total(now, 'dbx_proxy_request_duration_seconds_sum', { ...timing, outcome: 'ok' })).toBeGreaterThan(0);
  });

  it('a Gemini client: counted under its route pattern, with its family and tokens, and in the totals', async () => {
    const before = await scrape(stack.proxy.url);
    const served = stack.proxy.observability.totals.requests;
    const response = await fetch(`${stack.proxy.url}/v1beta/models/${GEMINI}:generateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hello gemini' }] }] }),
    });
    const answer = (await response.json()) as { usageMetadata: { promptTokenCount: number } };
    const now = await after(before, 1);
    expect(moved(before, now, 'dbx_proxy_requests_total', { route: '/v1beta/models/*', model: GEMINI, family: 'gemini', status: '200', outcome: 'ok' })).toBe(1);
    expect(moved(before, now, 'dbx_proxy_tokens_total', { model: GEMINI, kind: 'input' })).toBe(answer.usageMetadata.promptTokenCount);
    expect(stack.proxy.observability.totals.requests).toBe(served + 1);
  });

  it('tokens equal the usage the emulator reported, whole answers and streams', async () => {
    const before = await scrape(stack.proxy.url);
    const chat = JSON.parse((await sendRaw(stack.proxy.url, { client: 'chat', model: LLAMA }, 'count my tokens please', false)).text) as {
      usage: { prompt_tokens: number; completion_tokens: number };
    };
    const messagesStream = sseEvents((await sendRaw(stack.proxy.url, { client: 'messages', model: CLAUDE }, 'and these streamed ones too', true)).text);
    const start = messagesStream.find((event) => event.event === 'message_start');
    const delta = messagesStream.filter((event) => event.event === 'message_delta').at(-1);
    const streamedInput = (JSON.parse(start?.data ?? '{}') as { message: { usage: { input_tokens: number } } }).message.usage.input_tokens;
    const streamedOutput = (JSON.parse(delta?.data ?? '{}') as { usage: { output_tokens: number } }).usage.output_tokens;
    const now = await after(before, 2);

    expect(chat.usage.prompt_tokens).toBeGreaterThan(0);
    expect(moved(before, now, 'dbx_proxy_tokens_total', { model: LLAMA, kind: 'input' })).toBe(chat.usage.prompt_tokens);
    expect(moved(before, now, 'dbx_proxy_tokens_total', { model: LLAMA, kind: 'output' })).toBe(chat.usage.completion_tokens);
    expect(moved(before, now, 'dbx_proxy_tokens_total', { model: CLAUDE, kind: 'input' })).toBe(streamedInput);
    expect(moved(before, now, 'dbx_proxy_tokens_total', { model: CLAUDE, kind: 'output' })).toBe(streamedOutput);
  });

  it('an upstream that keeps failing: upstream_error, a retry and an upstream error by status', async () => {
    stack.emulator.setFaults(['unavailable']);
    const before = await scrape(stack.proxy.url);
    const answer = await sendRaw(stack.proxy.url, { client: 'chat', model: LLAMA }, 'fail please', false);
    expect(answer.status).toBe(503);
    const now = await after(before, 1);
    expect(moved(before, now, 'dbx_proxy_requests_total', { route: INBOUND_PATH.chat, family: 'llama', status: '503', outcome: 'upstream_error' })).toBe(1);
    expect(moved(before, now, 'dbx_proxy_upstream_retries_total', { status: '503' })).toBe(1);
    expect(moved(before, now, 'dbx_proxy_upstream_errors_total', { status: '503' })).toBe(1);
  });

  it('a stream that breaks after its headers: upstream_error with status 200', async () => {
    stack.emulator.setFaults(['disconnect-mid-stream']);
    const before = await scrape(stack.proxy.url);
    await sendRaw(stack.proxy.url, { client: 'messages', model: CLAUDE }, 'break the stream', true);
    const now = await after(before, 1);
    expect(moved(before, now, 'dbx_proxy_requests_total', { route: INBOUND_PATH.messages, family: 'claude', status: '200', outcome: 'upstream_error' })).toBe(1);
  });

  it('an unknown model: client_error, with no model label (labels stay bounded)', async () => {
    const before = await scrape(stack.proxy.url);
    const answer = await sendRaw(stack.proxy.url, { client: 'responses', model: 'no-such-model-9f1c' }, 'who?', false);
    expect(answer.status).toBe(404);
    const now = await after(before, 1);
    expect(moved(before, now, 'dbx_proxy_requests_total', { route: INBOUND_PATH.responses, model: '', status: '404', outcome: 'client_error' })).toBe(1);
    const text = await (await fetch(`${stack.proxy.url}/metrics`)).text();
    expect(text).not.toContain('no-such-model-9f1c');
  });

  it('repairs by id, catalog size, token refreshes and active streams', async () => {
    const before = await scrape(stack.proxy.url);
    await callWithSdk(stack.proxy.url, { client: 'chat', model: CLAUDE }, 'repairs on a translated route');
    const now = await after(before, 1);
    const repaired = samples(now, 'dbx_proxy_repairs_total').filter((sample) => Number(sample.value) > 0);
    expect(repaired.length).toBeGreaterThan(0);
    expect(total(now, 'dbx_proxy_catalog_models')).toBe(stack.proxy.workspace.catalog.entries().length);
    expect(total(now, 'dbx_proxy_token_refreshes_total')).toBeGreaterThanOrEqual(1);
    expect(total(now, 'dbx_proxy_active_streams')).toBe(0);

    // A stream held open by a slow upstream shows while it runs.
    stack.emulator.setFaults(['slow-drip']);
    const running = sendRaw(stack.proxy.url, { client: 'chat', model: LLAMA }, 'a slow stream for the gauge', true);
    await expect.poll(async () => total(await scrape(stack.proxy.url), 'dbx_proxy_active_streams'), { timeout: 10_000 }).toBe(1);
    await running;
    await expect.poll(async () => total(await scrape(stack.proxy.url), 'dbx_proxy_active_streams')).toBe(0);
  });
});
