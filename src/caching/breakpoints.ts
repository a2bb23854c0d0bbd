import { isRecord, type JsonObject } from '../dialects/common/json.js';
import { minimumCacheableTokens } from './minimum.js';

/** Where automatic marks may go (config `promptCache.points`). */
export const CACHE_POINTS = ['tools', 'system', 'conversation'] as const;
export type CachePoint = (typeof CACHE_POINTS)[number];

export interface BreakpointSettings {
  points: readonly CachePoint[];
  ttl: '5m' | '1h';
}

/**
 * Marks the stable prefix of a Messages body that carries no mark, for
 * Claude's prompt cache: the last tool, the last system block, and in the
 * conversation the end of the previous turn and of the latest message. At
 * most four marks (Anthropic's limit), and the same body always gets the same
 * marks, so the prefix a turn wrote is the prefix the next turn reads:
 *
 * - The latest message's mark writes the whole conversation so far; the next
 *   turn finds it again by Anthropic's lookback (20 blocks before a mark).
 * - The previous turn's mark (the last user message before the last
 *   assistant turn) sits exactly where the previous request's latest mark
 *   was, so the read still hits when a turn adds more than 20 blocks (many
 *   parallel tool calls).
 * - Tools and system marks keep their prefix cached when only the
 *   conversation changes shape (a client that rewrites its history).
 *
 * A mark whose prefix is shorter than the model's minimum cacheable length
 * caches nothing and is not placed. The length is judged at about four
 * characters of JSON a token: a placement rule, not a count anyone sees.
 * Thinking blocks cannot carry a mark, nor can empty text; the last block
 * that can is marked. Lists and blocks that change are copied: the client's
 * body is never changed in place.
 */
export function placeBreakpoints(body: JsonObject, endpoint: string, settings: BreakpointSettings): number {
  const minimumChars = minimumCacheableTokens(endpoint) * CHARS_PER_TOKEN;
  const mark = settings.ttl === '1h' ? { type: 'ephemeral', ttl: '1h' } : { type: 'ephemeral' };
  const points = new Set(settings.points);
  let prefixChars = 0;
  let placed = 0;
  // Only whether the prefix has reached the minimum matters: past it, nothing more is measured.
  const grow = (value: unknown): void => {
    if (prefixChars < minimumChars) prefixChars += jsonLength(value);
  };

  const tools = Array.isArray(body.tools) ? body.tools : [];
  grow(tools);
  if (points.has('tools') && tools.length > 0 && prefixChars >= minimumChars) {
    body.tools = tools.map((tool, i) => (i === tools.length - 1 && isRecord(tool) ? { ...tool, cache_control: mark } : tool));
    placed += 1;
  }

  const system = typeof body.system === 'string' && body.system.trim() ? [{ type: 'text', text: body.system }] : body.system;
  grow(system);
  if (points.has('system') && Array.isArray(system) && system.length > 0 && prefixChars >= minimumChars) {
    const last = system.length - 1;
    body.system = system.map((block, i) => (i === last && isRecord(block) ? { ...block, cache_control: mark } : block));
    placed += 1;
  }

  if (!points.has('conversation') || !Array.isArray(body.messages)) return placed;
  const messages: unknown[] = [...body.messages];
  const targets = conversationTargets(messages);
  let changed = false;
  messages.forEach((message, index) => {
    grow(message);
    if (!targets.has(index) || prefixChars < minimumChars || !isRecord(message)) return;
    const content = withMark(message.content, mark);
    if (!content) return;
    messages[index] = { ...message, content };
    changed = true;
    placed += 1;
  });
  if (changed) body.messages = messages;
  return placed;
}

const CHARS_PER_TOKEN = 4;

/** The latest message, and the last user message before the last assistant turn. */
function conversationTargets(messages: readonly unknown[]): Set<number> {
  const targets = new Set<number>();
  if (messages.length > 0) targets.add(messages.length - 1);
  const lastAssistant = messages.findLastIndex((message) => isRecord(message) && message.role === 'assistant');
  const previousUser = messages.slice(0, Math.max(0, lastAssistant)).findLastIndex((message) => isRecord(message) && message.role === 'user');
  if (previousUser >= 0) targets.add(previousUser);
  return targets;
}

/** Blocks that cannot carry `cache_control` (Anthropic: thinking blocks are cached with their turn, not marked). */
const UNMARKABLE = new Set(['thinking', 'redacted_thinking']);

/** The content with its last markable block marked, or undefined when none can be. */
function withMark(content: unknown, mark: JsonObject): unknown[] | undefined {
  const blocks = typeof content === 'string' ? [{ type: 'text', text: content }] : content;
  if (!Array.isArray(blocks)) return undefined;
  const index = blocks.findLastIndex(
    (block) => isRecord(block) && typeof block.type === 'string' && !UNMARKABLE.has(block.type) && !(block.type === 'text' && !String(block.text ?? '').trim()),
  );
  if (index < 0) return undefined;
  return blocks.map((block, i) => (i === index ? { ...(block as JsonObject), cache_control: mark } : block));
}

function jsonLength(value: unknown): number {
  return value === undefined ? 0 : JSON.stringify(value).length;
}
