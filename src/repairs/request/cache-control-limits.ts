/**
 * cache-control-limits
 *
 * Fixes:    the Databricks Anthropic path refuses a `cache_control` carrying
 *           `scope` ("Extra inputs are not permitted"; Claude Code sends it
 *           with the `prompt-caching-scope-2026-01-05` beta), and Anthropic
 *           refuses more than four blocks marked with `cache_control`. Every
 *           `cache_control` keeps only `type` and `ttl`; past four marked
 *           blocks, the oldest message marks are removed first, then the
 *           earliest tool and system marks.
 * Source:   databricks.md §5.5 (datasciencemonkey/coding-agents-databricks-apps
 *           #100; james-6-23/codex2api #613 for the limit of four).
 * Applies:  Anthropic upstream, every surface, the Claude family.
 * Emulator: always-on rule `messages-cache-control` (anthropic-messages `parse`).
 *
 * Why that order: tools and system are the prefix every turn of every
 * conversation shares, so their marks pay off most; a late message mark
 * covers the longest prefix, and the cache looks back from it for earlier
 * cached prefixes, so the oldest message marks are worth least. Whether the
 * top-level `cache_control` (automatic caching) counts toward the four is not
 * documented: it is cleaned of `scope` but not counted.
 * The client's body is never changed in place (see function-tools.ts): the
 * lists holding a changed mark are copied first.
 */
import { isRecord, type JsonObject } from '../../dialects/common/json.js';
import type { Repair } from '../types.js';

const KEPT_FIELDS = new Set(['type', 'ttl']);
const MAX_MARKED_BLOCKS = 4;

export const cacheControlLimits: Repair = {
  id: 'cache-control-limits',
  summary: '`cache_control` keeps only `type` and `ttl` (`scope` is refused), and at most four blocks keep one.',
  source: 'databricks.md §5.5; datasciencemonkey/coding-agents-databricks-apps#100; james-6-23/codex2api#613',
  quirk: 'messages-cache-control',
  appliesTo: { upstream: ['anthropic-messages'], families: ['claude'] },
  request(body) {
    if (isRecord(body.cache_control) && hasExtraFields(body.cache_control)) body.cache_control = cleaned(body.cache_control);
    const marks = markedBlocks(body);
    if (marks.length === 0) return;
    const surplus = Math.max(0, marks.length - MAX_MARKED_BLOCKS);
    const dropped = new Set(dropOrder(marks).slice(0, surplus));
    if (dropped.size === 0 && !marks.some((mark) => hasExtraFields(mark.block.cache_control))) return;
    rebuild(body, (block) => {
      if (dropped.has(block)) {
        const { cache_control: _dropped, ...rest } = block;
        return rest;
      }
      return isRecord(block.cache_control) && hasExtraFields(block.cache_control) ? { ...block, cache_control: cleaned(block.cache_control) } : block;
    });
  },
  probe: {
    provoke(body) {
      body.system = [{ type: 'text', text: 'You are terse.', cache_control: { type: 'ephemeral', scope: 'global' } }];
      return true;
    },
  },
};

export interface Mark {
  block: JsonObject;
  /** In the conversation (not tools or system). */
  inMessages: boolean;
}

function hasExtraFields(cacheControl: unknown): boolean {
  return isRecord(cacheControl) && Object.keys(cacheControl).some((key) => !KEPT_FIELDS.has(key));
}

function cleaned(cacheControl: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(cacheControl).filter(([key]) => KEPT_FIELDS.has(key)));
}

/** Message marks oldest first, then tool and system marks earliest first. */
function dropOrder(marks: readonly Mark[]): JsonObject[] {
  return [...marks.filter((mark) => mark.inMessages), ...marks.filter((mark) => !mark.inMessages)].map((mark) => mark.block);
}

/** The lists that may hold marked blocks, in prompt order: tools, system, each message's content. */
function blockLists(body: JsonObject): { list: unknown[]; inMessages: boolean; replace(next: unknown[]): void }[] {
  const lists: ReturnType<typeof blockLists> = [];
  for (const key of ['tools', 'system'] as const) {
    const list = body[key];
    if (Array.isArray(list)) lists.push({ list, inMessages: false, replace: (next) => void (body[key] = next) });
  }
  if (Array.isArray(body.messages)) {
    const messages = body.messages;
    messages.forEach((message, i) => {
      if (isRecord(message) && Array.isArray(message.content)) {
        lists.push({ list: message.content, inMessages: true, replace: (next) => void (messages[i] = { ...message, content: next }) });
      }
    });
  }
  return lists;
}

export function markedBlocks(body: JsonObject): Mark[] {
  const marks: Mark[] = [];
  for (const { list, inMessages } of blockLists(body)) {
    for (const block of list) {
      if (!isRecord(block)) continue;
      if (block.cache_control !== undefined) marks.push({ block, inMessages });
      // Tool results hold their own blocks, which may be marked too.
      for (const part of Array.isArray(block.content) ? block.content : []) {
        if (isRecord(part) && part.cache_control !== undefined) marks.push({ block: part, inMessages });
      }
    }
  }
  return marks;
}

/** Rebuilds every list (and tool-result content) with `change` applied to each block; untouched blocks are shared, not copied. */
function rebuild(body: JsonObject, change: (block: JsonObject) => JsonObject): void {
  if (Array.isArray(body.messages)) body.messages = [...body.messages];
  for (const { list, replace } of blockLists(body)) {
    replace(
      list.map((block) => {
        if (!isRecord(block)) return block;
        const changed = change(block);
        return Array.isArray(changed.content) ? { ...changed, content: changed.content.map((part) => (isRecord(part) ? change(part) : part)) } : changed;
      }),
    );
  }
}
