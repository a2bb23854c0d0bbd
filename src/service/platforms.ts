import { spawnSync } from 'node:child_process';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { launchdPlist, LAUNCHD_LABEL, SERVICE_NAME, systemdUnit, type ServiceCommand } from './unit-files.js';

export type ServicePlatform = 'systemd' | 'launchd';

/** One platform's service: where its file goes, what it holds, and the commands that enable and disable it. */
export interface PlatformService {
  file: string;
  contents(command: ServiceCommand): string;
  enable: readonly (readonly string[])[];
  disable: readonly (readonly string[])[];
  /** Where the proxy's output can be read once it runs. */
  logsHint: string;
}

function configHome(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME;
  return base && isAbsolute(base) ? base : join(env.HOME || homedir(), '.config');
}

export function platformService(platform: ServicePlatform, env: NodeJS.ProcessEnv = process.env): PlatformService {
  const home = env.HOME || homedir();
  if (platform === 'systemd') {
    const unit = `${SERVICE_NAME}.service`;
    return {
      file: join(configHome(env), 'systemd', 'user', unit),
      contents: systemdUnit,
      enable: [
        ['systemctl', '--user', 'daemon-reload'],
        ['systemctl', '--user', 'enable', '--now', unit],
      ],
      disable: [['systemctl', '--user', 'disable', '--now', unit]],
      logsHint: `journalctl --user -u ${SERVICE_NAME} -f`,
    };
  }
  const uid = process.getuid?.() ?? 501;
  const logFile = join(home, 'Library', 'Logs', SERVICE_NAME, `${SERVICE_NAME}.log`);
  const file = join(home, 'Library', 'LaunchAgents', `${LAUNCHD_LABEL}.plist`);
  return {
    file,
    contents: (command) => launchdPlist(command, logFile),
    enable: [['launchctl', 'bootstrap', `gui/${uid}`, file]],
    disable: [['launchctl', 'bootout', `gui/${uid}/${LAUNCHD_LABEL}`]],
    logsHint: `tail -f ${logFile}`,
  };
}

/** This machine's service manager, or undefined on a platform without one we support. */
export function currentPlatform(): ServicePlatform | undefined {
  if (process.platform === 'darwin') return 'launchd';
  if (process.platform === 'linux') return 'systemd';
  return undefined;
}

/** Runs each command in turn; the first failure as one line naming the command and what it said. */
export function runAll(commands: readonly (readonly string[])[]): string | undefined {
  for (const [program = '', ...args] of commands) {
    const result = spawnSync(program, args, { encoding: 'utf8' });
    if (result.error) return `\`${[program, ...args].join(' ')}\` could not run: ${result.error.message}`;
    if (result.status !== 0) return `\`${[program, ...args].join(' ')}\` failed: ${(result.stderr || result.stdout).trim().split('\n')[0] ?? ''}`;
  }
  return undefined;
}
