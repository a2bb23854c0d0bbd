import { expect } from 'vitest';
import { payloads } from './helpers.js';

interface Chunk {
  id: string;
  object: string;
  model: string;
  created: number;
  choices: { index: number; delta: Record<string, unknown>; finish_reason: string | null }[];
  usage?: unknown;
}

/**
 * What the OpenAI SDK accepts silently but clients need (wire-formats.md
 * §6.5): one id, choice index 0 only, role first, each tool index introduced
 * once with id and name and JSON arguments, exactly one finish_reason, the
 * usage chunk after it when asked for, `[DONE]` last.
 */
export function expectChatStreamContract(sse: string, options: { model: string; includeUsage: boolean }): Chunk[] {
  const all = payloads(sse);
  expect(all.at(-1)).toBe('[DONE]');
  expect(all.slice(0, -1)).not.toContain('[DONE]');
  const chunks = all.slice(0, -1) as Chunk[];
  expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
  expect(chunks[0]?.id).toMatch(/^chatcmpl-/);
  for (const chunk of chunks) {
    expect(chunk.object).toBe('chat.completion.chunk');
    expect(chunk.model).toBe(options.model);
    expect(chunk.created).toBe(chunks[0]?.created);
    for (const choice of chunk.choices) expect(choice.index).toBe(0);
  }
  expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');

  const finishes = chunks.flatMap((chunk, at) => chunk.choices.filter((choice) => choice.finish_reason !== null).map(() => at));
  expect(finishes).toHaveLength(1);
  const finishAt = finishes[0] as number;
  if (options.includeUsage) {
    expect(chunks).toHaveLength(finishAt + 2);
    expect(chunks[finishAt + 1]?.choices).toEqual([]);
    expect(chunks[finishAt + 1]?.usage).toMatchObject({ prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number) });
  } else {
    expect(chunks).toHaveLength(finishAt + 1);
    for (const chunk of chunks) expect(chunk.usage ?? null).toBeNull();
  }

  const calls = new Map<number, { id: unknown; name: unknown; args: string }>();
  for (const chunk of chunks) {
    for (const call of (chunk.choices[0]?.delta.tool_calls ?? []) as Record<string, unknown>[]) {
      const index = call.index as number;
      const fn = (call.function ?? {}) as Record<string, unknown>;
      if (call.id !== undefined) {
        expect(calls.has(index)).toBe(false);
        expect(call.type).toBe('function');
        expect(fn.name).toEqual(expect.any(String));
        calls.set(index, { id: call.id, name: fn.name, args: (fn.arguments as string | undefined) ?? '' });
      } else {
        const known = calls.get(index);
        expect(known).toBeDefined();
        if (known) known.args += (fn.arguments as string | undefined) ?? '';
      }
    }
  }
  expect([...calls.keys()]).toEqual([...calls.keys()].map((_, i) => i));
  for (const call of calls.values()) expect(() => JSON.parse(call.args) as unknown).not.toThrow();
  return chunks;
}
