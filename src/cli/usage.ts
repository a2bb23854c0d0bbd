import { existsSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { GROUPINGS, type Grouping, type UsageRow } from '../observability/usage/usage-query.js';
import { formatTable, say } from './output.js';

interface UsageFlags {
  config?: string;
  since: number;
  by: Grouping;
  json?: boolean;
}

const UNIT_MS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `30m`, `12h`, `7d`, `2w` -> milliseconds. */
export function parseSince(value: string): number {
  const match = /^(\d+)([mhdw])$/.exec(value.trim());
  if (!match) throw new InvalidArgumentError('expected a number and a unit: m (minutes), h (hours), d (days) or w (weeks), e.g. 7d');
  return Number(match[1]) * (UNIT_MS[match[2] ?? 'd'] ?? 0);
}

function parseGrouping(value: string): Grouping {
  if (!(GROUPINGS as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${GROUPINGS.join(', ')}`);
  return value as Grouping;
}

export function registerUsage(program: Command): void {
  program
    .command('usage')
    .description("what the proxy served, from its usage history: requests, tokens and latency by model, day or client")
    .option('--since <duration>', 'how far back: 30m, 12h, 7d, 2w', parseSince, parseSince('7d'))
    .option('--by <group>', `group by ${GROUPINGS.join(', ')}`, parseGrouping, 'model' as Grouping)
    .option('--json', 'print JSON rows instead of a table')
    .option('--config <file>', 'config file (for observability.usage.path) [env: DBX_PROXY_CONFIG]')
    .action((flags: UsageFlags) => usage(flags));
}

async function usage(flags: UsageFlags): Promise<void> {
  const { config } = await loadConfig({ configPath: flags.config });
  // The history's modules (and node:sqlite) load only for this command.
  const [{ usagePath }, { openUsageReader }, { usageByGroup }] = await Promise.all([
    import('../observability/usage/usage-path.js'),
    import('../observability/usage/usage-reader.js'),
    import('../observability/usage/usage-query.js'),
  ]);
  const path = usagePath(config);
  if (!existsSync(path)) {
    if (flags.json) say('[]');
    else say(`No usage history yet at ${path}: it fills as \`dbx-proxy serve\` answers requests (observability.usage.enabled).`);
    return;
  }
  const db = openUsageReader(path);
  try {
    const rows = usageByGroup(db, Date.now() - flags.since, flags.by);
    say(flags.json ? JSON.stringify(rows, null, 2) : usageTable(rows, flags.by));
  } finally {
    db.close();
  }
}

const count = new Intl.NumberFormat('en-US');

export function usageTable(rows: readonly UsageRow[], by: Grouping): string {
  if (rows.length === 0) return 'No requests in that period.';
  const header = [by.toUpperCase(), 'REQUESTS', 'ERRORS', 'INPUT', 'OUTPUT', 'CACHE READ', 'CACHE WRITE', 'REASONING', 'MEAN LATENCY'];
  const body = rows.map((row) => [
    row.group,
    count.format(row.requests),
    count.format(row.errors),
    count.format(row.inputTokens),
    count.format(row.outputTokens),
    count.format(row.cacheReadTokens),
    count.format(row.cacheWriteTokens),
    count.format(row.reasoningTokens),
    `${(row.avgMs / 1000).toFixed(2)} s`,
  ]);
  const sum = (pick: (row: UsageRow) => number): string => count.format(rows.reduce((total, row) => total + pick(row), 0));
  const totals = ['TOTAL', sum((r) => r.requests), sum((r) => r.errors), sum((r) => r.inputTokens), sum((r) => r.outputTokens), sum((r) => r.cacheReadTokens), sum((r) => r.cacheWriteTokens), sum((r) => r.reasoningTokens), ''];
  return formatTable([header, ...body, totals]);
}
