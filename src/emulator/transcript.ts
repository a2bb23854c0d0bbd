/**
 * The emulator's record of every request it answered. Tests read it to count
 * upstream calls and to check what the proxy forwarded; it must therefore be
 * safe to print: credentials are replaced before anything is stored.
 */

export interface TranscriptEntry {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string | string[]>;
  /** Lower-cased request headers, credentials redacted. */
  headers: Record<string, string | string[]>;
  /** Parsed request body (JSON or form), credentials redacted; undefined when there was none. */
  body: unknown;
  status: number;
  /**
   * Whose credential the request carried, as the workspace knows it (see
   * credentials.ts): a user's name, `pat`, or an M2M client id. Undefined on
   * requests that needed none or carried none it accepts.
   */
  principal?: string;
  /** Whether the answer was an event stream. */
  streamed: boolean;
  /**
   * The fault switch that acted on this request (see faults.ts), if any. A
   * `status` of 0 means no answer was sent at all (the connection was reset,
   * or left hanging).
   */
  fault?: string;
}

export const REDACTED = '[redacted]';

/** Headers that carry credentials in some client or on some surface (reference §3.1). */
const SECRET_HEADERS = new Set([
  'proxy-authorization',
  'x-api-key',
  'x-goog-api-key',
  'x-databricks-ai-gateway-token',
  'cookie',
]);

/** Form / query fields that carry credentials (token endpoint, Gemini's `?key=`). */
const SECRET_FIELDS = new Set(['client_secret', 'key', 'access_token', 'refresh_token', 'password']);

/** `Bearer abc` -> `Bearer [redacted]`: keeps the scheme, which tests may check. */
function redactAuthorization(value: string): string {
  const space = value.indexOf(' ');
  return space > 0 ? `${value.slice(0, space)} ${REDACTED}` : REDACTED;
}

export function redactHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (name === 'authorization') {
      out[name] = Array.isArray(value) ? value.map(redactAuthorization) : redactAuthorization(value);
    } else if (SECRET_HEADERS.has(name)) {
      out[name] = REDACTED;
    } else {
      out[name] = value;
    }
  }
  return out;
}

/**
 * Redacts credential fields of a flat record (form body or query). Returns the
 * same object when nothing needed redacting, so JSON bodies are not copied.
 */
export function redactFields<T>(record: T): T {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return record;
  const entries = Object.entries(record as Record<string, unknown>);
  if (!entries.some(([name]) => SECRET_FIELDS.has(name))) return record;
  return Object.fromEntries(entries.map(([name, value]) => [name, SECRET_FIELDS.has(name) ? REDACTED : value])) as T;
}

/**
 * A bounded list: a long-running `dbx-proxy emulate` (benchmarks) must not grow
 * without limit, so the oldest entries are dropped past `limit`.
 */
export class Transcript {
  readonly entries: TranscriptEntry[] = [];

  constructor(private readonly limit: number) {}

  record(entry: TranscriptEntry): void {
    this.entries.push(entry);
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
  }

  clear(): void {
    this.entries.length = 0;
  }
}
