import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { Logger } from '../../logging/logger.js';
import type { RequestRecord } from '../request-record.js';
import { prepareDatabase } from './schema.js';
import { openDatabase } from './sqlite.js';

/** How often queued rows are written: one transaction a second, off every request's path. */
const FLUSH_MS = 1_000;
/** Rows kept waiting at most (a database that cannot be written must not grow the heap without end). */
const MAX_PENDING = 10_000;
const DAY_MS = 86_400_000;
/** How often rows past the retention are deleted. */
const PRUNE_MS = 3_600_000;

/**
 * The usage history's writer: rows are queued as requests end and written
 * in one transaction a second. A database that cannot be written is logged
 * once and then skipped; the proxy serves on.
 */
export class UsageWriter {
  private pending: RequestRecord[] = [];
  private readonly insert: StatementSync;
  private readonly timer: NodeJS.Timeout;
  private readonly pruneTimer: NodeJS.Timeout;
  private failed = false;

  private constructor(
    readonly db: DatabaseSync,
    private readonly retentionDays: number,
    private readonly logger: Logger,
  ) {
    this.insert = db.prepare(
      `INSERT INTO requests (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((column) => `:${column}`).join(', ')})`,
    );
    this.prune();
    this.timer = setInterval(() => this.flush(), FLUSH_MS).unref();
    this.pruneTimer = setInterval(() => this.prune(), PRUNE_MS).unref();
  }

  static open(path: string, retentionDays: number, logger: Logger): UsageWriter {
    mkdirSync(dirname(path), { recursive: true });
    const db = openDatabase(path);
    try {
      prepareDatabase(db);
      return new UsageWriter(db, retentionDays, logger);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  read(record: RequestRecord): void {
    if (this.pending.length >= MAX_PENDING) this.pending.shift();
    this.pending.push(record);
  }

  /** Writes what is queued (the status page calls this first, so its charts include the last second). */
  flush(): void {
    if (this.pending.length === 0) return;
    const rows = this.pending;
    this.pending = [];
    try {
      this.db.exec('BEGIN');
      for (const record of rows) this.insert.run(row(record));
      this.db.exec('COMMIT');
      this.failed = false;
    } catch (error) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      if (!this.failed) this.logger.warn({ err: error }, 'usage history: could not write; requests are not recorded until it can');
      this.failed = true;
    }
  }

  close(): void {
    clearInterval(this.timer);
    clearInterval(this.pruneTimer);
    this.flush();
    this.db.close();
  }

  private prune(): void {
    try {
      this.db.prepare('DELETE FROM requests WHERE time < ?').run(Date.now() - this.retentionDays * DAY_MS);
    } catch (error) {
      this.logger.warn({ err: error }, 'usage history: could not delete old rows');
    }
  }
}

const COLUMNS = [
  'time',
  'request_id',
  'client',
  'user_agent',
  'api_key',
  'caller',
  'route',
  'model',
  'family',
  'surface',
  'mode',
  'status',
  'outcome',
  'stream',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
  'ms',
  'ttfb_ms',
  'retries',
  'repairs',
] as const;

function row(record: RequestRecord): Record<(typeof COLUMNS)[number], string | number | null> {
  const { summary, tokens } = record;
  return {
    time: Math.round(record.time),
    request_id: record.requestId,
    client: record.client,
    user_agent: record.userAgent,
    api_key: record.key ?? null,
    caller: record.caller ?? null,
    route: record.route,
    model: summary.endpoint ?? null,
    family: summary.family ?? null,
    surface: summary.surface ?? null,
    mode: summary.mode ?? null,
    status: record.status,
    outcome: record.outcome,
    stream: summary.stream ? 1 : 0,
    input_tokens: tokens?.input ?? 0,
    output_tokens: tokens?.output ?? 0,
    cache_read_tokens: tokens?.cacheRead ?? 0,
    cache_write_tokens: tokens?.cacheWrite ?? 0,
    reasoning_tokens: tokens?.reasoning ?? 0,
    ms: record.ms,
    ttfb_ms: record.ttfbMs,
    retries: summary.retries ?? 0,
    repairs: (summary.repairs ?? []).join(','),
  };
}
