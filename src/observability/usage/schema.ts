import type { DatabaseSync } from 'node:sqlite';

/**
 * One row per inference request: who (client, local key, caller), what
 * (route, model, family, surface, mode), how it went (status, outcome,
 * tokens, times). No prompt, no answer, no error text: those can carry the
 * user's content.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS requests (
  time INTEGER NOT NULL,
  request_id TEXT NOT NULL,
  client TEXT NOT NULL,
  user_agent TEXT NOT NULL,
  api_key TEXT,
  caller TEXT,
  route TEXT NOT NULL,
  model TEXT,
  family TEXT,
  surface TEXT,
  mode TEXT,
  status INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  stream INTEGER NOT NULL,
  input_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  cache_read_tokens INTEGER NOT NULL,
  cache_write_tokens INTEGER NOT NULL,
  reasoning_tokens INTEGER NOT NULL,
  ms REAL NOT NULL,
  ttfb_ms REAL NOT NULL,
  retries INTEGER NOT NULL,
  repairs TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS requests_by_time ON requests (time);
`;

/** WAL lets `dbx-proxy usage` read while a proxy writes; a busy database is waited for, not failed. */
export function prepareDatabase(db: DatabaseSync, readOnly = false): void {
  db.exec('PRAGMA busy_timeout = 5000');
  if (readOnly) return;
  db.exec('PRAGMA journal_mode = WAL');
  db.exec(SCHEMA);
}
