import type { ScriptBlock } from '../../types.js';

/** What a signature on a functionCall part signs: the call itself, with keys in a stable order. */
export function callContent(name: string, args: unknown): string {
  return `${name}:${stableJson(args)}`;
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The content a step's signature is bound to: its first call, else its visible text. */
export function stepContent(blocks: ScriptBlock[]): string {
  const call = blocks.find((block) => block.type === 'tool_call');
  if (call) return callContent(call.name, call.arguments);
  return blocks.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('');
}
