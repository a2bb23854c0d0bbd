import { describe, expect, it } from 'vitest';
import { placeBreakpoints } from '../../src/caching/breakpoints.js';

const LONG = 'x'.repeat(5000); // over 1,024 tokens at four characters a token
const ALL = { points: ['tools', 'system', 'conversation'] as const, ttl: '5m' as const };
const EPHEMERAL = { type: 'ephemeral' };

describe('placeBreakpoints', () => {
  it('marks the last tool, the system prompt, the previous user turn and the latest message, without touching the client body', () => {
    const body = {
      tools: [{ name: 'a', input_schema: { description: LONG } }, { name: 'b', input_schema: {} }],
      system: 'You are terse.',
      messages: [
        { role: 'user', content: 'first' },
        { role: 'assistant', content: [{ type: 'thinking', thinking: 't', signature: 's' }, { type: 'tool_use', id: 'c', name: 'a', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'c', content: 'ok' }] },
      ],
    };
    const before = JSON.stringify(body);
    const upstream: Record<string, unknown> = { ...body };
    expect(placeBreakpoints(upstream, 'databricks-claude-sonnet-4-6', ALL)).toBe(4);
    expect(JSON.stringify(body)).toBe(before);
    expect(upstream.tools).toEqual([body.tools[0], { ...body.tools[1], cache_control: EPHEMERAL }]);
    expect(upstream.system).toEqual([{ type: 'text', text: 'You are terse.', cache_control: EPHEMERAL }]);
    const messages = upstream.messages as { content: unknown }[];
    expect(messages[0]?.content).toEqual([{ type: 'text', text: 'first', cache_control: EPHEMERAL }]);
    expect(messages[1]).toBe(body.messages[1]);
    expect(messages[2]?.content).toEqual([{ type: 'tool_result', tool_use_id: 'c', content: 'ok', cache_control: EPHEMERAL }]);
  });

  it('never marks a thinking block or empty text, and skips prefixes below the minimum', () => {
    const upstream: Record<string, unknown> = {
      system: 'short',
      messages: [
        { role: 'user', content: LONG },
        { role: 'assistant', content: [{ type: 'text', text: 'answer' }, { type: 'thinking', thinking: 't', signature: 's' }, { type: 'text', text: ' ' }] },
      ],
    };
    expect(placeBreakpoints(upstream, 'databricks-claude-sonnet-4-6', ALL)).toBe(2);
    expect(upstream.system).toBe('short');
    const [user, assistant] = upstream.messages as { content: { cache_control?: unknown }[] }[];
    expect(user?.content[0]?.cache_control).toEqual(EPHEMERAL);
    expect(assistant?.content.map((block) => block.cache_control)).toEqual([EPHEMERAL, undefined, undefined]);
  });

  it('uses the 1-hour lifetime and only the points configured', () => {
    const upstream: Record<string, unknown> = { system: LONG, messages: [{ role: 'user', content: 'hi' }] };
    expect(placeBreakpoints(upstream, 'databricks-claude-sonnet-4-6', { points: ['system'], ttl: '1h' })).toBe(1);
    expect(upstream.system).toEqual([{ type: 'text', text: LONG, cache_control: { type: 'ephemeral', ttl: '1h' } }]);
    expect(upstream.messages).toEqual([{ role: 'user', content: 'hi' }]);
  });

  it("follows the model's minimum: 4,096 tokens on Opus 4.6", () => {
    const upstream: Record<string, unknown> = { system: LONG, messages: [{ role: 'user', content: 'hi' }] };
    expect(placeBreakpoints(upstream, 'databricks-claude-opus-4-6', ALL)).toBe(0);
  });
});
