import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigSchema, type Config } from '../../../src/config/schema.js';
import { openWorkspace, type Workspace } from '../../../src/databricks/workspace.js';
import { EMULATOR_DEMO_PAT, startEmulator, type RunningEmulator } from '../../../src/emulator/index.js';
import { createLogger } from '../../../src/logging/logger.js';
import { endpointsPerFamily, planProbes } from '../../../src/repairs/probes/plan.js';
import { runProbes, type ProbeResult } from '../../../src/repairs/probes/run.js';
import { quirkSummary } from '../../../src/repairs/probes/summary.js';
import { upstreamSender } from '../../../src/repairs/probes/upstream-sender.js';
import { REPAIRS } from '../../../src/repairs/registry.js';
import { LogCapture } from '../../helpers/stack.js';

/**
 * The probes behind `dbx-proxy doctor --quirks`, against the emulator with
 * quirk switches on and off: a switched-on quirk shows, a switched-off one
 * is "not seen", and the always-on rules always show.
 */
interface Probed {
  results: ProbeResult[];
  summary: Map<string, string>;
  emulator: RunningEmulator;
}

async function probe(quirks: string[], repairIds: string[]): Promise<Probed> {
  const emulator = await startEmulator({ quirks });
  const config: Config = ConfigSchema.parse({ databricks: { host: emulator.url, token: EMULATOR_DEMO_PAT, authType: 'pat' } });
  let workspace: Workspace | undefined;
  try {
    workspace = await openWorkspace(config, createLogger('silent', new LogCapture()));
    const repairs = REPAIRS.filter((repair) => repairIds.includes(repair.id));
    const plan = planProbes(repairs, endpointsPerFamily(workspace.catalog.entries()), ['ai-gateway', 'model-serving'], config);
    const results = await runProbes(plan.jobs, upstreamSender(workspace.client, 'dbx-proxy-doctor-test'));
    return { results, summary: new Map(quirkSummary(repairs, results, plan).map((line) => [line.repair, line.verdict])), emulator };
  } finally {
    await workspace?.close();
    await emulator.close();
  }
}

const verdicts = (results: ProbeResult[], repair: string) =>
  Object.fromEntries(results.filter((result) => result.repair === repair).map((result) => [`${result.route.surface} ${result.route.family}`, result.verdict]));

describe('doctor --quirks probes', () => {
  const ids = ['tool-cap', 'tool-schema-object', 'long-ids', 'gemini-chat-stream-options'];
  let on: Probed;
  let off: Probed;
  beforeAll(async () => {
    on = await probe(['model-serving-tool-cap', 'responses-long-ids'], ids);
    off = await probe([], ids);
  });

  it('a switched-on request quirk shows on the routes it applies to, and only there', () => {
    expect(verdicts(on.results, 'tool-cap')).toEqual({
      'model-serving claude': 'skipped',
      'model-serving codex': 'shows',
      'model-serving gpt': 'shows',
      'model-serving gemini': 'skipped',
      'model-serving llama': 'shows',
      'model-serving qwen': 'shows',
      'model-serving gemma': 'shows',
      'model-serving other': 'skipped',
    });
    expect(on.results.find((result) => result.repair === 'tool-cap' && result.route.family === 'codex')?.detail).toContain('at most 10 tools');
    expect(on.summary.get('tool-cap')).toMatch(/^still needed: the quirk shows on 5 of 5 routes/);
  });

  it('switched off, it is not seen, and the summary says it is fixed upstream and the repair may be retired', () => {
    expect(Object.values(verdicts(off.results, 'tool-cap')).filter((verdict) => verdict !== 'skipped')).toEqual(['gone', 'gone', 'gone', 'gone', 'gone']);
    expect(off.summary.get('tool-cap')).toMatch(/^fixed upstream: quirk not seen on 5 routes: the repair may be retired/);
  });

  it('a stream quirk is judged on the events: shown with its switch, not seen without', () => {
    expect(new Set(Object.values(verdicts(on.results, 'long-ids')))).toEqual(new Set(['shows']));
    expect(new Set(Object.values(verdicts(off.results, 'long-ids')))).toEqual(new Set(['gone']));
  });

  it('an always-on rule shows either way; an endpoint the gateway does not serve is skipped', () => {
    for (const { results } of [on, off]) {
      const schema = verdicts(results, 'tool-schema-object');
      expect(schema['ai-gateway other']).toBe('skipped');
      expect(Object.entries(schema).filter(([route]) => route !== 'ai-gateway other').every(([, verdict]) => verdict === 'shows')).toBe(true);
    }
  });

  it('a repair no route of the workspace uses is reported as not checked', () => {
    expect(on.results.some((result) => result.repair === 'gemini-chat-stream-options')).toBe(false);
    expect(on.summary.get('gemini-chat-stream-options')).toBe('not checked: no route of this workspace uses it');
  });

  it('a quirk of some models of a family is probed on a model that has it', async () => {
    const thinking = await probe([], ['adaptive-thinking', 'budget-thinking']);
    const routes = (repair: string) => thinking.results.filter((result) => result.repair === repair).map((result) => [result.route.endpoint, result.verdict]);
    // opus-5-5 takes only adaptive thinking, every other Claude endpoint only a budget: each probe goes where its quirk is.
    expect(routes('adaptive-thinking')).toEqual([
      ['databricks-claude-opus-4-8', 'shows'],
      ['databricks-claude-opus-4-8', 'shows'],
    ]);
    expect(routes('budget-thinking')).toEqual([
      ['databricks-claude-opus-5-5', 'shows'],
      ['databricks-claude-opus-5-5', 'shows'],
    ]);
    expect(thinking.summary.get('budget-thinking')).toMatch(/^still needed: the quirk shows on 2 of 2 routes/);
  });

  it('probes are sent with no repair applied, and a refused probe is confirmed by its repaired twin', () => {
    // tool-cap on codex: the probe (11 tools) was refused, then the repaired body (10 tools) accepted.
    const sizes = on.emulator.transcript
      .filter((entry) => entry.path === '/serving-endpoints/responses' && Array.isArray((entry.body as { tools?: unknown[] }).tools))
      .map((entry) => [(entry.body as { tools: unknown[] }).tools.length, entry.status]);
    expect(sizes).toEqual(expect.arrayContaining([[11, 400], [10, 200]]));
  });
});
