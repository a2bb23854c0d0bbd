/**
 * Gemini function calls usually come without an `id` (wire-formats.md §4),
 * while every client dialect pairs a call with its result by id. The proxy
 * mints one, unique per answer (the answer's `responseId`, else a random
 * stem) and numbered in order. Minted ids mean nothing to Gemini, so they stay
 * off the wire when the conversation goes back: calls and results then pair
 * by name and order, as Gemini itself does.
 */
const MINTED_PREFIX = 'call_gemini_';

/** Mints the ids of one answer's calls. */
export function callIdMinter(responseId: string | undefined): () => string {
  const stem = responseId && /^[A-Za-z0-9_-]{1,32}$/.test(responseId) ? responseId : crypto.randomUUID().replaceAll('-', '');
  let next = 0;
  return () => `${MINTED_PREFIX}${stem}_${next++}`;
}

/** The id to send to Gemini for a call or result: undefined when the proxy minted it. */
export function wireCallId(id: string): string | undefined {
  return id === '' || id.startsWith(MINTED_PREFIX) ? undefined : id;
}

/**
 * A deterministic id for a call a Gemini client sent without one: the same
 * history gives the same ids on every request (upstream prompt caches key on
 * the bytes), and the prefix keeps them off Gemini's wire like any minted id.
 */
export function clientCallId(turn: number, position: number): string {
  return `${MINTED_PREFIX}t${turn}_${position}`;
}
