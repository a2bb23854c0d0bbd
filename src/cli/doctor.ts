import type { Command } from 'commander';
import { ConfigError } from '../config/errors.js';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import type { Check } from '../doctor/check.js';
import type { Config } from '../config/schema.js';
import type { Surface } from '../databricks/surface.js';
import type { Workspace } from '../databricks/workspace.js';
import type { ProbeResult } from '../repairs/probes/run.js';
import type { Repair } from '../repairs/types.js';
import { addWorkspaceOptions, ENVIRONMENT_HELP, flagsToConfig, type ConfigFlags } from './options.js';
import { createStderrLogger, formatTable, say, workspaceLine } from './output.js';

interface DoctorFlags extends ConfigFlags {
  quirks?: boolean;
  live?: boolean;
  repair?: string;
  json?: boolean;
}

export function registerDoctor(program: Command): void {
  const command = program
    .command('doctor')
    .description('diagnose the setup as a table of checks, each failure with its fix (exit 1 when one fails), then the repairs each route uses; with --quirks, probe which Databricks quirks the workspace still shows')
    .option('--live', 'also send one tiny request (a few tokens) to one model of each family')
    .option('--quirks', 'send minimal probes per family and surface with no repair (--bare), and report which quirks still show')
    .option('--repair <ids>', 'with --quirks: probe only these repairs (comma-separated ids)')
    .option('--json', 'print the report as JSON');
  addWorkspaceOptions(command)
    .addHelpText(
      'after',
      `\nEach probe is a short request (a few tokens; the thinking probes up to ~2k). A repair whose
quirk no longer shows on any route can be retired: please report it.${ENVIRONMENT_HELP}`,
    )
    .action((flags: DoctorFlags) => doctor(flags));
}

async function doctor(flags: DoctorFlags): Promise<void> {
  const loaded = await loadConfig({ flags: flagsToConfig(flags), configPath: flags.config });
  // Loaded on use, like serve's (see there).
  const [{ openWorkspace }, { chooseWorkspace }, { REPAIRS }, { checkDisabledRepairs }] = await Promise.all([
    import('../databricks/workspace.js'),
    import('./workspace-choice.js'),
    import('../repairs/registry.js'),
    import('../repairs/check-config.js'),
  ]);
  checkDisabledRepairs(loaded.config);
  const repairs = selectRepairs(REPAIRS, flags.repair);
  if (!flags.quirks) {
    await diagnoseAndReport(loaded, flags);
    return;
  }
  const { config, emulator } = await chooseWorkspace(loaded.config);
  const logger = createStderrLogger(config.log.level);
  try {
    const workspace = await openWorkspace(config, logger);
    try {
      await reportQuirks(workspace, config, repairs, Boolean(flags.json), emulator?.url);
    } finally {
      await workspace.close();
    }
  } finally {
    await emulator?.close();
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
  }
}

/** `--repair a,b`: those repairs, in registry order; an unknown id is a usage error naming it. */
function selectRepairs(registry: readonly Repair[], ids: string | undefined): readonly Repair[] {
  if (ids === undefined) return registry;
  const wanted = ids.split(',').map((id) => id.trim()).filter((id) => id.length > 0);
  const unknown = wanted.filter((id) => !registry.some((repair) => repair.id === id));
  if (unknown.length > 0) {
    throw new ConfigError(`--repair: unknown repair ${unknown.map((id) => `'${id}'`).join(', ')} (known repairs: ${registry.map((repair) => repair.id).join(', ')})`);
  }
  return registry.filter((repair) => wanted.includes(repair.id));
}

/** The surfaces a request can take: the workspace's, plus Model Serving behind a gateway (a later route candidate). */
function surfacesOf(workspace: Workspace): Surface[] {
  return [...workspace.surfaces];
}

