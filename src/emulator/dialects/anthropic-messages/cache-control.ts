import { isRecord } from '../common.js';
import { extraInput, reject } from './guards.js';

/**
 * Rule `messages-cache-control`: a `cache_control` takes `type` and `ttl`
 * only (Databricks answers "Extra inputs are not permitted" for `scope`,
 * reference §5.5), and a request may mark at most four blocks (Anthropic's
 * documented limit, reference §5.5). The wording of the count refusal is
 * Anthropic's; Databricks' own wording is not in the reference. The
 * top-level `cache_control` (automatic caching) is checked for its fields
 * but not counted: whether it counts toward the four is not documented.
 */
const CACHE_CONTROL_FIELDS = new Set(['type', 'ttl']);
const MAX_MARKED_BLOCKS = 4;

export function checkCacheControl(body: Record<string, unknown>): void {
  if (body.cache_control !== undefined) checkFields(body.cache_control, 'cache_control');
  let marked = 0;
  for (const [at, holder] of markedBlocks(body)) {
    checkFields(holder.cache_control, `${at}.cache_control`);
    marked += 1;
  }
  if (marked > MAX_MARKED_BLOCKS) reject(`A maximum of ${MAX_MARKED_BLOCKS} blocks with cache_control may be provided. Found ${marked}.`);
}

function checkFields(value: unknown, at: string): void {
  if (!isRecord(value)) reject(`${at}: Input should be a valid dictionary`);
  for (const key of Object.keys(value)) if (!CACHE_CONTROL_FIELDS.has(key)) extraInput(`${at}.${key}`);
}

/** Every block carrying a `cache_control`, with its location: tools, system blocks, message blocks and tool-result parts. */
function* markedBlocks(body: Record<string, unknown>): Generator<[string, Record<string, unknown>]> {
  const lists: [string, unknown][] = [
    ['tools', body.tools],
    ['system', body.system],
  ];
  if (Array.isArray(body.messages)) body.messages.forEach((message, i) => isRecord(message) && lists.push([`messages.${i}.content`, message.content]));
  for (const [at, list] of lists) {
    if (!Array.isArray(list)) continue;
    for (const [j, block] of list.entries()) {
      if (!isRecord(block)) continue;
      if (block.cache_control !== undefined) yield [`${at}.${j}`, block];
      if (Array.isArray(block.content)) {
        for (const [k, part] of block.content.entries()) if (isRecord(part) && part.cache_control !== undefined) yield [`${at}.${j}.content.${k}`, part];
      }
    }
  }
}
