import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.js';
import { endsAsFailed, INBOUND_PATH, isJson, ROUTES, routeName, sendRaw, sseEvents, streamError, streamWithSdk, summaryLine } from './routes.js';

/**
 * A stream that breaks mid-way (the upstream disconnects, stalls, or sends a
 * frame that is not JSON) must end with the client dialect's error event and
 * terminal event, on every route, so the official SDKs reject it instead of
 * returning a truncated answer as complete. It is never retried (the client
 * has bytes already), and the usage seen so far reaches the log line.
 */
const IDLE_TIMEOUT_MS = 300;

/** What each fault must look like to the client: OpenAI's error type / code, Anthropic's error type, a word of the message. */
const FAULTS = [
  { fault: 'disconnect-mid-stream', openaiType: 'server_error', openaiCode: 'upstream', anthropicType: 'api_error', message: /stream broke/ },
  { fault: 'stall', openaiType: 'server_error', openaiCode: 'timeout', anthropicType: 'timeout_error', message: /idle timeout/ },
  { fault: 'malformed-frame', openaiType: 'server_error', openaiCode: 'upstream', anthropicType: 'api_error', message: /not valid JSON/ },
] as const;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ config: { upstream: { idleTimeoutMs: IDLE_TIMEOUT_MS } } });
});
afterAll(() => stack.close());
beforeEach(() => stack.emulator.clearTranscript());

describe.each(FAULTS)('$fault', ({ fault, openaiType, openaiCode, anthropicType, message }) => {
  beforeAll(() => stack.emulator.setFaults([fault]));
  afterAll(() => stack.emulator.setFaults([]));

  it.each(ROUTES.map((route) => [routeName(route), route] as const))('%s', async (_name, route) => {
    // The SDK's own stream helper must reject, never resolve with half an answer.
    await expect(streamWithSdk(stack.proxy.url, route, 'please answer at some length')).rejects.toThrow(message);

    const raw = await sendRaw(stack.proxy.url, route, 'please answer at some length', true);
    expect(raw.status).toBe(200);
    expect(endsAsFailed(route.client, raw.text)).toBe(true);
    const error = streamError(route.client, raw.text);
    if (route.client === 'messages') expect(error).toMatchObject({ type: anthropicType, message: expect.stringMatching(message) });
    else expect(error).toMatchObject({ type: openaiType, code: openaiCode, message: expect.stringMatching(message) });
    // Whatever the upstream sent, every event the client got is whole JSON.
    expect(sseEvents(raw.text).filter((event) => !isJson(event.data))).toEqual([]);

    // One upstream attempt per client request: a stream that broke after its headers is never sent again.
    const attempts = stack.emulator.transcript.filter((entry) => entry.fault === fault);
    expect(attempts).toHaveLength(2);

    // The log line tells what happened, with the usage the stream showed before it broke.
    await expect.poll(() => summaryLine(stack.logs.lines, INBOUND_PATH[route.client])?.stream).toBeDefined();
    const stream = summaryLine(stack.logs.lines, INBOUND_PATH[route.client])?.stream as { failure?: unknown; usage?: { inputTokens?: number } };
    expect(stream.failure).toBeDefined();
    if (route.usageAtStart) expect(stream.usage?.inputTokens).toBeGreaterThan(0);
  });
});
