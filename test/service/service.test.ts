import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { launchdPlist, systemdUnit } from '../../src/service/unit-files.js';
import { BIN, buildIfStale, distFile } from '../helpers/built-cli.js';
import { freshUser, runCli } from '../helpers/cli-run.js';

beforeAll(() => buildIfStale(distFile('cli', 'main.js')), 120_000);

/** Whether this machine has the platform's verifier; the checks of the file's contents run everywhere. */
const hasSystemdAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;

/** What `systemd-analyze verify --user` says about this unit file (it also looks at the machine's own units: those lines are left out). */
function verifierComplaints(unit: string, home: string): string[] {
  // A user manager needs a runtime directory, which a session without a login (CI, a container) lacks.
  const runtime = join(home, 'runtime');
  mkdirSync(runtime, { recursive: true, mode: 0o700 });
  const verify = spawnSync('systemd-analyze', ['verify', '--user', unit], {
    encoding: 'utf8',
    env: { ...process.env, XDG_CONFIG_HOME: join(home, 'config'), XDG_RUNTIME_DIR: runtime },
  });
  return `${verify.stdout}${verify.stderr}`.split('\n').filter((line) => line.includes(basename(unit)));
}

function userWithConfigHome() {
  const user = freshUser();
  const configHome = join(user.home, 'config');
  return { ...user, configHome, unit: join(configHome, 'systemd', 'user', 'dbx-proxy.service'), env: (extra: Record<string, string> = {}) => user.env({ XDG_CONFIG_HOME: configHome, ...extra }) };
}

describe('service install | uninstall (systemd)', { timeout: 60_000 }, () => {
  it('writes a user unit that runs serve with the given settings, restarts on failure and logs to the journal', async () => {
    const user = userWithConfigHome();
    const result = await runCli(['service', 'install', '--no-enable', '--platform', 'systemd', '--demo', '--port', '8431'], user.env());
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`wrote ${user.unit}`);
    expect(result.stdout).toContain('not enabled (--no-enable): systemctl --user daemon-reload && systemctl --user enable --now dbx-proxy.service');
    const unit = readFileSync(user.unit, 'utf8');
    expect(unit).toContain(`ExecStart="${process.execPath}" "${BIN}" "serve" "--port" "8431" "--demo"`);
    expect(unit).toMatch(/^Restart=on-failure$/m);
    expect(unit).toMatch(/^StandardError=journal$/m);
    expect(unit).toMatch(/^TimeoutStopSec=15$/m);
    expect(unit).toMatch(/^WantedBy=default\.target$/m);
    if (hasSystemdAnalyze) {
      expect(verifierComplaints(user.unit, user.home)).toEqual([]);
      // The verifier does read the file: a broken copy is flagged.
      const broken = join(user.home, 'config', 'systemd', 'user', 'broken-dbx-proxy.service');
      writeFileSync(broken, unit.replace('Restart=on-failure', 'Restart=whenever'));
      expect(verifierComplaints(broken, user.home).join('\n')).toMatch(/restart specifier/i);
    }
  });

  it('uninstall removes it; a second uninstall says there is none', async () => {
    const user = userWithConfigHome();
    expect((await runCli(['service', 'install', '--no-enable', '--platform', 'systemd', '--demo'], user.env())).code).toBe(0);
    const removed = await runCli(['service', 'uninstall', '--no-enable', '--platform', 'systemd'], user.env());
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain(`removed ${user.unit}`);
    expect(existsSync(user.unit)).toBe(false);
    const again = await runCli(['service', 'uninstall', '--no-enable', '--platform', 'systemd'], user.env());
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('no service installed');
  });

  it('refuses a workspace only this shell\'s environment names: the service would not see it', async () => {
    const user = userWithConfigHome();
    const result = await runCli(['service', 'install', '--no-enable', '--platform', 'systemd'], user.env({ DATABRICKS_HOST: 'https://x.cloud.databricks.com', DATABRICKS_TOKEN: 'dapi-x' }));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("the service will not see this shell's environment");
    expect(result.stderr).toMatch(/Fix: `databricks auth login --host <workspace-url>`/);
    expect(existsSync(user.unit)).toBe(false);
  });

  it('a profile in ~/.databrickscfg is enough, and is passed on', async () => {
    const user = userWithConfigHome();
    writeFileSync(join(user.home, '.databrickscfg'), '[dev]\nhost = https://x.cloud.databricks.com\n');
    const result = await runCli(['service', 'install', '--no-enable', '--platform', 'systemd', '--profile', 'dev'], user.env());
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(user.unit, 'utf8')).toContain('"serve" "--profile" "dev"');
  });

  it('when systemctl cannot enable it, says what failed and how to fix it', async () => {
    const user = userWithConfigHome();
    const bin = join(user.home, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'systemctl'), '#!/bin/sh\necho "Failed to connect to bus: No medium found" >&2\nexit 1\n');
    chmodSync(join(bin, 'systemctl'), 0o755);
    const result = await runCli(['service', 'install', '--platform', 'systemd', '--demo'], user.env({ PATH: `${bin}:${process.env.PATH}` }));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('enabling it failed: `systemctl --user daemon-reload` failed: Failed to connect to bus');
    expect(result.stderr).toContain('loginctl enable-linger');
  });
});

describe('service install (launchd)', { timeout: 60_000 }, () => {
  it('writes a LaunchAgent that runs at load, restarts on failure and logs to ~/Library/Logs', async () => {
    const user = freshUser();
    const result = await runCli(['service', 'install', '--no-enable', '--platform', 'launchd', '--demo'], user.env());
    expect(result.code, result.stderr).toBe(0);
    const plist = readFileSync(join(user.home, 'Library', 'LaunchAgents', 'dev.dbx-proxy.plist'), 'utf8');
    expect(plist).toContain(`<string>${process.execPath}</string>\n    <string>${BIN}</string>\n    <string>serve</string>\n    <string>--demo</string>`);
    expect(plist).toMatch(/<key>KeepAlive<\/key>\s*<dict>\s*<key>SuccessfulExit<\/key>\s*<false\/>/);
    expect(plist).toContain(`<string>${join(user.home, 'Library', 'Logs', 'dbx-proxy', 'dbx-proxy.log')}</string>`);
    if (spawnSync('plutil', ['-help']).error === undefined) {
      expect(spawnSync('plutil', ['-lint', join(user.home, 'Library', 'LaunchAgents', 'dev.dbx-proxy.plist')]).status).toBe(0);
    }
  });
});

describe('unit files escape what they carry', () => {
  const command = { argv: ['/n o/node', '/bin/x', 'serve', '--config', '/a/50%$"b".yaml'], stopTimeoutSeconds: 15, workingDirectory: '/home/u' };
  it('systemd: quotes, %, $ and backslashes', () => {
    expect(systemdUnit(command)).toContain('ExecStart="/n o/node" "/bin/x" "serve" "--config" "/a/50%%$$\\"b\\".yaml"');
  });
  it('launchd: XML entities', () => {
    expect(launchdPlist({ ...command, argv: ['/a/<&>.yaml'] }, '/l')).toContain('<string>/a/&lt;&amp;&gt;.yaml</string>');
  });
});
