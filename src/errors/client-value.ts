/**
 * The one way a value a client sent is echoed back (in an error message) or
 * written to the log: quoted, and cut to a length a person can read. A client
 * can send megabytes in any string field; echoed whole, one request would
 * blow up its own error body and every log line that names it.
 */

/**
 * Longest model name a request may carry. Databricks endpoint names are short
 * (the reference gives no maximum; names in the recorded workspaces stay under
 * 64 characters); 256 leaves room for any alias, while a name of megabytes is
 * refused at once, before anything compares it with the catalog.
 */
export const MODEL_NAME_MAX_LENGTH = 256;

/** Characters of a client value kept when it is echoed; a model or tool name is far shorter. */
export const ECHO_LIMIT = 100;

/** `value`, cut to `limit` characters with a note of its real length when longer. */
export function clipped(value: string, limit = ECHO_LIMIT): string {
  if (value.length <= limit) return value;
  return `${value.slice(0, limit)}… (${value.length} characters)`;
}

/** `'value'` for a message, clipped; anything that is not a string is shown as its type's text. */
export function quoted(value: unknown, limit = ECHO_LIMIT): string {
  return `'${clipped(typeof value === 'string' ? value : String(value), limit)}'`;
}
