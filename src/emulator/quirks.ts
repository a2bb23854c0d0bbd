/**
 * The quirk switches: documented Databricks misbehaviours the emulator can
 * reproduce, off unless switched on. One line each: `'kebab-id': 'what it
 * reproduces (public source)'`. Each is the twin of a proxy repair
 * (src/repairs/) whose test switches it on.
 */

/** Misbehaviours of answers and streams. */
export const STREAM_QUIRKS: Readonly<Record<string, string>> = {};

/**
 * Request-side rules. The emulator enforces Databricks' documented strict
 * validation by default; these switch on the rules that are not always in force.
 */
export const REQUEST_QUIRKS: Readonly<Record<string, string>> = {};
