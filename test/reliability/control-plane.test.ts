import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigSchema, type ConfigInput } from '../../src/config/schema.js';
import { EMULATOR_DEMO_CLIENT, EMULATOR_DEMO_PAT, startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/index.js';
import { createLogger } from '../../src/logging/logger.js';
import { startProxy, type RunningProxy } from '../../src/server/start.js';
import { isolateDatabricksEnv } from '../helpers/isolated-env.js';
import { rawRequest } from '../helpers/raw-http.js';
import { LogCapture } from '../helpers/stack.js';
import { INBOUND_PATH, LLAMA, requestBody, type ClientApi } from './routes.js';

/**
 * The calls the proxy makes on its own behalf (a token, OIDC discovery, the
 * catalog listing, the AI Gateway probe), against a workspace whose services
 * hang, crawl, answer empty or refuse, through the emulator's control-plane
 * fault switches (src/emulator/control-plane-faults.ts).
 */

isolateDatabricksEnv();

const CATALOG = '/api/2.0/serving-endpoints';
const TOKEN = '/oidc/v1/token';
const running: { close(): Promise<void> }[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const item of running.splice(0).reverse()) await item.close();
});

interface Started {
  emulator: RunningEmulator;
  proxy: RunningProxy;
  logs: LogCapture;
}

/** The emulator and a proxy on it; `m2m` authenticates with OAuth M2M (tokens stale after ~1 s: 41 s lifetime, refreshed 40 s early). */
async function start(options: { m2m?: boolean; emulator?: EmulatorOptions; config?: ConfigInput } = {}): Promise<Started> {
  const emulator = await startEmulator({ ...(options.m2m ? { tokenExpiresInSeconds: 41 } : {}), ...options.emulator });
  running.push(emulator);
  const databricks = options.m2m
    ? { host: emulator.url, clientId: EMULATOR_DEMO_CLIENT.clientId, clientSecret: EMULATOR_DEMO_CLIENT.clientSecret }
    : { host: emulator.url, token: EMULATOR_DEMO_PAT };
  const logs = new LogCapture();
  const proxy = await startProxy(ConfigSchema.parse({ port: 0, databricks, ...options.config }), createLogger('info', logs));
  running.push(proxy);
  return { emulator, proxy, logs };
}

