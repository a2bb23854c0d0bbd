import type { DatabaseSync } from 'node:sqlite';

export const GROUPINGS = ['model', 'day', 'client'] as const;
export type Grouping = (typeof GROUPINGS)[number];

/** The SQL that names each row's group (a fixed table: nothing a user types reaches the SQL). */
const GROUP_BY: Record<Grouping, string> = {
  model: "COALESCE(model, '(no model)')",
  day: "strftime('%Y-%m-%d', time / 1000, 'unixepoch', 'localtime')",
  client: 'client',
};

export interface UsageRow {
  group: string;
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  avgMs: number;
}

/** Requests since `since` (epoch ms), grouped; the busiest group first (days: in order). */
export function usageByGroup(db: DatabaseSync, since: number, by: Grouping): UsageRow[] {
  const order = by === 'day' ? '"group"' : 'requests DESC, "group"';
  const rows = db
    .prepare(
      `SELECT ${GROUP_BY[by]} AS "group", COUNT(*) AS requests,
        SUM(outcome NOT IN ('ok', 'client_gone')) AS errors,
        SUM(input_tokens) AS inputTokens, SUM(output_tokens) AS outputTokens,
        SUM(cache_read_tokens) AS cacheReadTokens, SUM(cache_write_tokens) AS cacheWriteTokens,
        SUM(reasoning_tokens) AS reasoningTokens, AVG(ms) AS avgMs
      FROM requests WHERE time >= ? GROUP BY 1 ORDER BY ${order}`,
    )
    .all(since);
  return rows as unknown as UsageRow[];
}

export interface SeriesPoint {
  /** Start of the bucket, epoch ms. */
  t: number;
  model: string;
  requests: number;
  tokens: number;
  avgMs: number;
}

/** Requests, tokens and mean latency per bucket and model since `since`: the status page's charts. */
export function usageSeries(db: DatabaseSync, since: number, bucketMs: number): SeriesPoint[] {
  const rows = db
    .prepare(
      `SELECT (time / :bucket) * :bucket AS t, COALESCE(model, '(no model)') AS model, COUNT(*) AS requests,
        SUM(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens) AS tokens, AVG(ms) AS avgMs
      FROM requests WHERE time >= :since GROUP BY 1, 2 ORDER BY 1`,
    )
    .all({ bucket: bucketMs, since });
  return rows as unknown as SeriesPoint[];
}
