/**
 * Ids this dialect mints or reshapes. Toward clients: item ids derived from
 * the response id (`msg_`/`fc_`/`rs_`), short and unique within a response.
 * Toward Databricks: ids it would refuse on replay (over 64 characters,
 * databricks.md §5.3) become a prefix plus a hash, the same for the same input
 * so that a call and its output still pair up.
 */
import { createHash, randomUUID } from 'node:crypto';

/** Databricks refuses longer ids when they come back as input. */
export const MAX_ID_LENGTH = 64;

export type ItemPrefix = 'msg' | 'fc' | 'rs';

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The Response id shown to a client: Responses ids read `resp_…`; the IR id is kept inside it. */
export function clientResponseId(irId: string): string {
  if (irId === '') return `resp_${randomUUID().replaceAll('-', '')}`;
  return irId.startsWith('resp_') ? irId : `resp_${irId}`;
}

/** The stem every item id of one response shares: a hash of the response id, so two responses never share item ids. */
export function itemStem(responseId: string): string {
  return digest(responseId).slice(0, 16);
}

/** An item id: prefix, the response's stem, then the item's output index (unique within the response, ≤ 64 chars). */
export function itemId(prefix: ItemPrefix, stem: string, outputIndex: number): string {
  return `${prefix}_${stem}_${outputIndex}`;
}

/** An id Databricks accepts on replay: unchanged when short enough, otherwise prefix + hash. */
export function replayableId(id: string, prefix: string): string {
  return id.length <= MAX_ID_LENGTH ? id : `${prefix}_${digest(id).slice(0, 48)}`;
}

/**
 * A call id shown to a client: Responses clients (Codex) refuse ids over 64
 * characters, so a longer upstream id becomes a prefix plus its hash; the
 * call and its output come back with the same one, so they still pair.
 */
export function clientCallId(id: string): string {
  return replayableId(id, 'call');
}

/** An id for a reasoning item replayed without one (its id was lost in another dialect): derived from its content. */
export function reasoningIdFor(encryptedContent: string): string {
  return `rs_${digest(encryptedContent).slice(0, 48)}`;
}
