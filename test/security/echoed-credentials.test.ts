import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigSchema, type ConfigInput } from '../../src/config/schema.js';
import { EMULATOR_DEMO_CLIENT, EMULATOR_DEMO_PAT, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { createLogger } from '../../src/logging/logger.js';
import { startProxy } from '../../src/server/start.js';
import { isolateDatabricksEnv } from '../helpers/isolated-env.js';
import { findLeaks } from '../helpers/log-scan.js';
import { rawRequest } from '../helpers/raw-http.js';
import { LogCapture } from '../helpers/stack.js';

/**
 * A workspace that quotes, in every error it writes, the credentials its
 * request carried (the emulator's `echo-credentials` switch): no credential,
 * in any spelling, reaches a client, stderr or a log line, on any path an
 * upstream message travels (start-up, catalog refresh, token, probe,
 * inference, stream). The log lines also go to the suite-wide scan.
 */

isolateDatabricksEnv();

const PAIR = `${EMULATOR_DEMO_CLIENT.clientId}:${EMULATOR_DEMO_CLIENT.clientSecret}`;
/** Every spelling of the test credentials a careless server could write back. */
const SPELLINGS = [
  EMULATOR_DEMO_PAT,
  EMULATOR_DEMO_CLIENT.clientSecret,
  Buffer.from(PAIR).toString('base64').replace(/=+$/, ''),
  Buffer.from(PAIR).toString('base64url'),
  Buffer.from(EMULATOR_DEMO_PAT).toString('base64').replace(/=+$/, ''),
];

function expectClean(text: string, where: string): void {
  for (const spelling of SPELLINGS) expect(text.includes(spelling), `${where} holds ${spelling.slice(0, 6)}…`).toBe(false);
  expect(findLeaks(text, SPELLINGS), where).toEqual([]);
}

const running: { close(): Promise<void> }[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const item of running.splice(0).reverse()) await item.close();
});

async function echoingEmulator(faults: string[] = [], options: { aiGateway?: boolean } = {}): Promise<RunningEmulator> {
  const emulator = await startEmulator({ faults: ['echo-credentials', ...faults], ...options });
  running.push(emulator);
  return emulator;
}

type Auth = 'pat' | 'm2m';
const databricksFor = (auth: Auth, host: string) =>
  auth === 'pat' ? { host, token: EMULATOR_DEMO_PAT } : { host, clientId: EMULATOR_DEMO_CLIENT.clientId, clientSecret: EMULATOR_DEMO_CLIENT.clientSecret };

async function proxyOn(emulator: RunningEmulator, auth: Auth, config: ConfigInput = {}) {
  const logs = new LogCapture();
  const proxy = await startProxy(ConfigSchema.parse({ port: 0, databricks: databricksFor(auth, emulator.url), ...config }), createLogger('info', logs));
  running.push(proxy);
  return { proxy, logs };
}

const chat = (stream: boolean) =>
  JSON.stringify({ model: 'databricks-meta-llama-3-3-70b-instruct', messages: [{ role: 'user', content: 'echo' }], stream });
const messages = (stream: boolean) =>
  JSON.stringify({ model: 'databricks-claude-sonnet-4-6', max_tokens: 32, messages: [{ role: 'user', content: 'echo' }], stream });

