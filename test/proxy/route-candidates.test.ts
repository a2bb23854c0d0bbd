import Anthropic from '@anthropic-ai/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultCatalog } from '../../src/emulator/catalog.js';
import type { EmulatedEndpoint } from '../../src/emulator/types.js';
import { startStack, type Stack } from '../helpers/stack.js';

/**
 * A route plan is an ordered list of candidates; an answer saying "this path
 * does not serve this model" moves the request to the next one, within the
 * request's one retry budget, and what worked is remembered per model until
 * a re-check. The emulator's `gateway-not-found` fault makes the gateway say
 * "not here" for a model it does serve (a transient not-found, issue 11.5).
 */
const CLAUDE = 'databricks-claude-sonnet-4-6';
const GATEWAY = '/ai-gateway/anthropic/v1/messages';
const SERVING = '/serving-endpoints/anthropic/v1/messages';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const inferencePaths = (s: Stack): string[] => s.emulator.transcript.filter((entry) => entry.method === 'POST' && !entry.path.startsWith('/oidc')).map((entry) => entry.path);
const ask = (s: Stack, text: string) =>
  new Anthropic({ apiKey: 'local', baseURL: s.proxy.url, maxRetries: 0 }).messages.create({ model: CLAUDE, max_tokens: 256, messages: [{ role: 'user', content: text }] });
const requestLines = (s: Stack) => s.logs.records().filter((line) => line.msg === 'request');

describe('route candidates', () => {
  it('a transient gateway not-found moves on once, is remembered, and is re-checked after routing.recheckSeconds', async () => {
    stack = await startStack({ emulator: { faults: ['gateway-not-found*1'] }, config: { routing: { recheckSeconds: 1 } } });
    const first = await ask(stack, 'hello one');
    expect(first.content[0]).toMatchObject({ type: 'text', text: expect.stringContaining('hello one') });
    expect(inferencePaths(stack)).toEqual([GATEWAY, SERVING]);
    expect(requestLines(stack).at(-1)).toMatchObject({ route: SERVING, movedOn: 1 });

    await ask(stack, 'hello two');
    expect(inferencePaths(stack).slice(2)).toEqual([SERVING]);
    expect(stack.proxy.workspace.routes.entries()).toEqual([[CLAUDE, `model-serving ${SERVING}`]]);

    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await ask(stack, 'hello three');
    // The gateway serves it again: back on the best route, and nothing is remembered any more.
    expect(inferencePaths(stack).slice(3)).toEqual([GATEWAY]);
    expect(stack.proxy.workspace.routes.entries()).toEqual([]);
  });

  it('a catalog refresh that lists the model again re-checks its best route at once', async () => {
    stack = await startStack({ emulator: { faults: ['gateway-not-found*1'] } });
    await ask(stack, 'hello one');
    await ask(stack, 'hello two');
    expect(inferencePaths(stack)).toEqual([GATEWAY, SERVING, SERVING]);
    await stack.proxy.workspace.catalog.load();
    await ask(stack, 'hello three');
    expect(inferencePaths(stack).at(-1)).toBe(GATEWAY);
  });

  it('moving on spends the same retry budget: upstream.maxAttempts counts over every route', async () => {
    // The gateway fails once (retried), then says "not here"; Model Serving then fails for as long as it is asked.
    stack = await startStack({
      emulator: { faults: ['unavailable*1', 'gateway-not-found*1', 'unavailable*9'] },
      config: { upstream: { maxAttempts: 3, maxRetryAfterMs: 0 } },
    });
    const refused = await ask(stack, 'hello').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Anthropic.APIError);
    expect((refused as InstanceType<typeof Anthropic.APIError>).status).toBe(503);
    // Two retries in all: one on the gateway, one on Model Serving (a fresh budget would give Model Serving three attempts).
    expect(inferencePaths(stack)).toEqual([GATEWAY, GATEWAY, SERVING, SERVING]);
    expect(requestLines(stack).at(-1)).toMatchObject({ retries: 2, status: 503 });
  });

  it("a model no route serves gets its best route's refusal, naming the paths tried", async () => {
    // Listed as a chat endpoint, served by no inference path of the emulator.
    const ghost: EmulatedEndpoint = { name: 'team-ghost', task: 'llm/v1/chat', family: 'classic-ml', kind: 'external', onAiGateway: false };
    stack = await startStack({ emulator: { endpoints: [...defaultCatalog(), ghost] } });
    const answer = await fetch(`${stack.openaiBaseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer local' },
      body: JSON.stringify({ model: 'team-ghost', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(answer.status).toBe(404);
    const { error } = (await answer.json()) as { error: { message: string } };
    expect(error.message).toContain('is not served on the AI Gateway');
    expect(error.message).toContain('tried ai-gateway /ai-gateway/mlflow/v1/chat/completions, model-serving /serving-endpoints/chat/completions');
    expect(inferencePaths(stack)[0]).toBe('/ai-gateway/mlflow/v1/chat/completions');
  });
});
