import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FaultState } from '../../src/emulator/fault-state.js';
import { FRAMES_BEFORE_FAULT, RETRY_AFTER_SECONDS, SLOW_DRIP_MS } from '../../src/emulator/fault-injection.js';
import { parseFaultSpec } from '../../src/emulator/faults.js';
import { EMULATOR_DEMO_CLIENT, EMULATOR_DEMO_PAT, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';

/**
 * The emulator's fault switches, driven directly (no proxy): each produces the
 * failure it promises, on the wire, and leaves a trace tests can read.
 */
let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
afterEach(() => {
  emulator.setFaults([]);
  emulator.clearTranscript();
});

const CHAT_PATH = '/serving-endpoints/chat/completions';
const LLAMA = 'databricks-meta-llama-3-3-70b-instruct';

function chat(options: { stream?: boolean; faults?: string; token?: string; signal?: AbortSignal } = {}): Promise<Response> {
  return fetch(`${emulator.url}${CHAT_PATH}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${options.token ?? EMULATOR_DEMO_PAT}`,
      ...(options.faults ? { 'x-dbx-emulator-faults': options.faults } : {}),
    },
    body: JSON.stringify({ model: LLAMA, messages: [{ role: 'user', content: 'tell me something' }], stream: options.stream ?? false }),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/** Every data frame's payload until the body ends or breaks; `broke` tells which. */
async function readFrames(response: Response, idleMs = 1_000): Promise<{ data: string[]; broke: boolean; idle: boolean }> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let broke = false;
  let idle = false;
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    const silence = new Promise<'idle'>((resolve) => (timer = setTimeout(() => resolve('idle'), idleMs)));
    try {
      const next = await Promise.race([reader.read(), silence]);
      if (next === 'idle') {
        idle = true;
        await reader.cancel();
        break;
      }
      if (next.done) break;
      text += decoder.decode(next.value, { stream: true });
    } catch {
      broke = true;
      break;
    } finally {
      clearTimeout(timer);
    }
  }
  const data = text
    .split('\n\n')
    .filter((frame) => frame.trim())
    .map((frame) => frame.replace(/^data: /m, ''));
  return { data, broke, idle };
}

const isJson = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

describe('fault specs', () => {
  it('parses ids with an optional count or percentage, and refuses anything else', () => {
    expect(parseFaultSpec('stall')).toEqual({ text: 'stall', id: 'stall' });
    expect(parseFaultSpec('rate-limit*2')).toEqual({ text: 'rate-limit*2', id: 'rate-limit', count: 2 });
    expect(parseFaultSpec('unavailable%12.5')).toEqual({ text: 'unavailable%12.5', id: 'unavailable', percent: 12.5 });
    for (const bad of ['nope', 'stall*0', 'stall%0', 'stall%101', 'stall*', 'stall*2%3', 'Stall']) expect(parseFaultSpec(bad)).toBeUndefined();
  });

  it('refuses an unknown switch with a 400 naming it and the accepted forms', async () => {
    const response = await chat({ faults: 'rate-limit*x' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error_code: string; message: string };
    expect(body.error_code).toBe('BAD_REQUEST');
    expect(body.message).toContain("'rate-limit*x'");
    expect(body.message).toContain('*N');
    expect(() => emulator.setFaults(['slow'])).toThrow(/Unknown emulator fault 'slow'/);
  });

  it('rolls the dice of id%P, and spends id*N budgets only on requests the fault can act on', () => {
    const state = new FaultState(() => 0.5);
    expect(state.choose(new Set(['stall%40']), true)).toBeUndefined();
    expect(state.choose(new Set(['stall%60']), true)).toBe('stall');
    // slow-drip cannot act on a JSON answer: its budget is kept for a stream.
    expect(state.choose(new Set(['slow-drip*1']), false)).toBeUndefined();
    expect(state.choose(new Set(['slow-drip*1']), true)).toBe('slow-drip');
    expect(state.choose(new Set(['slow-drip*1']), true)).toBeUndefined();
    state.refill();
    expect(state.choose(new Set(['slow-drip*1', 'stall']), true)).toBe('slow-drip');
    expect(state.choose(new Set(['slow-drip*1', 'stall']), true)).toBe('stall');
  });
});

describe('answers instead of the model', () => {
  it.each([
    ['rate-limit', 429, 'REQUEST_LIMIT_EXCEEDED'],
    ['unavailable', 503, 'TEMPORARILY_UNAVAILABLE'],
  ])('%s: %i in the Databricks error shape, with Retry-After', async (fault, status, code) => {
    const response = await chat({ faults: fault });
    expect(response.status).toBe(status);
    expect(response.headers.get('retry-after')).toBe(String(RETRY_AFTER_SECONDS));
    expect(await response.json()).toEqual({ error_code: code, message: expect.stringMatching(/\S/) });
    expect(emulator.transcript.at(-1)).toMatchObject({ path: CHAT_PATH, status, fault });
  });

  it('rate-limit*2 set globally fails the next two requests, then the budget is spent; setFaults refills it', async () => {
    emulator.setFaults(['rate-limit*2']);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await chat()).status);
    expect(statuses).toEqual([429, 429, 200]);
    emulator.setFaults(['rate-limit*2']);
    expect((await chat()).status).toBe(429);
  });

  it('reset-before-headers: the connection closes before any byte, and the transcript says so', async () => {
    await expect(chat({ faults: 'reset-before-headers' })).rejects.toThrow();
    expect(emulator.transcript.at(-1)).toMatchObject({ status: 0, fault: 'reset-before-headers' });
    expect(emulator.closedByClient).toHaveLength(0);
  });

  it('hang-before-headers: no byte ever comes; the caller giving up is recorded as a close by the client', async () => {
    await expect(chat({ faults: 'hang-before-headers', signal: AbortSignal.timeout(200) })).rejects.toThrow();
    await expect.poll(() => emulator.closedByClient.length).toBe(1);
    expect(emulator.closedByClient[0]).toMatchObject({ path: CHAT_PATH, fault: 'hang-before-headers' });
  });
});

