import { TTL_MS, type CacheSegment } from '../../prompt-cache.js';
import { isRecord, toolTexts } from '../common.js';

/**
 * A validated Messages body as the prompt cache sees it (prompt-cache.ts):
 * its blocks in prompt order (tools, system, each message's content), each
 * with the breakpoint its `cache_control` sets. A top-level `cache_control`
 * (Anthropic's automatic caching) is a breakpoint on the last block.
 * Returns undefined when nothing is marked: such a request never touches the
 * cache. String content is the one text block it stands for: the same
 * prompt whichever way it is written. A block's characters are those the emulator counts as its text
 * (model.ts counts input tokens from the same text).
 */
export function cacheSegments(body: Record<string, unknown>): CacheSegment[] | undefined {
  const segments: CacheSegment[] = [];
  const add = (block: unknown, text: string, role?: string): void => {
    const { cache_control: mark, ...content } = isRecord(block) ? block : { type: 'text', text: block };
    const segment: CacheSegment = { content: JSON.stringify(role ? { role, ...content } : content), chars: text.length + 1 };
    const ttl = ttlOf(mark);
    if (ttl !== undefined) segment.ttlMs = ttl;
    segments.push(segment);
  };
  for (const tool of Array.isArray(body.tools) ? body.tools : []) {
    if (isRecord(tool)) add(tool, toolTexts([{ name: String(tool.name), description: tool.description as string | undefined, parameters: (tool.input_schema ?? {}) as Record<string, unknown> }]).join('\n'));
  }
  if (typeof body.system === 'string') add(body.system, body.system);
  else for (const block of Array.isArray(body.system) ? body.system : []) add(block, textOf(block));
  for (const message of Array.isArray(body.messages) ? body.messages : []) {
    if (!isRecord(message)) continue;
    const role = String(message.role);
    if (typeof message.content === 'string') add(message.content, message.content, role);
    else for (const block of Array.isArray(message.content) ? message.content : []) add(block, textOf(block), role);
  }
  const automatic = ttlOf(body.cache_control);
  const last = segments.at(-1);
  if (automatic !== undefined && last) last.ttlMs ??= automatic;
  return segments.some((segment) => segment.ttlMs !== undefined) ? segments : undefined;
}

function ttlOf(mark: unknown): number | undefined {
  if (!isRecord(mark)) return undefined;
  return mark.ttl === '1h' ? TTL_MS['1h'] : TTL_MS['5m'];
}

/** The text a block contributes to the request (what the model reads of it). */
function textOf(block: unknown): string {
  if (!isRecord(block)) return '';
  switch (block.type) {
    case 'text':
      return String(block.text ?? '');
    case 'thinking':
      return String(block.thinking ?? '');
    case 'tool_use':
      return JSON.stringify(block.input ?? {});
    case 'tool_result':
      if (typeof block.content === 'string') return block.content;
      return (Array.isArray(block.content) ? block.content : [])
        .map((part) => (isRecord(part) && part.type === 'text' ? String(part.text) : ''))
        .join('\n');
    default:
      return '';
  }
}