/** One non-streamed request on a route, with how long its answer took. */
async function timed(proxyUrl: string, client: ClientApi, prompt: string) {
  const started = performance.now();
  const response = await rawRequest(proxyUrl, {
    method: 'POST',
    path: INBOUND_PATH[client],
    headers: { 'anthropic-version': '2023-06-01' },
    body: JSON.stringify(requestBody({ client, model: LLAMA }, prompt, false)),
  });
  return { ...response, ms: performance.now() - started, body: JSON.parse(response.text) as Record<string, unknown> };
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a token endpoint that never answers (defect 1)', () => {
  it('fails each waiting request within upstream.controlPlaneTimeoutMs with a 504 naming the token endpoint, in its dialect, then recovers', async () => {
    const { emulator, proxy } = await start({ m2m: true, config: { upstream: { controlPlaneTimeoutMs: 800 } } });
    await wait(1_100);
    emulator.setFaults(['token-hang']);
    emulator.clearTranscript();

    const [chat, messages] = await Promise.all([timed(proxy.url, 'chat', 'hung token'), timed(proxy.url, 'messages', 'hung token')]);
    for (const answer of [chat, messages]) {
      expect(answer.status).toBe(504);
      expect(answer.ms).toBeLessThan(800 + 700);
      expect(answer.text).toContain(`${emulator.url}${TOKEN} did not answer`);
      expect(answer.text).toContain('upstream.controlPlaneTimeoutMs (800 ms)');
    }
    expect(chat.body).toMatchObject({ error: { type: expect.any(String), message: expect.any(String) } });
    expect(messages.body).toMatchObject({ type: 'error', error: { type: 'timeout_error' } });
    // The two requests shared one token request, and the health page still answers.
    expect(emulator.counters.byPath[TOKEN]).toBe(1);
    expect((await rawRequest(proxy.url, { path: '/health' })).status).toBe(200);

    // The endpoint recovers: the failed refresh was cleared, so the next request asks again and succeeds.
    emulator.setFaults([]);
    const after = await timed(proxy.url, 'chat', 'token back');
    expect(after.status, after.text).toBe(200);
    expect(emulator.counters.byPath[TOKEN]).toBe(2);
  });

  it("a request's own deadline ends its wait for a token sooner than the token's limit", async () => {
    const { emulator, proxy } = await start({ m2m: true, config: { upstream: { controlPlaneTimeoutMs: 10_000, totalTimeoutMs: 400 } } });
    await wait(1_100);
    emulator.setFaults(['token-hang']);
    const answer = await timed(proxy.url, 'chat', 'deadline first');
    expect(answer.status).toBe(504);
    expect(answer.text).toContain('upstream.totalTimeoutMs (400 ms)');
    expect(answer.ms).toBeLessThan(400 + 600);
  });

  it('OIDC discovery that never answers fails the start within the limit, naming the discovery URL', async () => {
    const emulator = await startEmulator({ faults: ['oidc-hang'] });
    running.push(emulator);
    const started = performance.now();
    const config = ConfigSchema.parse({
      port: 0,
      databricks: { host: emulator.url, clientId: EMULATOR_DEMO_CLIENT.clientId, clientSecret: EMULATOR_DEMO_CLIENT.clientSecret },
      upstream: { controlPlaneTimeoutMs: 600 },
    });
    await expect(startProxy(config, createLogger('silent'))).rejects.toThrow(/controlPlaneTimeoutMs \(600 ms\): .*oauth-authorization-server did not answer/);
    expect(performance.now() - started).toBeLessThan(600 + 900);
  });

  it('a catalog listing or a gateway probe that never answers is bounded too: the start fails, or chooses Model Serving, within the limit', async () => {
    const hungCatalog = await startEmulator({ faults: ['catalog-hang'] });
    running.push(hungCatalog);
    const config = (host: string) => ConfigSchema.parse({ port: 0, databricks: { host, token: EMULATOR_DEMO_PAT }, upstream: { controlPlaneTimeoutMs: 500 } });
    let started = performance.now();
    await expect(startProxy(config(hungCatalog.url), createLogger('silent'))).rejects.toThrow(/controlPlaneTimeoutMs \(GET \/api\/2\.0\/serving-endpoints\) \(500 ms\)/);
    expect(performance.now() - started).toBeLessThan(500 + 900);

    const hungProbe = await startEmulator({ faults: ['gateway-listing-hang'] });
    running.push(hungProbe);
    started = performance.now();
    const proxy = await startProxy(config(hungProbe.url), createLogger('silent'));
    running.push(proxy);
    expect(performance.now() - started).toBeLessThan(500 + 900);
    expect(proxy.workspace.surface).toBe('model-serving');
  });
});

