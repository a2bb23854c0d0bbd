import { readdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '../helpers/raw-http.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { LLAMA, requestBody } from './routes.js';

/**
 * Clients that hold connections without finishing a request: each used to
 * keep its socket (and a file descriptor on each side) for as long as it
 * liked. server.requestTimeoutMs bounds the time to send a request (408, then
 * the connection is closed) and server.maxConnections the sockets held at
 * once; a legitimate client is served meanwhile.
 */
const TRICKLERS = 2_500;
const REQUEST_TIMEOUT_MS = 1_000;
/** Opening thousands of sockets takes seconds on a busy machine: they must all be open before the first times out. */
const FLOOD_TIMEOUT_MS = 10_000;

interface Trickler {
  socket: Socket;
  closed: boolean;
}

/** Opens a connection that announces a 10 KB chat body and sends one byte of it every 500 ms. */
function trickle(port: number): Promise<Trickler> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const trickler: Trickler = { socket, closed: false };
    let timer: NodeJS.Timeout | undefined;
    socket.on('error', () => undefined);
    socket.on('close', () => {
      trickler.closed = true;
      clearInterval(timer);
    });
    socket.on('connect', () => {
      socket.write('POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n{');
      timer = setInterval(() => socket.write(' '), 500);
      resolve(trickler);
    });
  });
}

const openDescriptors = (): number => readdirSync('/proc/self/fd').length;

async function chat(stack: Stack): Promise<number> {
  const response = await rawRequest(stack.proxy.url, {
    method: 'POST',
    path: '/v1/chat/completions',
    body: JSON.stringify(requestBody({ client: 'chat', model: LLAMA }, 'hi', false)),
  });
  return response.status;
}

describe('request timeout', () => {
  let stack: Stack;
  let tricklers: Trickler[] = [];
  beforeAll(async () => {
    stack = await startStack({ config: { server: { requestTimeoutMs: REQUEST_TIMEOUT_MS } } });
  });
  afterEach(() => {
    for (const { socket } of tricklers) socket.destroy();
    tricklers = [];
  });
  afterAll(() => stack.close());

  it('a trickler is told why: 408', async () => {
    const port = Number(new URL(stack.proxy.url).port);
    const trickler = await trickle(port);
    tricklers.push(trickler);
    let answer = '';
    trickler.socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    await expect.poll(() => trickler.closed, { timeout: REQUEST_TIMEOUT_MS * 5, interval: 100 }).toBe(true);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('a stream that lasts longer than the request timeout is not cut: the limit is on the request, not the answer', async () => {
    stack.emulator.setFaults(['slow-drip']);
    try {
      const started = performance.now();
      const response = await fetch(`${stack.proxy.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(requestBody({ client: 'chat', model: LLAMA }, 'please answer at some length', true)),
      });
      const text = await response.text();
      expect(performance.now() - started).toBeGreaterThan(REQUEST_TIMEOUT_MS);
      expect(text).toContain('data: [DONE]');
    } finally {
      stack.emulator.setFaults([]);
    }
  });
});

describe('a flood of trickling connections', () => {
  let stack: Stack;
  let tricklers: Trickler[] = [];
  beforeAll(async () => {
    stack = await startStack({ config: { server: { requestTimeoutMs: FLOOD_TIMEOUT_MS } } });
  });
  afterAll(async () => {
    for (const { socket } of tricklers) socket.destroy();
    await stack.close();
  });

  it(`${TRICKLERS} connections trickling a body are closed after the timeout; a legitimate client is served meanwhile`, async () => {
    const port = Number(new URL(stack.proxy.url).port);
    const before = openDescriptors();
    for (let opened = 0; opened < TRICKLERS; opened += 250) {
      tricklers.push(...(await Promise.all(Array.from({ length: 250 }, () => trickle(port)))));
    }
    // Both ends of every connection are in this process, once the proxy has accepted them all.
    await expect.poll(() => openDescriptors() - before, { timeout: 5_000, interval: 100 }).toBeGreaterThanOrEqual(TRICKLERS * 2);
    expect(await chat(stack)).toBe(200);
    expect(tricklers.filter((trickler) => trickler.closed)).toHaveLength(0);

    await expect.poll(() => tricklers.filter((trickler) => trickler.closed).length, { timeout: FLOOD_TIMEOUT_MS * 3, interval: 250 }).toBe(TRICKLERS);
    expect(openDescriptors() - before).toBeLessThan(100);
    expect(await chat(stack)).toBe(200);
  }, 90_000);
});

describe('connection limit', () => {
  let stack: Stack;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    stack = await startStack({ config: { server: { maxConnections: 20, requestTimeoutMs: REQUEST_TIMEOUT_MS } } });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await stack.close();
  });

  it('connections past server.maxConnections are closed as they open; once the held ones time out, clients are served again', async () => {
    const port = Number(new URL(stack.proxy.url).port);
    const tricklers = await Promise.all(Array.from({ length: 60 }, () => trickle(port)));
    sockets.push(...tricklers.map(({ socket }) => socket));
    await expect.poll(() => tricklers.filter((trickler) => trickler.closed).length, { timeout: 1_000, interval: 50 }).toBe(40);
    await expect.poll(() => tricklers.filter((trickler) => trickler.closed).length, { timeout: REQUEST_TIMEOUT_MS * 5, interval: 250 }).toBe(60);
    expect(await chat(stack)).toBe(200);
  });
});
