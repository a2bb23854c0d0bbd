import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { CatalogEntry } from '../databricks/catalog-entry.js';
import type { Surface } from '../databricks/surface.js';
import { INBOUND_DIALECTS } from '../dialects/dialect.js';
import { describeRoutes } from '../routing/plan.js';
import { addWorkspaceOptions, ENVIRONMENT_HELP, flagsToConfig, type ConfigFlags } from './options.js';
import { createStderrLogger, printCatalog, say, workspaceLine } from './output.js';

interface ModelsFlags extends ConfigFlags {
  json?: boolean;
}

export function registerModels(program: Command): void {
  const command = program
    .command('models')
    .description("list the workspace's chat models and which upstream API serves each inbound API")
    .option('--json', 'print a JSON array instead of a table');
  addWorkspaceOptions(command)
    .addHelpText('after', ENVIRONMENT_HELP)
    .action((flags: ModelsFlags) => models(flags));
}

async function models(flags: ModelsFlags): Promise<void> {
  const loaded = await loadConfig({ flags: flagsToConfig(flags), configPath: flags.config });
  // Loaded on use, like serve's (see there).
  const [{ openWorkspace }, { chooseWorkspace }] = await Promise.all([import('../databricks/workspace.js'), import('./workspace-choice.js')]);
  const { config, emulator } = await chooseWorkspace(loaded.config);
  const logger = createStderrLogger(config.log.level);
  try {
    const workspace = await openWorkspace(config, logger);
    try {
      const { surface } = workspace;
      const entries = [...workspace.catalog.entries()].sort((a, b) => a.endpoint.localeCompare(b.endpoint));
      if (flags.json) {
        say(JSON.stringify(jsonRows(entries, surface, config.models), null, 2));
        return;
      }
      say(workspaceLine(workspace.host, surface, emulator?.url));
      say();
      printCatalog(entries, surface, config.models, true);
    } finally {
      await workspace.close();
    }
  } finally {
    await emulator?.close();
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
  }
}

/** One object per model for `--json`; `routes` is keyed by inbound dialect, as describeRoutes is. */
function jsonRows(entries: readonly CatalogEntry[], surface: Surface, models: Config['models']): unknown[] {
  const aliasesOf = (endpoint: string) =>
    Object.entries(models.aliases)
      .filter(([, target]) => target === endpoint)
      .map(([alias]) => alias);
  return entries.map((entry) => {
    const routes = describeRoutes(entry.family, surface, entry);
    return {
      model: entry.endpoint,
      family: entry.family,
      kind: entry.kind,
      task: entry.task ?? null,
      ready: entry.ready,
      surface,
      aliases: aliasesOf(entry.endpoint),
      default: entry.endpoint === models.default,
      routes: Object.fromEntries(
        INBOUND_DIALECTS.map((inbound) => [inbound, { mode: routes[inbound].mode, upstream: routes[inbound].upstream }]),
      ),
    };
  });
}