describe('one refused token, one refresh (defect 9)', () => {
  // Tokens that live an hour: any token request here is a refresh the 401s caused.
  const longTokens = { m2m: true, emulator: { tokenExpiresInSeconds: 3600 } };

  it('concurrent 401s for one token during a slow refresh cause exactly one token request, now and later', async () => {
    const { emulator, proxy } = await start(longTokens);
    emulator.clearTranscript();
    emulator.revokeTokens();
    emulator.setFaults(['token-slow']);
    const answers = await Promise.all(Array.from({ length: 12 }, (_, index) => timed(proxy.url, 'chat', `burst ${index}`)));
    expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: 12 }, () => 200));
    expect(emulator.counters.tokenRequests).toBe(1);
    // Past the reuse window the proxy asks its credential chain again: the new token is still cached, nothing is fetched.
    await wait(1_200);
    expect((await timed(proxy.url, 'chat', 'later')).status).toBe(200);
    expect(emulator.counters.tokenRequests).toBe(1);
  });

  it('a second report of the refused token during the refresh, or a late one after it, starts no other fetch', async () => {
    const { emulator, proxy } = await start(longTokens);
    const { auth } = proxy.workspace;
    const refused = auth.lastAuthorization ?? '';
    emulator.clearTranscript();
    emulator.setFaults(['token-slow']);
    auth.invalidate(refused);
    const refresh = auth.authorization();
    auth.invalidate(refused); // during the refresh
    const fresh = await refresh;
    expect(fresh).not.toBe(refused);
    auth.invalidate(refused); // late: the token was already replaced
    await wait(1_200);
    expect(await auth.authorization()).toBe(fresh);
    expect(emulator.counters.tokenRequests).toBe(1);
  });
});

describe('catalog refresh (defect 10)', () => {
  /** A proxy whose catalog refresh timer the test drives (refreshSeconds: 10, interval faked). */
  async function startWithDrivenRefresh(config: ConfigInput = {}) {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const started = await start({ config: { catalog: { refreshSeconds: 10 }, ...config } });
    const tick = () => vi.advanceTimersByTime(10_000);
    return { ...started, tick };
  }
  const warnings = (logs: LogCapture) => logs.records().filter((line) => line.level === 40);

  it('an empty listing keeps the last good catalog and logs why', async () => {
    const { emulator, proxy, logs, tick } = await startWithDrivenRefresh();
    const before = proxy.workspace.catalog.entries().length;
    expect(before).toBeGreaterThan(5);
    emulator.setFaults(['catalog-empty']);
    emulator.clearTranscript();
    tick();
    await vi.waitFor(() => expect(emulator.counters.byPath[CATALOG]).toBe(1));
    await vi.waitFor(() =>
      expect(warnings(logs)).toContainEqual(expect.objectContaining({ msg: 'discovery source listed no model; keeping its last good answer', source: 'serving-endpoints' })),
    );
    expect(proxy.workspace.catalog.entries()).toHaveLength(before);
    expect((await timed(proxy.url, 'chat', 'still known')).status).toBe(200);
  });

  it('a failed listing keeps the last good catalog and logs why', async () => {
    const { emulator, proxy, logs, tick } = await startWithDrivenRefresh({ upstream: { maxAttempts: 1 } });
    const before = proxy.workspace.catalog.entries().length;
    emulator.setFaults(['catalog-unavailable']);
    tick();
    await vi.waitFor(() =>
      expect(warnings(logs)).toContainEqual(expect.objectContaining({ msg: 'discovery source failed; keeping its last good answer', failure: 'HTTP 503' })),
    );
    expect(proxy.workspace.catalog.entries()).toHaveLength(before);
  });

  it('a listing that hangs: one refresh at a time, each ended by upstream.controlPlaneTimeoutMs, then the next one runs', async () => {
    const { emulator, proxy, logs, tick } = await startWithDrivenRefresh({ upstream: { controlPlaneTimeoutMs: 600 } });
    emulator.setFaults(['catalog-hang']);
    emulator.clearTranscript();
    tick();
    await vi.waitFor(() => expect(emulator.counters.byPath[CATALOG]).toBe(1));
    tick();
    tick();
    await wait(100);
    expect(emulator.counters.byPath[CATALOG]).toBe(1);
    await vi.waitFor(() => expect(warnings(logs)).toContainEqual(expect.objectContaining({ failure: expect.stringContaining('controlPlaneTimeoutMs') })), {
      timeout: 2_000,
    });
    emulator.setFaults([]);
    tick();
    await vi.waitFor(() => expect(emulator.counters.byPath[CATALOG]).toBe(2));
    expect(proxy.workspace.catalog.entries().length).toBeGreaterThan(5);
  });
});
