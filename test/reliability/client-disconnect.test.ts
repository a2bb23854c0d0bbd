import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.js';
import { INBOUND_PATH, requestBody, ROUTES, routeName, summaryLine } from './routes.js';

/**
 * A client that goes away mid-stream must stop the upstream call at once: the
 * model may otherwise keep generating (and billing) for minutes. The emulator
 * records when its caller (the proxy) closed the connection; the test and the
 * emulator share this process's clock.
 */
const CLOSE_WITHIN_MS = 100;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
  // 200 ms between frames (SLOW_DRIP_MS): a proxy that only noticed the client was gone at the next frame would be too late.
  stack.emulator.setFaults(['slow-drip']);
  // One untimed round first: the first abort in a fresh process pays for compiling its code paths (~15 ms here).
  const warmUp = await startStream(ROUTES[0]!);
  warmUp.leave();
  await vi.waitFor(() => expect(stack.emulator.closedByClient).toHaveLength(1));
});
afterAll(() => stack.close());
beforeEach(() => stack.emulator.clearTranscript());

/** Starts a stream and reads its first bytes; `leave()` then drops the connection, as a client that quits does. */
async function startStream(route: (typeof ROUTES)[number]): Promise<{ leave(): void }> {
  const controller = new AbortController();
  const response = await fetch(`${stack.proxy.url}${INBOUND_PATH[route.client]}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer local', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify(requestBody(route, 'a long and slow answer please', true)),
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  const first = await response.body!.getReader().read();
  expect(first.done).toBe(false);
  return { leave: () => controller.abort() };
}

describe('client disconnect', () => {
  it.each(ROUTES.map((route) => [routeName(route), route] as const))('%s: the upstream connection closes within 100 ms', async (_name, route) => {
    const stream = await startStream(route);
    const leftAt = performance.now();
    stream.leave();
    await expect.poll(() => stack.emulator.closedByClient.length, { interval: 5, timeout: 2_000 }).toBe(1);
    const closed = stack.emulator.closedByClient[0]!;
    expect(closed.fault).toBe('slow-drip');
    expect(closed.at - leftAt).toBeLessThan(CLOSE_WITHIN_MS);

    await expect.poll(() => (summaryLine(stack.logs.lines, INBOUND_PATH[route.client])?.stream as { clientGone?: boolean } | undefined)?.clientGone).toBe(true);
  });
});
