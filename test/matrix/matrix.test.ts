import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAMILY_MODELS, SHAPE_IDS, type ShapeId } from '../../src/emulator/shapes.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { chatDriver, geminiDriver, messagesDriver, responsesDriver, type Ask, type Driver } from './drivers.js';

/**
 * Every cell: workspace shape × inbound API × model family × streamed or not,
 * through the official SDK stream helpers. Cells whose dialects match are
 * passthrough; the others are translated through the IR. The shapes
 * (src/emulator/shapes.ts) cover both surfaces (`demo` has the AI Gateway,
 * `classic` has not), Unity AI Gateway model services, a gateway without
 * `codex/v1`, and endpoints whose names hide their family; each names its
 * own model per family (FAMILY_MODELS).
 */
const INBOUND = { chat: chatDriver, responses: responsesDriver, messages: messagesDriver, gemini: geminiDriver } as const;
const MODELS = FAMILY_MODELS.demo;
/** Families whose emulated models think when asked (the others ignore the setting). */
const REASONS = new Set(['claude', 'gpt', 'codex', 'gemini']);

const cells = Object.keys(INBOUND).flatMap((inbound) =>
  Object.keys(MODELS).flatMap((family) => [false, true].map((stream) => ({ inbound, family, stream }))),
) as { inbound: keyof typeof INBOUND; family: keyof typeof MODELS; stream: boolean }[];

describe.each(SHAPE_IDS.map((shape) => [shape]))('matrix on the %s workspace', (shape: ShapeId) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ emulator: { shape } });
  });
  afterAll(() => stack.close());

  const driverFor = (inbound: keyof typeof INBOUND): Driver => INBOUND[inbound](inbound === 'messages' || inbound === 'gemini' ? stack.proxy.url : stack.openaiBaseUrl);

  describe.each(cells)('$inbound → $family (stream: $stream)', ({ inbound, family, stream }) => {
    const ask = (overrides: Partial<Ask>): Ask => ({ model: FAMILY_MODELS[shape][family], prompt: '', stream, tools: false, reasoning: false, ...overrides });
    const tag = `${inbound}-${family}-${stream ? 's' : 'n'}`;

    it('plain answer', async () => {
      const turn = await driverFor(inbound).first(ask({ prompt: `hello ${tag}` }));
      expect(turn.text).toContain(`hello ${tag}`);
      expect(turn.stop).toBe('end');
      expect(turn.toolCalls).toEqual([]);
      expect(turn.totalTokens).toBeGreaterThan(0);
    });

    it('two-step tool call', async () => {
      const driver = driverFor(inbound);
      const request = ask({ prompt: 'please read notes.txt', tools: true });
      const first = await driver.first(request);
      expect(first.stop).toBe('tool');
      expect(first.toolCalls).toHaveLength(1);
      expect(first.toolCalls[0]).toMatchObject({ name: 'read_file', args: { path: 'notes.txt' } });
      const secret = `RESULT-${tag}`;
      const second = await driver.followUp(request, first, new Map(first.toolCalls.map((call) => [call.id, secret])));
      expect(second.text).toContain(secret);
      expect(second.stop).toBe('end');
      expect(second.totalTokens).toBeGreaterThan(0);
    });

    it('parallel tool calls', async () => {
      const driver = driverFor(inbound);
      const request = ask({ prompt: 'read a.txt and list src in parallel', tools: true });
      const first = await driver.first(request);
      expect(first.stop).toBe('tool');
      expect(first.toolCalls.map((call) => call.name).sort()).toEqual(['list_dir', 'read_file']);
      expect(new Set(first.toolCalls.map((call) => call.id)).size).toBe(2);
      const results = new Map(first.toolCalls.map((call) => [call.id, `out-of-${call.name}`]));
      const second = await driver.followUp(request, first, results);
      expect(second.text).toContain('out-of-');
    });

    it('reasoning turn replayed with its signature', async () => {
      const driver = driverFor(inbound);
      const request = ask({ prompt: 'think, then read plan.md', tools: true, reasoning: true });
      const first = await driver.first(request);
      expect(first.reasoning).toBe(REASONS.has(family));
      expect(first.stop).toBe('tool');
      // The emulator refuses a replay whose signature was changed or dropped.
      const second = await driver.followUp(request, first, new Map(first.toolCalls.map((call) => [call.id, 'PLAN-OK'])));
      expect(second.text).toContain('PLAN-OK');
      // The emulated models' thoughts ("I should call ...", "The tool has answered ...") never reach visible text.
      expect(first.text + second.text).not.toMatch(/I should call|The tool has answered/);
    });
  });
});
