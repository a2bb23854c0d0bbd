import type { DatabaseSync } from 'node:sqlite';
import { prepareDatabase } from './schema.js';
import { openDatabase } from './sqlite.js';

/** The usage history opened for reading only (a proxy may be writing it at the same time: WAL allows both). */
export function openUsageReader(path: string): DatabaseSync {
  const db = openDatabase(path, { readOnly: true });
  prepareDatabase(db, true);
  return db;
}