describe('faults inside the answer', () => {
  it('disconnect-mid-stream: a few whole frames, then the connection breaks', async () => {
    const response = await chat({ stream: true, faults: 'disconnect-mid-stream' });
    expect(response.status).toBe(200);
    const { data, broke } = await readFrames(response);
    expect(broke).toBe(true);
    expect(data).toHaveLength(FRAMES_BEFORE_FAULT);
    expect(data.every(isJson)).toBe(true);
    expect(emulator.transcript.at(-1)).toMatchObject({ status: 200, streamed: true, fault: 'disconnect-mid-stream' });
    expect(emulator.closedByClient).toHaveLength(0);
  });

  it('disconnect-mid-stream on a JSON answer: half the body, then the connection breaks', async () => {
    const response = await chat({ faults: 'disconnect-mid-stream' });
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
  });

  it('stall: a few frames, then silence with the connection open until the caller leaves', async () => {
    const response = await chat({ stream: true, faults: 'stall' });
    const { data, broke, idle } = await readFrames(response, 300);
    expect({ broke, idle }).toEqual({ broke: false, idle: true });
    expect(data).toHaveLength(FRAMES_BEFORE_FAULT);
    await expect.poll(() => emulator.closedByClient.length).toBe(1);
    expect(emulator.closedByClient[0]?.fault).toBe('stall');
  });

  it('slow-drip: the whole stream, its frames paced apart', async () => {
    const plain = await readFrames(await chat({ stream: true }));
    const started = performance.now();
    const slow = await readFrames(await chat({ stream: true, faults: 'slow-drip' }));
    const elapsed = performance.now() - started;
    expect(slow.data).toHaveLength(plain.data.length);
    expect(slow.data.at(-1)).toBe('[DONE]');
    // A lower bound only: the pauses are there, however slow the machine.
    expect(elapsed).toBeGreaterThanOrEqual((slow.data.length - 1) * SLOW_DRIP_MS * 0.9);
  });

  it('malformed-frame: one frame mid-stream is not JSON, and the stream still ends normally', async () => {
    const { data, broke } = await readFrames(await chat({ stream: true, faults: 'malformed-frame' }));
    expect(broke).toBe(false);
    const bad = data.filter((frame) => frame !== '[DONE]' && !isJson(frame));
    expect(bad).toHaveLength(1);
    expect(data.indexOf(bad[0]!)).toBe(FRAMES_BEFORE_FAULT);
    expect(data.at(-1)).toBe('[DONE]');
  });

  it('a caller closing a healthy stream early is recorded too', async () => {
    const controller = new AbortController();
    const response = await chat({ stream: true, faults: 'slow-drip', signal: controller.signal });
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    await expect.poll(() => emulator.closedByClient.length).toBe(1);
    expect(emulator.closedByClient[0]).toMatchObject({ path: CHAT_PATH, fault: 'slow-drip', at: expect.any(Number) });
  });
});

// Last: revoking the PATs leaves this emulator refusing them for good.
describe('revokeTokens', () => {
  async function issueToken(): Promise<string> {
    const response = await fetch(`${emulator.url}/oidc/v1/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${EMULATOR_DEMO_CLIENT.clientId}:${EMULATOR_DEMO_CLIENT.clientSecret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials&scope=all-apis',
    });
    return ((await response.json()) as { access_token: string }).access_token;
  }

  it('refuses issued tokens from then on, still issues new ones, and refuses PATs only when asked', async () => {
    const old = await issueToken();
    expect((await chat({ token: old })).status).toBe(200);
    emulator.revokeTokens();
    expect((await chat({ token: old })).status).toBe(401);
    expect((await chat({ token: await issueToken() })).status).toBe(200);
    expect((await chat()).status).toBe(200);
    emulator.revokeTokens({ pats: true });
    expect((await chat()).status).toBe(401);
  });
});
