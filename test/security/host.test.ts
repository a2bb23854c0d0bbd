import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hostNameOf, isLoopbackHostHeader } from '../../src/net/host-header.js';
import { rawRequest } from '../helpers/raw-http.js';
import { LOCAL_API_KEY } from '../helpers/secrets.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { ALL_ROUTES, expectDialectError, INFERENCE_ROUTES, requestOf } from './routes.js';

/**
 * DNS rebinding: a page on evil.example re-points its own name at 127.0.0.1
 * and calls the proxy as "same origin". Its requests still say
 * `Host: evil.example`, so a proxy bound to loopback refuses every Host that
 * is not a loopback name.
 */
const LOOPBACK_HOSTS = ['localhost', 'localhost:8420', 'LocalHost:1', '127.0.0.1', '127.0.0.1:8420', '127.1.2.3:9', '[::1]', '[::1]:8420'];
const FOREIGN_HOSTS = ['evil.example', 'evil.example:8420', '127.0.0.1.nip.io', 'localhost.evil.example', '10.0.0.5:8420', '[::2]:8420', '0.0.0.0:8420'];

describe('Host header names', () => {
  it('strips the port, keeps IPv6 brackets', () => {
    expect(hostNameOf('localhost:8420')).toBe('localhost');
    expect(hostNameOf('[::1]:8420')).toBe('[::1]');
    expect(hostNameOf('127.0.0.1')).toBe('127.0.0.1');
  });

  it.each(LOOPBACK_HOSTS)('%s is loopback', (host) => expect(isLoopbackHostHeader(host)).toBe(true));
  it.each([...FOREIGN_HOSTS, '', undefined])('%s is not', (host) => expect(isLoopbackHostHeader(host)).toBe(false));
});

describe('a proxy bound to loopback', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.emulator.clearTranscript());

  describe.each(ALL_ROUTES)('$name', (route) => {
    it('refuses a foreign Host with 403 in the route dialect, before the upstream', async () => {
      for (const host of FOREIGN_HOSTS) {
        expectDialectError(route, await rawRequest(stack.proxy.url, requestOf(route, { host })), 403, /Host/);
      }
      expect(stack.emulator.counters.inference).toBe(0);
    });

    it('serves every loopback Host, any port', async () => {
      for (const host of LOOPBACK_HOSTS) {
        const response = await rawRequest(stack.proxy.url, requestOf(route, { host }));
        expect(response.status, `${host}: ${response.text}`).toBe(200);
      }
    });
  });

  it('refuses a foreign Host on the probes too', async () => {
    expect((await rawRequest(stack.proxy.url, { path: '/health', headers: { host: 'evil.example' } })).status).toBe(403);
    expect((await rawRequest(stack.proxy.url, { method: 'HEAD', path: '/', headers: { host: 'evil.example' } })).status).toBe(403);
  });
});

describe('a proxy bound to loopback with API keys', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ config: { server: { apiKeys: [LOCAL_API_KEY] } } });
  });
  afterAll(() => stack.close());

  it.each(INFERENCE_ROUTES)('$name: still refuses a foreign Host, even with a valid key', async (route) => {
    const response = await rawRequest(stack.proxy.url, requestOf(route, { host: 'evil.example', authorization: `Bearer ${LOCAL_API_KEY}` }));
    expectDialectError(route, response, 403, /Host/);
  });
});
