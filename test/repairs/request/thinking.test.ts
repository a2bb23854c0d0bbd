import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { effortForBudget } from '../../../src/repairs/request/budget-thinking.js';
import { fitThinking } from '../../../src/repairs/request/thinking-fit.js';
import type { Stack } from '../../helpers/stack.js';
import { anthropic, applyRepair, MODELS, openai, outcome, startPair, upstreamBody, type Pair } from './support.js';

/**
 * adaptive-thinking, budget-thinking and thinking-budget: Claude Code's
 * adaptive thinking and effort become a budget off opus-5-5, a budget becomes
 * adaptive thinking and an effort on opus-5-5, and a budget outside
 * 1024 <= budget < max_tokens is fitted into range.
 */
type ApiError = InstanceType<typeof Anthropic.APIError>;

/** The endpoint of the emulator's catalog that takes only adaptive thinking. */
const OPUS_55 = 'databricks-claude-opus-5-5';

async function expectRefused(run: () => Promise<unknown>, message: string): Promise<void> {
  const refused = await outcome(run);
  expect(refused.error).toBeInstanceOf(Anthropic.BadRequestError);
  expect((refused.error as ApiError).status).toBe(400);
  expect(refused.error?.message).toContain(message);
}

describe('adaptive-thinking', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair('adaptive-thinking');
  });
  afterAll(() => pair.close());

  const claudeCode = (stack: Stack, model: string) =>
    anthropic(stack)
      .messages.stream({
        model,
        max_tokens: 32000,
        thinking: { type: 'adaptive' },
        output_config: { effort: 'medium' },
        messages: [{ role: 'user', content: 'hello claude' }],
      })
      .finalMessage();

  it("Claude Code's adaptive thinking + effort becomes the effort's budget, and the model still thinks, streamed", async () => {
    const done = await claudeCode(pair.on, MODELS.claude);
    expect(done.content[0]).toMatchObject({ type: 'thinking', signature: expect.any(String) });
    expect(done.content.find((block) => block.type === 'text')).toMatchObject({ text: expect.stringContaining('hello claude') });
    const body = upstreamBody(pair.on);
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 4096 });
    expect(body).not.toHaveProperty('output_config');
    expect(body.max_tokens).toBe(32000);
    await expectRefused(() => claudeCode(pair.off, MODELS.claude), 'output_config: Extra inputs are not permitted');
  });

  it('adaptive thinking without an effort gets the default (high) budget', async () => {
    const ask = (stack: Stack) =>
      anthropic(stack).messages.create({ model: MODELS.claude, max_tokens: 20000, thinking: { type: 'adaptive' }, messages: [{ role: 'user', content: 'hello claude' }] });
    const done = await ask(pair.on);
    expect(done.content[0]?.type).toBe('thinking');
    expect(upstreamBody(pair.on).thinking).toEqual({ type: 'enabled', budget_tokens: 16384 });
    await expectRefused(() => ask(pair.off), "thinking: Input tag 'adaptive'");
  });

  it('an endpoint that takes adaptive thinking (opus-5-5) gets it unchanged', async () => {
    const done = await claudeCode(pair.on, OPUS_55);
    expect(done.content[0]?.type).toBe('thinking');
    const body = upstreamBody(pair.on);
    expect(body.thinking).toEqual({ type: 'adaptive' });
    expect(body.output_config).toEqual({ effort: 'medium' });
  });

  it('with no effort, Anthropic default (high); a small max_tokens keeps the budget below it', () => {
    const route = { upstream: 'anthropic-messages' as const, family: 'claude' as const, endpoint: MODELS.claude };
    expect(applyRepair('adaptive-thinking', { max_tokens: 64000, thinking: { type: 'adaptive', display: 'summarized' } }, route).body).toEqual({
      max_tokens: 64000,
      thinking: { type: 'enabled', display: 'summarized', budget_tokens: 16384 },
    });
    expect(applyRepair('adaptive-thinking', { max_tokens: 3000, thinking: { type: 'adaptive' }, output_config: { effort: 'max' } }, route).body).toEqual({
      max_tokens: 3000,
      thinking: { type: 'enabled', budget_tokens: 2999 },
    });
  });

  it('an effort with thinking off is dropped with a warning; other output_config fields stay', () => {
    const route = { upstream: 'anthropic-messages' as const, family: 'claude' as const, endpoint: MODELS.claude };
    const format = { type: 'json_schema', schema: { type: 'object' } };
    const repaired = applyRepair('adaptive-thinking', { max_tokens: 100, output_config: { effort: 'low', format } }, route);
    expect(repaired.body).toEqual({ max_tokens: 100, output_config: { format } });
    expect(repaired.warnings).toEqual([expect.stringContaining('output_config.effort dropped')]);
  });
});

