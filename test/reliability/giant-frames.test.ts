import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GIANT_FRAME_BYTES } from '../../src/emulator/fault-injection.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { callWithSdk, endsAsFailed, isJson, ROUTES, routeName, sendRaw, sseEvents, streamError, streamWithSdk } from './routes.js';

/**
 * An upstream event (or a whole answer) is held whole by the proxy, so its
 * size is capped (upstream.maxFrameBytes): one that never ends, or one past
 * the cap, ends the answer with the client dialect's error, and the upstream
 * connection is let go. Bytes that keep coming fire no idle timeout, so before
 * the cap such an answer grew the proxy's memory until the client gave up.
 * Under the cap, a giant event goes through whole (the frame splitter is
 * linear: a 40 MB event used to take minutes to split).
 */
const CAP = 4 * 1024 * 1024;
const TOO_LARGE = /larger than 4 MB \(upstream\.maxFrameBytes\)/;

describe('a frame that never ends, or one past the cap', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ config: { upstream: { maxFrameBytes: CAP } } });
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.emulator.clearTranscript());
  afterAll(() => stack.emulator.setFaults([]));

  describe.each(['endless-frame', 'giant-frame'])('%s', (fault) => {
    beforeAll(() => stack.emulator.setFaults([fault]));

    it.each(ROUTES.map((route) => [routeName(route), route] as const))('streamed, %s: the dialect error event ends it', async (_name, route) => {
      await expect(streamWithSdk(stack.proxy.url, route, 'please answer at some length')).rejects.toThrow(TOO_LARGE);
      const raw = await sendRaw(stack.proxy.url, route, 'please answer at some length', true);
      expect(raw.status).toBe(200);
      expect(endsAsFailed(route.client, raw.text)).toBe(true);
      expect(streamError(route.client, raw.text)?.message).toMatch(TOO_LARGE);
      expect(sseEvents(raw.text).filter((event) => !isJson(event.data))).toEqual([]);
      // Nothing of the oversized event reached the client.
      expect(raw.text.length).toBeLessThan(64 * 1024);
      // The upstream's connection was let go: the emulator saw its caller hang up.
      await expect.poll(() => stack.emulator.closedByClient.some((close) => close.fault === fault)).toBe(true);
    });

    it.each(ROUTES.map((route) => [routeName(route), route] as const))('whole, %s: a 502 in the dialect', async (_name, route) => {
      const raw = await sendRaw(stack.proxy.url, route, 'hi', false);
      expect(raw.status).toBe(502);
      const body = JSON.parse(raw.text) as { type?: string; error: { type: string; message: string } };
      expect(body.error.message).toMatch(TOO_LARGE);
      if (route.client === 'messages') expect(body).toMatchObject({ type: 'error', error: { type: 'api_error' } });
    });
  });
});

describe('a giant frame under the cap', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ config: { upstream: { maxFrameBytes: GIANT_FRAME_BYTES + 1024 * 1024 } } });
    stack.emulator.setFaults(['giant-frame']);
  });
  afterAll(() => stack.close());

  // A passthrough route with a stream repair parses every frame; a translated one decodes it: both see the 40 MB event whole.
  it.each(ROUTES.filter((route) => route.client === 'chat').map((route) => [routeName(route), route] as const))('%s: the answer arrives whole, streamed and not', async (_name, route) => {
    const streamed = await streamWithSdk(stack.proxy.url, route, 'please answer at some length');
    expect(streamed.length).toBeGreaterThan(0);
    expect(await callWithSdk(stack.proxy.url, route, 'please answer at some length')).toBe(streamed);
  });
});