describe.each(['pat', 'm2m'] as const)('a workspace echoing credentials (%s)', (auth) => {
  it('start-up: a failed catalog listing is reported without the credential', async () => {
    const emulator = await echoingEmulator(['catalog-unavailable']);
    const failure = await proxyOn(emulator, auth, { upstream: { maxAttempts: 1 } }).then(
      () => 'started',
      (error: Error) => error.message,
    );
    expect(failure).toMatch(/Could not list the workspace's serving endpoints \(HTTP 503\): The service is temporarily unavailable\. \(the request carried Authorization: Bearer \[redacted\]\)/);
    expectClean(failure, 'the start-up error');
  });

  it('catalog refresh: the warning quotes the failure without the credential', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const emulator = await echoingEmulator();
    const { logs } = await proxyOn(emulator, auth, { catalog: { refreshSeconds: 10 }, upstream: { maxAttempts: 1 } });
    emulator.setFaults(['echo-credentials', 'catalog-unavailable']);
    vi.advanceTimersByTime(10_000);
    await vi.waitFor(() => expect(logs.lines.join('\n')).toContain('discovery source failed'));
    expectClean(logs.lines.join('\n'), 'the refresh warning');
  });

  it('inference and stream: relayed upstream errors reach the client and the log without the credential', async () => {
    const emulator = await echoingEmulator();
    const { proxy, logs } = await proxyOn(emulator, auth, { upstream: { maxAttempts: 1 } });
    emulator.setFaults(['echo-credentials', 'rate-limit']);
    for (const [path, body] of [
      ['/v1/chat/completions', chat],
      ['/v1/messages', messages],
    ] as const) {
      for (const stream of [false, true]) {
        const answer = await rawRequest(proxy.url, {
          method: 'POST',
          path,
          headers: { 'anthropic-version': '2023-06-01' },
          body: body(stream),
        });
        expect(answer.status).toBe(429);
        expect(answer.text).toContain('the request carried Authorization: Bearer [redacted]');
        expectClean(answer.text, `${path} (stream: ${stream})`);
      }
    }
    expectClean(logs.lines.join('\n'), 'the log');
  });
});

describe('a token endpoint echoing the client credentials it was sent', () => {
  it('the 401 the client gets, and the log, hold no spelling of the client secret', async () => {
    const emulator = await echoingEmulator();
    const { proxy, logs } = await proxyOn(emulator, 'm2m');
    emulator.revokeTokens({ clients: true });
    proxy.workspace.auth.invalidate(proxy.workspace.auth.lastAuthorization ?? '');
    for (const [path, body] of [
      ['/v1/chat/completions', chat(false)],
      ['/v1/messages', messages(true)],
    ] as const) {
      const answer = await rawRequest(proxy.url, { method: 'POST', path, headers: { 'anthropic-version': '2023-06-01' }, body });
      expect(answer.status).toBe(401);
      expect(answer.text).toContain('Client authentication failed (the request carried Authorization: Basic [redacted]; decoded: [redacted]');
      expectClean(answer.text, `the 401 on ${path}`);
    }
    expectClean(logs.lines.join('\n'), 'the log');
  });

  it('at start: the start-up error holds no spelling of the client secret', async () => {
    const emulator = await echoingEmulator();
    emulator.revokeTokens({ clients: true });
    const failure = await proxyOn(emulator, 'm2m').then(
      () => 'started',
      (error: Error) => error.message,
    );
    expect(failure).toMatch(/Cannot authenticate to Databricks: .*Client authentication failed/);
    expectClean(failure, 'the start-up error');
  });
});

describe('the readiness probe of a workspace that refuses the PAT, echoing it', () => {
  it('/ready and its log line name the refusal without the credential', async () => {
    const emulator = await echoingEmulator();
    const { proxy, logs } = await proxyOn(emulator, 'pat', { health: { probeSeconds: 1 }, upstream: { maxAttempts: 1 } });
    emulator.revokeTokens({ pats: true });
    let text = '';
    await vi.waitFor(
      async () => {
        text = await (await fetch(`${proxy.url}/ready`)).text();
        expect(text).toContain('stopped answering');
      },
      { timeout: 5_000, interval: 200 },
    );
    expect(text).toContain('the request carried Authorization: Bearer [redacted]');
    expectClean(text, '/ready');
    expectClean(logs.lines.join('\n'), 'the log');
  });
});

describe('the AI Gateway probe on a workspace without the gateway, echoing', () => {
  it('chooses Model Serving and logs nothing secret', async () => {
    const emulator = await echoingEmulator([], { aiGateway: false });
    const { proxy, logs } = await proxyOn(emulator, 'pat');
    expect(proxy.workspace.surface).toBe('model-serving');
    expectClean(logs.lines.join('\n'), 'the log');
  });
});
