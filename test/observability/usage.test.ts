import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging/logger.js';
import type { Outcome, RequestRecord } from '../../src/observability/request-record.js';
import { openUsageReader } from '../../src/observability/usage/usage-reader.js';
import { usageByGroup } from '../../src/observability/usage/usage-query.js';
import { UsageWriter } from '../../src/observability/usage/usage-writer.js';
import { BIN, buildIfStale, cleanCliEnv, distFile } from '../helpers/built-cli.js';
import { LogCapture, startStack } from '../helpers/stack.js';
import { CLAUDE, LLAMA, callWithSdk, streamWithSdk } from '../reliability/routes.js';

const DAY = 86_400_000;

interface Row {
  ageMs: number;
  model: string;
  client: string;
  outcome?: Outcome;
  input: number;
  output: number;
  ms: number;
}

/** A request's record as the proxy builds it (only what the history keeps matters). */
function record(row: Row, now: number): RequestRecord {
  const ms = row.ms;
  return {
    requestId: `req-${Math.random().toString(16).slice(2)}`,
    time: now - row.ageMs,
    startedAt: 0,
    method: 'POST',
    path: '/v1/messages',
    route: '/v1/messages',
    status: row.outcome === 'upstream_error' ? 503 : 200,
    outcome: row.outcome ?? 'ok',
    ms,
    ttfbMs: ms / 2,
    upstreamMs: ms / 2,
    overheadMs: 1,
    userAgent: `${row.client}/1.0`,
    client: row.client,
    tokens: { input: row.input, output: row.output, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
    summary: { endpoint: row.model, model: row.model, family: 'claude', surface: 'ai-gateway', mode: 'passthrough', repairs: ['anthropic-stream'] },
  };
}

function fill(path: string, rows: readonly Row[], retentionDays = 90): void {
  const writer = UsageWriter.open(path, retentionDays, createLogger('silent', new LogCapture()));
  const now = Date.now();
  for (const row of rows) writer.read(record(row, now));
  writer.close();
}

const ROWS: readonly Row[] = [
  { ageMs: 60_000, model: 'claude-a', client: 'claude-cli', input: 100, output: 10, ms: 1000 },
  { ageMs: 120_000, model: 'claude-a', client: 'claude-cli', input: 200, output: 20, ms: 3000 },
  { ageMs: DAY + 60_000, model: 'llama-b', client: 'opencode', input: 50, output: 5, ms: 500, outcome: 'upstream_error' },
  { ageMs: 10 * DAY, model: 'llama-b', client: 'opencode', input: 1000, output: 100, ms: 100 },
];

describe('usage history: queries over a filled database', () => {
  let path: string;
  beforeAll(() => {
    path = join(mkdtempSync(join(tmpdir(), 'dbx-usage-')), 'usage.sqlite');
    fill(path, ROWS);
  });

  it('groups by model, counting tokens, errors and mean latency, within the period', () => {
    const db = openUsageReader(path);
    try {
      const week = usageByGroup(db, Date.now() - 7 * DAY, 'model');
      expect(week).toEqual([
        expect.objectContaining({ group: 'claude-a', requests: 2, errors: 0, inputTokens: 300, outputTokens: 30, avgMs: 2000 }),
        expect.objectContaining({ group: 'llama-b', requests: 1, errors: 1, inputTokens: 50, outputTokens: 5 }),
      ]);
      const month = usageByGroup(db, Date.now() - 30 * DAY, 'model');
      expect(month.find((row) => row.group === 'llama-b')).toMatchObject({ requests: 2, inputTokens: 1050 });
      expect(usageByGroup(db, Date.now() - 30 * DAY, 'client').map((row) => [row.group, row.requests])).toEqual([
        ['claude-cli', 2],
        ['opencode', 2],
      ]);
      const days = usageByGroup(db, Date.now() - 30 * DAY, 'day');
      expect(days.map((row) => row.group)).toEqual([...days.map((row) => row.group)].sort());
      expect(days.reduce((sum, row) => sum + row.requests, 0)).toBe(4);
    } finally {
      db.close();
    }
  });

  it('rows past the retention are deleted when the history opens', () => {
    const short = join(mkdtempSync(join(tmpdir(), 'dbx-usage-')), 'usage.sqlite');
    fill(short, ROWS, 90);
    fill(short, [], 5);
    const db = openUsageReader(short);
    try {
      expect(usageByGroup(db, 0, 'model').reduce((sum, row) => sum + row.requests, 0)).toBe(3);
    } finally {
      db.close();
    }
  });

  describe('dbx-proxy usage', () => {
    beforeAll(() => buildIfStale(distFile('cli', 'usage.js')));
    const run = (args: string[], env: NodeJS.ProcessEnv) => spawnSync(process.execPath, [BIN, 'usage', ...args], { env, encoding: 'utf8' });

    it('prints a table by model (default), and JSON by client', () => {
      const state = mkdtempSync(join(tmpdir(), 'dbx-state-'));
      fill(join(state, 'dbx-proxy', 'usage.sqlite'), ROWS);
      const env = cleanCliEnv(mkdtempSync(join(tmpdir(), 'dbx-home-')), { XDG_STATE_HOME: state });
      const table = run([], env);
      expect(table.stderr).toBe('');
      expect(table.status).toBe(0);
      const lines = table.stdout.trim().split('\n');
      expect(lines[0]).toMatch(/^MODEL\s+REQUESTS\s+ERRORS\s+INPUT\s+OUTPUT/);
      expect(lines[1]).toMatch(/^claude-a\s+2\s+0\s+300\s+30\s/);
      expect(lines.at(-1)).toMatch(/^TOTAL\s+3\s+1\s+350\s+35\s/);
      const json = JSON.parse(run(['--by', 'client', '--since', '30d', '--json'], env).stdout) as { group: string; requests: number }[];
      expect(json.map((row) => [row.group, row.requests])).toEqual([
        ['claude-cli', 2],
        ['opencode', 2],
      ]);
    });

    it('says so when there is no history yet, and refuses a bad --since or --by naming the fix', () => {
      const env = cleanCliEnv(mkdtempSync(join(tmpdir(), 'dbx-home-')), { XDG_STATE_HOME: mkdtempSync(join(tmpdir(), 'dbx-state-')) });
      const empty = run([], env);
      expect(empty.status).toBe(0);
      expect(empty.stdout).toMatch(/No usage history yet at .*usage\.sqlite/);
      const since = run(['--since', 'last week'], env);
      expect(since.status).toBe(2);
      expect(since.stderr).toMatch(/--since.*m \(minutes\), h \(hours\), d \(days\) or w \(weeks\)/);
      const by = run(['--by', 'week'], env);
      expect(by.status).toBe(2);
      expect(by.stderr).toMatch(/model, day, client/);
    });
  });
});

describe('usage history through the proxy', () => {
  it('keeps every request, no content, and survives a restart', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'dbx-usage-')), 'usage.sqlite');
    const config = { observability: { usage: { enabled: true, path } } };
    const first = await startStack({ config });
    try {
      await callWithSdk(first.proxy.url, { client: 'chat', model: LLAMA }, 'the secret word is pelican');
      await streamWithSdk(first.proxy.url, { client: 'messages', model: CLAUDE }, 'remember pelican');
    } finally {
      await first.close();
    }
    const second = await startStack({ config });
    try {
      await callWithSdk(second.proxy.url, { client: 'responses', model: CLAUDE }, 'after the restart');
      await expect.poll(() => second.proxy.observability.totals.requests).toBe(1);
    } finally {
      await second.close();
    }
    const db = openUsageReader(path);
    try {
      const rows = db.prepare('SELECT * FROM requests ORDER BY time').all() as Record<string, unknown>[];
      expect(rows.map((row) => [row.route, row.model, row.stream, row.outcome])).toEqual([
        ['/v1/chat/completions', LLAMA, 0, 'ok'],
        ['/v1/messages', CLAUDE, 1, 'ok'],
        ['/v1/responses', CLAUDE, 0, 'ok'],
      ]);
      for (const row of rows) expect(row.input_tokens).toBeGreaterThan(0);
      expect(JSON.stringify(rows)).not.toContain('pelican');
    } finally {
      db.close();
    }
  });
});
