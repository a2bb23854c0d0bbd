import { Option, type Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { addWorkspaceOptions, ENVIRONMENT_HELP, flagsToConfig, parsePort, type ConfigFlags } from './options.js';
import { createStderrLogger, diagnosticsAsLogLines, printCatalog, say, workspaceLine } from './output.js';
import { closeOnSignal, reloadOnSignal } from './signals.js';

interface ServeFlags extends ConfigFlags {
  /** Set by `dbx-proxy start` on the proxy it launches: record it in the state directory, outlive the launcher. */
  daemon?: boolean;
}

/** serve's options, which `start` takes too (it passes them on). */
export function addServeOptions(command: Command): Command {
  command
    .option('--port <port>', 'port to listen on, 0 for any free one (default: 8420) [env: DBX_PROXY_PORT]', parsePort)
    .option('--listen <address>', 'address to bind (default: 127.0.0.1) [env: DBX_PROXY_LISTEN]')
    .option('--bare', 'turn every repair off [env: DBX_PROXY_BARE]')
    .option('--passthrough-auth', "send each caller's own Databricks token upstream instead of the proxy's [env: DBX_PROXY_PASSTHROUGH_AUTH]");
  return addWorkspaceOptions(command).addHelpText('after', ENVIRONMENT_HELP);
}

export function registerServe(program: Command): void {
  const command = program
    .command('serve')
    .description('run the proxy in the foreground: OpenAI and Anthropic APIs on a local port, served by the models of a Databricks workspace');
  addServeOptions(command)
    .addOption(new Option('--daemon').hideHelp())
    .action((flags: ServeFlags) => serve(flags));
}

/** Time for closing beyond the shutdown grace: error tails, the pool, the emulator. */
export const CLOSE_MARGIN_MS = 5_000;

async function serve(flags: ServeFlags): Promise<void> {
  // Before anything can fail: a proxy without a terminal writes only JSON lines on stderr, its fatal error too.
  diagnosticsAsLogLines();
  const loaded = await loadConfig({ flags: flagsToConfig(flags), configPath: flags.config });
  // The server, the SDK and the emulator load only once the config is good, so
  // --help, flag and config errors stay fast and never depend on those modules.
  const [{ startProxy }, { chooseWorkspace, demoConfig }, { explainListenError }] = await Promise.all([
    import('../server/start.js'),
    import('./workspace-choice.js'),
    import('./listen-error.js'),
  ]);
  const { config, emulator } = await chooseWorkspace(loaded.config);
  const logger = createStderrLogger(config.log.level);
  let proxy;
  try {
    proxy = await startProxy(config, logger);
  } catch (error) {
    await emulator?.close();
    throw await explainListenError(error, config);
  }
  const { workspace } = proxy;

  say(`dbx-proxy listening on ${proxy.url}`);
  say(workspaceLine(workspace.host, workspace.surface, emulator?.url));
  say(`config:    ${loaded.source ?? 'no file (flags, environment and defaults)'}`);
  say();
  printCatalog(workspace.catalog.entries(), workspace.surface, config.models, false);
  say();
  say(`OpenAI clients:    OPENAI_BASE_URL=${proxy.url}/v1`);
  say(`Anthropic clients: ANTHROPIC_BASE_URL=${proxy.url}`);
  say(`Gemini clients:    GOOGLE_GEMINI_BASE_URL=${proxy.url}`);
  if (config.server.apiKeys.length > 0) say('Clients must send one of server.apiKeys (Authorization: Bearer or x-api-key).');
  const seeing = [config.observability.statusPage && `status page ${proxy.url}/`, config.observability.metrics && `metrics ${proxy.url}/metrics`].filter(Boolean);
  if (seeing.length > 0) say(`Watch it:          ${seeing.join(', ')} (docs/observability.md)`);
  say('`dbx-proxy doctor` checks the setup and lists the repairs each route uses.');
  say(flags.daemon ? 'Running in the background: `dbx-proxy stop` stops it.' : 'Ctrl+C stops the proxy.');

  const { backgroundRecord, stopWhenParentLeaves } = await import('./serve-lifetime.js');
  const record = flags.daemon ? backgroundRecord(config, proxy.url) : undefined;
  if (!flags.daemon) stopWhenParentLeaves();
  // SIGHUP: the file and the environment read again, the workspace opened again, no request dropped (docs/operations.md).
  reloadOnSignal(
    async () => {
      const next = await loadConfig({ flags: flagsToConfig(flags), configPath: flags.config });
      const kept = await proxy.reload(emulator ? demoConfig(next.config, emulator.url) : next.config);
      logger.info({ config: next.source ?? null, models: proxy.workspace.catalog.entries().length }, 'SIGHUP: configuration reloaded; new requests use it, running ones finish as they began');
      if (kept.length > 0) logger.warn({ unchanged: kept }, `SIGHUP: these settings need a restart and keep their running value: ${kept.join('; ')}`);
    },
    (error) => logger.error({ reason: error instanceof Error ? error.message : String(error) }, 'SIGHUP: the new configuration was refused; the running one stays'),
  );
  closeOnSignal(
    async () => {
      record?.remove();
      await proxy.close();
      await emulator?.close();
    },
    (done) => logger.flush(() => done()),
    // The proxy's own close takes up to the grace period plus a few seconds to write the ended streams' tails.
    config.server.shutdownGraceMs + CLOSE_MARGIN_MS,
  );
}
