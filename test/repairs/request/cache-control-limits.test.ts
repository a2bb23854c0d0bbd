import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../helpers/stack.js';
import { anthropic, applyRepair, MODELS, outcome, startPair, upstreamBody, type Pair } from './support.js';

/**
 * cache-control-limits: Claude Code's `cache_control.scope` and a fifth
 * marked block, both refused by the Databricks Anthropic path (emulator rule
 * `messages-cache-control`). Repair on: the call succeeds and the marks sent
 * upstream are clean and at most four; disabled: the 400 reaches the client.
 */
type ApiError = InstanceType<typeof Anthropic.APIError>;
const ephemeral = { type: 'ephemeral' as const };
const scoped = { type: 'ephemeral', scope: 'global' } as unknown as Anthropic.CacheControlEphemeral;

function marks(body: Record<string, unknown>): unknown[] {
  const found: unknown[] = [];
  JSON.stringify(body, (key, value: unknown) => {
    if (key === 'cache_control') found.push(value);
    return value;
  });
  return found;
}

describe('cache-control-limits', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair('cache-control-limits');
  });
  afterAll(() => pair.close());

  it("Claude Code's scoped cache_control loses `scope`, streamed", async () => {
    const ask = (stack: Stack) =>
      anthropic(stack)
        .messages.stream({
          model: MODELS.claude,
          max_tokens: 256,
          system: [{ type: 'text', text: 'You are terse.', cache_control: scoped }],
          messages: [{ role: 'user', content: [{ type: 'text', text: 'hello cache', cache_control: { ...ephemeral, ttl: '1h' } }] }],
        })
        .finalMessage();
    const done = await ask(pair.on);
    expect(done.content[0]).toMatchObject({ type: 'text', text: expect.stringContaining('hello cache') });
    expect(marks(upstreamBody(pair.on))).toEqual([ephemeral, { ...ephemeral, ttl: '1h' }]);
    const refused = await outcome(() => ask(pair.off));
    expect((refused.error as ApiError).status).toBe(400);
    expect(refused.error?.message).toContain('system.0.cache_control.scope: Extra inputs are not permitted');
  });

  it('six marked blocks become four: the oldest message marks go first', async () => {
    const turn = (text: string): Anthropic.TextBlockParam => ({ type: 'text', text, cache_control: ephemeral });
    const ask = (stack: Stack) =>
      anthropic(stack).messages.create({
        model: MODELS.claude,
        max_tokens: 256,
        system: [turn('system one'), turn('system two')],
        messages: [
          { role: 'user', content: [turn('first question')] },
          { role: 'assistant', content: [turn('first answer')] },
          { role: 'user', content: [turn('second question')] },
          { role: 'assistant', content: [{ type: 'text', text: 'second answer' }] },
          { role: 'user', content: [turn('hello again')] },
        ],
      });
    const done = await ask(pair.on);
    expect(done.content[0]).toMatchObject({ type: 'text', text: expect.stringContaining('hello again') });
    const body = upstreamBody(pair.on);
    expect(marks(body)).toHaveLength(4);
    const messages = body.messages as { content: Record<string, unknown>[] }[];
    expect(messages.map((message) => 'cache_control' in (message.content[0] ?? {}))).toEqual([false, false, true, false, true]);
    expect((body.system as Record<string, unknown>[]).every((block) => 'cache_control' in block)).toBe(true);
    const refused = await outcome(() => ask(pair.off));
    expect((refused.error as ApiError).status).toBe(400);
    expect(refused.error?.message).toContain('A maximum of 4 blocks with cache_control may be provided. Found 6.');
  });

  it("leaves the client's own body untouched (a second route attempt starts from it)", () => {
    const input = { system: [{ type: 'text', text: 's', cache_control: { type: 'ephemeral', scope: 'global' } }], messages: [] };
    const { body } = applyRepair('cache-control-limits', input, { upstream: 'anthropic-messages', family: 'claude', endpoint: MODELS.claude });
    expect(marks(body)).toEqual([ephemeral]);
    expect(input.system[0]?.cache_control).toEqual({ type: 'ephemeral', scope: 'global' });
  });
});
