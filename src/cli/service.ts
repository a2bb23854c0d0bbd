import { mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Option, type Command } from 'commander';
import { ConfigError } from '../config/errors.js';
import { loadConfig } from '../config/load.js';
import { currentPlatform, platformService, runAll, type ServicePlatform } from '../service/platforms.js';
import { configFlagsToArgs, flagsToConfig, type ConfigFlags } from './options.js';
import { say } from './output.js';
import { addServeOptions, CLOSE_MARGIN_MS } from './serve.js';
import { workspaceConfigured } from './workspace-choice.js';

interface ServiceFlags extends ConfigFlags {
  /** --no-enable: write (or remove) the file only. */
  enable: boolean;
  platform?: ServicePlatform;
}

/** bin/dbx-proxy.js of this installation (dist/cli -> bin), which the service runs. */
const BIN = fileURLToPath(new URL('../../bin/dbx-proxy.js', import.meta.url));

export function registerService(program: Command): void {
  const service = program.command('service').description('run the proxy at login: a systemd user unit on Linux, a launchd agent on macOS');
  const install = service
    .command('install')
    .description('write and enable the service that runs `dbx-proxy serve` with these settings at login, restarting it when it fails');
  withServiceOptions(addServeOptions(install)).action((flags: ServiceFlags) => installService(flags));
  const uninstall = service.command('uninstall').description('stop and disable the service, and remove its file');
  withServiceOptions(uninstall).action((flags: ServiceFlags) => uninstallService(flags));
}

function withServiceOptions(command: Command): Command {
  return command
    .option('--no-enable', 'only write (or remove) the service file; do not call systemctl / launchctl')
    .addOption(new Option('--platform <platform>', 'service manager (default: this machine\'s)').choices(['systemd', 'launchd']));
}

function chosenPlatform(flags: ServiceFlags): ServicePlatform {
  const platform = flags.platform ?? currentPlatform();
  if (!platform) throw new ConfigError(`service: ${process.platform} has no service manager dbx-proxy supports (systemd, launchd). Fix: run \`dbx-proxy start\` from your login script instead.`);
  return platform;
}

async function installService(flags: ServiceFlags): Promise<void> {
  const loaded = await loadConfig({ flags: flagsToConfig(flags), configPath: flags.config });
  // The service has neither this shell's environment nor a terminal: it needs a workspace it can find on its own.
  if (!loaded.config.demo && !workspaceConfigured(loaded.config, {})) {
    throw new ConfigError(
      'service: the service will not see this shell\'s environment (DATABRICKS_*, DBX_PROXY_*), and no workspace is configured otherwise. ' +
        'Fix: `databricks auth login --host <workspace-url>` (a ~/.databrickscfg profile; add --profile <name> for another than DEFAULT), ' +
        'or databricks.host in a config file passed with --config, or --demo for the demo workspace.',
    );
  }
  const platform = chosenPlatform(flags);
  const target = platformService(platform);
  // The service runs in the home folder: a config found in this folder is passed by its absolute path.
  const config = flags.config ?? loaded.source;
  const argv = [process.execPath, BIN, 'serve', ...configFlagsToArgs({ ...flags, config: config === undefined ? undefined : resolve(config) })];
  mkdirSync(dirname(target.file), { recursive: true });
  writeFileSync(
    target.file,
    target.contents({
      argv,
      workingDirectory: process.env.HOME ?? process.cwd(),
      stopTimeoutSeconds: Math.ceil((loaded.config.server.shutdownGraceMs + CLOSE_MARGIN_MS) / 1000),
    }),
  );
  say(`wrote ${target.file}`);
  say(`it runs: ${argv.join(' ')}`);
  if (!flags.enable) {
    say(`not enabled (--no-enable): ${target.enable.map((command) => command.join(' ')).join(' && ')}`);
    return;
  }
  const failure = runAll(target.enable);
  if (failure) {
    throw new Error(
      `wrote ${target.file}, but enabling it failed: ${failure}. ` +
        (platform === 'systemd'
          ? 'Fix: run it from a login session (a user systemd instance is needed; `loginctl enable-linger $USER` keeps it running without one), or use `dbx-proxy start`.'
          : 'Fix: run it from your macOS login session, or use `dbx-proxy start`.'),
    );
  }
  say('enabled and started: it starts at every login and restarts when it fails.');
  say(`logs: ${target.logsHint}`);
  say('check: dbx-proxy status');
}

async function uninstallService(flags: ServiceFlags): Promise<void> {
  const platform = chosenPlatform(flags);
  const target = platformService(platform);
  if (!existsSync(target.file)) {
    say(`no service installed (${target.file} does not exist).`);
    return;
  }
  const failure = flags.enable ? runAll(target.disable) : undefined;
  rmSync(target.file, { force: true });
  if (flags.enable && platform === 'systemd') runAll([['systemctl', '--user', 'daemon-reload']]);
  say(`removed ${target.file}`);
  if (failure) throw new Error(`removed the file, but stopping the service failed: ${failure}. Fix: stop it with \`dbx-proxy stop\` or your service manager.`);
}
