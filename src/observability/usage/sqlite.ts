import { createRequire } from 'node:module';
import type { DatabaseSync } from 'node:sqlite';

type SqliteModule = typeof import('node:sqlite');

/**
 * node:sqlite, loaded on first use. Some Node versions print an
 * ExperimentalWarning when it loads; a user's stderr stays clean of it (only
 * that one warning is dropped, every other warning still shows).
 */
let loaded: SqliteModule | undefined;

export function openDatabase(path: string, options: { readOnly?: boolean } = {}): DatabaseSync {
  loaded ??= loadQuietly();
  return new loaded.DatabaseSync(path, { readOnly: options.readOnly ?? false });
}

function loadQuietly(): SqliteModule {
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message;
    if (/sqlite/i.test(text)) return;
    (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return createRequire(import.meta.url)('node:sqlite') as SqliteModule;
  } finally {
    process.emitWarning = emitWarning;
  }
}