describe('budget-thinking', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair('budget-thinking');
  });
  afterAll(() => pair.close());

  it('a thinking budget on opus-5-5 becomes adaptive thinking with the effort it stands for, and the model still thinks, streamed', async () => {
    // As the Anthropic SDKs (and opencode through them) ask for thinking.
    const ask = (stack: Stack) =>
      anthropic(stack)
        .messages.stream({ model: OPUS_55, max_tokens: 8000, thinking: { type: 'enabled', budget_tokens: 5000 }, messages: [{ role: 'user', content: 'hello claude' }] })
        .finalMessage();
    const done = await ask(pair.on);
    expect(done.content[0]).toMatchObject({ type: 'thinking', signature: expect.any(String) });
    expect(done.content.find((block) => block.type === 'text')).toMatchObject({ text: expect.stringContaining('hello claude') });
    const body = upstreamBody(pair.on);
    expect(body.thinking).toEqual({ type: 'adaptive' });
    expect(body.output_config).toEqual({ effort: 'medium' });
    expect(body.max_tokens).toBe(8000);
    await expectRefused(() => ask(pair.off), "thinking.type: 'enabled' is not supported");
  });

  it("a Responses client's reasoning effort reaches opus-5-5 as that same effort", async () => {
    const ask = (stack: Stack) =>
      openai(stack).responses.create({ model: OPUS_55, input: 'hello claude', max_output_tokens: 20000, reasoning: { effort: 'high' } });
    const done = await ask(pair.on);
    expect(done.output_text).toContain('hello claude');
    const body = upstreamBody(pair.on);
    expect(body.thinking).toMatchObject({ type: 'adaptive' });
    expect(body.output_config).toEqual({ effort: 'high' });
    const refused = await outcome(() => ask(pair.off));
    expect(refused.error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(refused.error?.message).toContain("thinking.type: 'enabled' is not supported");
  });

  it('every other Claude endpoint keeps its budget; an effort the client set is kept', () => {
    const budget = { max_tokens: 8000, thinking: { type: 'enabled', budget_tokens: 5000 } };
    const sonnet = { upstream: 'anthropic-messages' as const, family: 'claude' as const, endpoint: MODELS.claude };
    expect(applyRepair('budget-thinking', budget, sonnet).body).toEqual(budget);
    const opus = { ...sonnet, endpoint: OPUS_55 };
    expect(applyRepair('budget-thinking', { ...budget, output_config: { effort: 'max', format: { type: 'json_schema' } } }, opus).body).toEqual({
      max_tokens: 8000,
      thinking: { type: 'adaptive' },
      output_config: { effort: 'max', format: { type: 'json_schema' } },
    });
  });

  it('effortForBudget: the highest effort whose budget is reached, low below the smallest, never max', () => {
    const table = [0, 1023, 1024, 4095, 4096, 16383, 16384, 32767, 32768, 200000].map((budget) => [budget, effortForBudget(budget)]);
    expect(table).toEqual([
      [0, 'low'],
      [1023, 'low'],
      [1024, 'low'],
      [4095, 'low'],
      [4096, 'medium'],
      [16383, 'medium'],
      [16384, 'high'],
      [32767, 'high'],
      [32768, 'xhigh'],
      [200000, 'xhigh'],
    ]);
  });
});

describe('thinking-budget', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair('thinking-budget');
  });
  afterAll(() => pair.close());

  const ask = (stack: Stack, max_tokens: number, budget_tokens: number) =>
    anthropic(stack).messages.create({ model: MODELS.claude, max_tokens, thinking: { type: 'enabled', budget_tokens }, messages: [{ role: 'user', content: 'hello claude' }] });

  it('a budget not below max_tokens is clamped under it', async () => {
    const done = await ask(pair.on, 8000, 10000);
    expect(done.content[0]?.type).toBe('thinking');
    expect(upstreamBody(pair.on)).toMatchObject({ max_tokens: 8000, thinking: { type: 'enabled', budget_tokens: 7999 } });
    await expectRefused(() => ask(pair.off, 8000, 10000), '`max_tokens` must be greater than `thinking.budget_tokens`');
  });

  it('when even the minimum budget does not fit, max_tokens is raised by it, and the change is logged', async () => {
    const done = await ask(pair.on, 600, 1024);
    expect(done.stop_reason).toBe('end_turn');
    expect(upstreamBody(pair.on)).toMatchObject({ max_tokens: 1624, thinking: { budget_tokens: 1024 } });
    expect(pair.on.logs.records().some((line) => line.repair === 'thinking-budget' && line.level === 40)).toBe(true);
    await expectRefused(() => ask(pair.off, 600, 1024), '`max_tokens` must be greater');
  });

  it('a budget under 1024 is raised to it', async () => {
    await ask(pair.on, 4000, 500);
    expect(upstreamBody(pair.on)).toMatchObject({ max_tokens: 4000, thinking: { budget_tokens: 1024 } });
    await expectRefused(() => ask(pair.off, 4000, 500), 'greater than or equal to 1024');
  });

  it('fitThinking keeps 1024 <= budget < max_tokens', () => {
    for (const [budget, max] of [[0, 1], [1024, 1024], [5000, 1025], [2048, 100000], [99999, 2000], [1500.5, undefined]] as const) {
      const fit = fitThinking(budget, max);
      expect(fit.budget).toBeGreaterThanOrEqual(1024);
      if (fit.maxTokens !== undefined) expect(fit.budget).toBeLessThan(fit.maxTokens);
      if (max !== undefined && max > 1024) expect(fit.maxTokens).toBe(max);
    }
  });
});
