import { createHash } from 'node:crypto';

/**
 * Databricks rejects Responses ids longer than this when a client sends them
 * back as input (reference databricks.md §5.3, OpenAI's validator wording).
 */
export const MAX_ID_LENGTH = 64;

/** The type prefix of an OpenAI-style id (`resp_`, `msg_`, `fc_`, `rs_`, `call_`...). */
const TYPE_PREFIX = /^[A-Za-z][A-Za-z0-9]{0,15}_/;

/** Hex digits of SHA-256 kept: 160 bits, so distinct ids never meet in practice. */
const HASH_DIGITS = 40;

/**
 * A stable id of at most 64 characters for any id: ids that fit are returned
 * unchanged; longer ones become their type prefix plus a hash of the whole id.
 * Not a bare prefix: Databricks' long ids share their stem across a response
 * (`resp_01c6579b…`, `msg_01c6579b…`), so cutting them to 64 characters makes
 * two items of one response collide (databricks.md §5.3, "Prefix truncation
 * can collide"; NousResearch/hermes-agent #17318 hashes the same way).
 * The same function shortens ids in answers and in the input a client
 * replays, so an id the client got from the proxy, or the original long one,
 * reaches Databricks as the same short id.
 */
export function shortenId(id: string): string {
  if (id.length <= MAX_ID_LENGTH) return id;
  const prefix = TYPE_PREFIX.exec(id)?.[0] ?? '';
  return prefix + createHash('sha256').update(id).digest('hex').slice(0, HASH_DIGITS);
}
