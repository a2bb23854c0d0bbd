import { afterEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.js';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

interface ReadyBody {
  status: string;
  demo: boolean;
  ready: boolean;
  reasons: string[];
}

async function ready(url: string): Promise<{ status: number; body: ReadyBody }> {
  const response = await fetch(`${url}/ready`);
  return { status: response.status, body: (await response.json()) as ReadyBody };
}

/** Polls /ready until it answers `status`, failing after `withinMs`. */
async function readyTurns(url: string, status: number, withinMs: number): Promise<ReadyBody> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const answer = await ready(url);
    if (answer.status === status) return answer.body;
    if (Date.now() > deadline) throw new Error(`/ready still answers ${answer.status} after ${withinMs} ms: ${JSON.stringify(answer.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('GET /health and GET /ready', () => {
  it('/health is liveness and says whether this is the demo; /ready is 200 with a token, models and an answering workspace', async () => {
    stack = await startStack({ config: { health: { probeSeconds: 1 } } });
    const health = (await (await fetch(`${stack.proxy.url}/health`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ status: 'ok', demo: false });
    const answer = await ready(stack.proxy.url);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'ready', ready: true, demo: false, reasons: [] });
  });

  it('/ready turns 503 naming the silent workspace when it stops answering, and 200 when it returns', async () => {
    stack = await startStack({ config: { health: { probeSeconds: 1 }, upstream: { maxAttempts: 1 } } });
    const { url } = stack.proxy;
    expect((await ready(url)).status).toBe(200);

    stack.emulator.setUnreachable(true);
    const down = await readyTurns(url, 503, 5_000);
    expect(down.ready).toBe(false);
    expect(down.reasons.join(' ')).toContain(`the workspace at ${stack.emulator.url} stopped answering`);
    // Liveness is unaffected: the process still answers.
    expect((await fetch(`${url}/health`)).status).toBe(200);

    stack.emulator.setUnreachable(false);
    const back = await readyTurns(url, 200, 5_000);
    expect(back.reasons).toEqual([]);
    const records = stack.logs.records();
    expect(records.some((record) => record.msg === 'the workspace stopped answering: not ready')).toBe(true);
    expect(records.some((record) => record.msg === 'the workspace answers again: ready')).toBe(true);
  });

  it('/ready is 503 with a reason when the workspace lists no chat models', async () => {
    stack = await startStack({ emulator: { endpoints: [] }, config: { health: { probeSeconds: 1 } } });
    const answer = await ready(stack.proxy.url);
    expect(answer.status).toBe(503);
    expect(answer.body.reasons).toEqual(['the workspace lists no chat models (the catalog is empty)']);
  });

  it('/ready and /health need no local API key (orchestrators probe without one)', async () => {
    stack = await startStack({ config: { server: { apiKeys: ['a-local-key-123'] } } });
    expect((await fetch(`${stack.proxy.url}/ready`)).status).toBe(200);
    expect((await fetch(`${stack.proxy.url}/v1/models`)).status).toBe(401);
  });
});