/** The checks as a table (a fix under each failure), then the repairs each route uses; exit 1 when a check failed. */
async function diagnoseAndReport(loaded: LoadedConfig, flags: DoctorFlags): Promise<void> {
  const logger = createStderrLogger(flags.logLevel ?? 'warn');
  const { diagnose } = await import('../doctor/diagnose.js');
  const { checks, workspace, config, emulator } = await diagnose(loaded, { live: Boolean(flags.live), logger });
  try {
    const routes = workspace ? await routesOf(workspace, config) : undefined;
    if (flags.json) {
      say(JSON.stringify({ checks, ...(workspace ? { surface: workspace.surface, bare: config.repairs.bare, routes } : {}) }, null, 2));
    } else {
      say(formatTable([['CHECK', 'RESULT', 'DETAIL'], ...checks.flatMap(checkRows)]));
      if (workspace && routes) {
        say();
        say(workspaceLine(workspace.host, workspace.surface, emulator?.url));
        say(config.repairs.bare ? 'repairs: all off (--bare)' : 'repairs active per route (surface, upstream API, family):');
        say();
        say(formatTable([['SURFACE', 'UPSTREAM', 'FAMILY', 'REPAIRS'], ...Object.entries(routes).map(([route, ids]) => [...route.split(' '), ids.join(', ') || '-'])]));
        say();
        say('`dbx-proxy doctor --live` sends one tiny request per family; `--quirks` checks which quirks the workspace still shows.');
      }
    }
  } finally {
    await workspace?.close();
    await emulator?.close();
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
  }
  if (checks.some((check) => check.status === 'FAIL')) process.exitCode = 1;
}

/** A check's row, and for a failure or warning with a fix, the fix on the row below. */
function checkRows(check: Check): string[][] {
  const row = [check.name, check.status, check.detail];
  return check.fix ? [row, ['', '', `fix: ${check.fix}`]] : [row];
}

async function routesOf(workspace: Workspace, config: Config): Promise<Record<string, string[]>> {
  const { activeRepairsByRoute } = await import('../repairs/route-summary.js');
  const families = [...new Set(workspace.catalog.entries().map((entry) => entry.family))];
  return activeRepairsByRoute(config, families, surfacesOf(workspace));
}

async function reportQuirks(workspace: Workspace, config: Config, repairs: readonly Repair[], json: boolean, emulatorUrl: string | undefined): Promise<void> {
  const [{ endpointsPerFamily, planProbes }, { runProbes }, { upstreamSender }, { quirkSummary }] = await Promise.all([
    import('../repairs/probes/plan.js'),
    import('../repairs/probes/run.js'),
    import('../repairs/probes/upstream-sender.js'),
    import('../repairs/probes/summary.js'),
  ]);
  const plan = planProbes(repairs, endpointsPerFamily(workspace.catalog.entries()), surfacesOf(workspace), config);
  if (!json) {
    say(workspaceLine(workspace.host, workspace.surface, emulatorUrl));
    say(`probing ${plan.jobs.length} routes, with no repair applied...`);
    say();
  }
  // A probe's detail quotes the workspace's refusal, which may echo a credential (secrets/scrubber.ts).
  const results = (await runProbes(plan.jobs, upstreamSender(workspace.client, 'dbx-proxy-doctor'))).map((result) =>
    result.detail === undefined ? result : { ...result, detail: workspace.scrubber.text(result.detail) },
  );
  const summary = quirkSummary(repairs, results, plan);
  if (json) {
    say(JSON.stringify({ surface: workspace.surface, results, summary }, null, 2));
    return;
  }
  say(formatTable([['REPAIR', 'SURFACE', 'FAMILY', 'ENDPOINT', 'RESULT', 'DETAIL'], ...results.map(resultRow)]));
  say();
  say(formatTable(summary.map(({ repair, verdict }) => [repair, verdict])));
}

const RESULT_WORDS: Record<ProbeResult['verdict'], string> = {
  shows: 'quirk shows',
  gone: 'not seen',
  inconclusive: 'inconclusive',
  skipped: 'skipped',
};

function resultRow(result: ProbeResult): string[] {
  const { surface, family, endpoint } = result.route;
  return [result.repair, surface, family, endpoint, RESULT_WORDS[result.verdict], (result.detail ?? '').replace(/\s+/g, ' ')];
}
