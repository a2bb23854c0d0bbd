import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.js';
import { anthropicAgent, chatAgent, geminiAgent, responsesAgent, runConversation, SYSTEM_PROMPT, type Agent } from './agent-clients.js';

/**
 * Automatic prompt caching: a 10-call agent conversation to Claude from each
 * client dialect, streamed and whole. The emulator caches as Anthropic
 * documents it (src/emulator/prompt-cache.ts), so the marks the proxy adds
 * show as real cache reads, reported in each client's own usage fields.
 */
const CLAUDE = 'databricks-claude-sonnet-4-6';

type Marks = { at: string; mark: unknown }[];

/** Every cache_control of an upstream Messages body, with where it sits. */
function marksOf(body: unknown): Marks {
  const found: Marks = [];
  const walk = (value: unknown, at: string): void => {
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${at}.${i}`));
    else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (key === 'cache_control') found.push({ at, mark: item });
        else walk(item, at ? `${at}.${key}` : key);
      }
    }
  };
  walk(body, '');
  return found;
}

describe('automatic prompt caching', () => {
  let stack: Stack;
  let openai: OpenAI;
  let anthropic: Anthropic;
  beforeAll(async () => {
    stack = await startStack();
    openai = new OpenAI({ apiKey: 'unused', baseURL: stack.openaiBaseUrl, maxRetries: 0 });
    anthropic = new Anthropic({ apiKey: 'unused', baseURL: stack.proxy.url, maxRetries: 0 });
  });
  afterAll(() => stack.close());
  beforeEach(() => {
    stack.emulator.promptCache.clear();
    stack.emulator.clearTranscript();
  });

  const upstreamBodies = () => stack.emulator.transcript.filter((entry) => entry.path.endsWith('/anthropic/v1/messages')).map((entry) => entry.body);

  const AGENTS: [string, (stream: boolean) => Agent][] = [
    ['OpenAI chat', (stream) => chatAgent(openai, CLAUDE, stream)],
    ['OpenAI Responses', (stream) => responsesAgent(openai, CLAUDE, stream)],
    ['Anthropic Messages without marks', (stream) => anthropicAgent(anthropic, CLAUDE, stream)],
    ['Gemini', (stream) => geminiAgent(new GoogleGenAI({ apiKey: 'unused', httpOptions: { baseUrl: stack.proxy.url, apiVersion: 'v1beta' } }), CLAUDE, stream)],
  ];

  describe.each(AGENTS)('%s', (_name, agentOf) => {
    it.each([false, true])('marks the prefix and reads it from the second call on (stream: %s)', async (stream) => {
      const calls = await runConversation(agentOf(stream));
      const bodies = upstreamBodies();
      expect(bodies).toHaveLength(10);
      for (const body of bodies) {
        const marks = marksOf(body);
        expect(marks.length).toBeGreaterThanOrEqual(2);
        expect(marks.length).toBeLessThanOrEqual(4);
        expect(marks.map((m) => m.at)).toContain('system.0');
        expect(marks.every((m) => JSON.stringify(m.mark) === '{"type":"ephemeral"}')).toBe(true);
      }
      expect(calls[0]?.cached).toBe(0);
      const later = calls.slice(1);
      for (const call of later) expect(call.cached).toBeGreaterThan(0);
      const share = later.reduce((sum, call) => sum + call.cached, 0) / later.reduce((sum, call) => sum + call.input, 0);
      expect(share).toBeGreaterThanOrEqual(0.8);
    });
  });

  it('reads the cache for an Anthropic client that writes its messages as plain strings', async () => {
    const messages: Anthropic.MessageParam[] = [];
    const cached: number[] = [];
    for (let turn = 1; turn <= 4; turn += 1) {
      messages.push({ role: 'user', content: `Turn ${turn}: say something.` });
      const answer = await anthropic.messages.create({ model: CLAUDE, max_tokens: 256, system: SYSTEM_PROMPT, messages });
      messages.push({ role: 'assistant', content: answer.content.map((block) => (block.type === 'text' ? block.text : '')).join('') });
      cached.push(answer.usage.cache_read_input_tokens ?? 0);
    }
    expect(cached[0]).toBe(0);
    for (const [i, read] of cached.entries()) if (i > 0) expect(read).toBeGreaterThan(cached[i - 1] ?? 0);
  });

  it('marks the same prefix the same way turn after turn (deterministic)', async () => {
    await runConversation(chatAgent(openai, CLAUDE, false));
    const first = upstreamBodies();
    stack.emulator.clearTranscript();
    await runConversation(chatAgent(openai, CLAUDE, false));
    expect(upstreamBodies()).toEqual(first);
    // The previous call's last mark sits on the same message in the next call.
    const [one, two] = [marksOf(first[2]), marksOf(first[3])];
    expect(two.map((m) => m.at)).toContain(one.at(-1)?.at);
  });

  it("keeps a client's own four marks untouched and adds none", async () => {
    const mark = { type: 'ephemeral' as const };
    await anthropic.messages.create({
      model: CLAUDE,
      max_tokens: 64,
      tools: [{ name: 'read_file', input_schema: { type: 'object' }, cache_control: mark }],
      system: [{ type: 'text', text: SYSTEM_PROMPT, cache_control: { type: 'ephemeral', ttl: '1h' } }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'one', cache_control: mark }] },
        { role: 'assistant', content: 'two' },
        { role: 'user', content: [{ type: 'text', text: 'three', cache_control: mark }] },
      ],
    });
    expect(marksOf(upstreamBodies()[0]).map((m) => m.at)).toEqual(['tools.0', 'system.0', 'messages.0.content.0', 'messages.2.content.0']);
    expect(marksOf(upstreamBodies()[0])[1]?.mark).toEqual({ type: 'ephemeral', ttl: '1h' });
  });

  it("trims a client's six marks to four (the cache-control-limits repair), adding none", async () => {
    const mark = { type: 'ephemeral' as const };
    const text = (t: string) => ({ type: 'text' as const, text: t, cache_control: mark });
    const message = await anthropic.messages.create({
      model: CLAUDE,
      max_tokens: 64,
      system: [text(SYSTEM_PROMPT)],
      messages: [
        { role: 'user', content: [text('a'), text('b')] },
        { role: 'assistant', content: 'ok' },
        { role: 'user', content: [text('c'), text('d'), text('e')] },
      ],
    });
    expect(message.content[0]?.type).toBe('text');
    expect(marksOf(upstreamBodies()[0]).map((m) => m.at)).toEqual(['system.0', 'messages.2.content.0', 'messages.2.content.1', 'messages.2.content.2']);
  });

  it('leaves a prompt shorter than the minimum cacheable length unmarked', async () => {
    await openai.chat.completions.create({ model: CLAUDE, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hi' }] });
    expect(marksOf(upstreamBodies()[0])).toEqual([]);
  });

  it('adds nothing when the client opts out with x-dbx-proxy-prompt-cache: off, and the answers are the same as with marks', async () => {
    const calls = await runConversation(chatAgent(new OpenAI({ apiKey: 'unused', baseURL: stack.openaiBaseUrl, maxRetries: 0, defaultHeaders: { 'x-dbx-proxy-prompt-cache': 'off' } }), CLAUDE, false));
    for (const body of upstreamBodies()) expect(marksOf(body)).toEqual([]);
    expect(calls.every((call) => call.cached === 0)).toBe(true);
    const marked = await runConversation(chatAgent(openai, CLAUDE, false));
    expect(marked.map((call) => call.answer)).toEqual(calls.map((call) => call.answer));
    expect(marked.map((call) => call.input)).toEqual(calls.map((call) => call.input));
  });

  it('never marks a request to another family', async () => {
    await runConversation(chatAgent(openai, 'databricks-gpt-5-2', false));
    const bodies = stack.emulator.transcript.filter((entry) => entry.method === 'POST' && !entry.path.startsWith('/oidc')).map((entry) => entry.body);
    expect(bodies.length).toBeGreaterThan(0);
    for (const body of bodies) expect(marksOf(body)).toEqual([]);
  });

  it("logs each call's cache reads and writes on its summary line", async () => {
    await runConversation(chatAgent(openai, CLAUDE, true));
    const lines = stack.logs.records().filter((line) => line.msg === 'request' && line.path === '/v1/chat/completions').slice(-2);
    const usage = (line: Record<string, unknown>) => (line.stream as { usage?: Record<string, number> } | undefined)?.usage;
    expect(usage(lines[1] ?? {})?.cacheReadTokens).toBeGreaterThan(0);
    expect(usage(lines[1] ?? {})?.inputTokens).toBeGreaterThan(usage(lines[1] ?? {})?.cacheReadTokens ?? 0);
  });
});

describe('automatic prompt caching, configured', () => {
  it('is off with promptCache.auto: false; 1h lifetime and fewer points when set', async () => {
    const off = await startStack({ config: { promptCache: { auto: false } } });
    const hour = await startStack({ config: { promptCache: { ttl: '1h', points: ['conversation'] } } });
    try {
      for (const stack of [off, hour]) {
        await runConversation(chatAgent(new OpenAI({ apiKey: 'unused', baseURL: stack.openaiBaseUrl, maxRetries: 0 }), CLAUDE, false));
      }
      const bodies = (stack: Stack) => stack.emulator.transcript.filter((entry) => entry.path.endsWith('/v1/messages')).map((entry) => marksOf(entry.body));
      for (const marks of bodies(off)) expect(marks).toEqual([]);
      for (const marks of bodies(hour)) {
        expect(marks.length).toBeGreaterThan(0);
        expect(marks.every((m) => m.at.startsWith('messages.'))).toBe(true);
        expect(marks.every((m) => JSON.stringify(m.mark) === '{"type":"ephemeral","ttl":"1h"}')).toBe(true);
      }
    } finally {
      await off.close();
      await hour.close();
    }
  });
});
