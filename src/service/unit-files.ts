/**
 * The files that run `dbx-proxy serve` at login: a systemd user unit on
 * Linux, a launchd agent on macOS. Both restart the proxy when it fails (not
 * when it was stopped on purpose) and leave its output where the platform
 * keeps logs: the journal (`journalctl --user -u dbx-proxy`), and
 * ~/Library/Logs/dbx-proxy on macOS.
 */
export interface ServiceCommand {
  /** Absolute path of node, then of bin/dbx-proxy.js, then `serve` and its flags. */
  argv: readonly string[];
  /** Seconds the service manager waits after SIGTERM: the shutdown grace plus a margin. */
  stopTimeoutSeconds: number;
  /** Folder the proxy runs in (a relative config path resolves from it): the user's home. */
  workingDirectory: string;
}

export const SERVICE_NAME = 'dbx-proxy';
export const LAUNCHD_LABEL = 'dev.dbx-proxy';

/** systemd quoting: each argument in double quotes, with `\`, `"`, `%` and `$` escaped (systemd.service(5), "Command lines"). */
function systemdQuote(arg: string): string {
  return `"${arg.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%').replace(/\$/g, '$$$$')}"`;
}

export function systemdUnit(command: ServiceCommand): string {
  return [
    '[Unit]',
    'Description=dbx-proxy: the models of a Databricks workspace for OpenAI- and Anthropic-speaking clients',
    'After=network-online.target',
    'Wants=network-online.target',
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${command.argv.map(systemdQuote).join(' ')}`,
    `WorkingDirectory=${command.workingDirectory}`,
    // On failure only: `dbx-proxy service uninstall` or `systemctl --user stop` stay stopped.
    'Restart=on-failure',
    'RestartSec=5',
    `TimeoutStopSec=${command.stopTimeoutSeconds}`,
    // JSON log lines and the banner go to the journal.
    'StandardOutput=journal',
    'StandardError=journal',
    '',
    '[Install]',
    'WantedBy=default.target',
    '',
  ].join('\n');
}

function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function launchdPlist(command: ServiceCommand, logFile: string): string {
  const args = command.argv.map((arg) => `    <string>${xmlEscape(arg)}</string>`).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>Label</key>
  <string>${LAUNCHD_LABEL}</string>
  <key>ProgramArguments</key>
  <array>
${args}
  </array>
  <key>WorkingDirectory</key>
  <string>${xmlEscape(command.workingDirectory)}</string>
  <key>RunAtLoad</key>
  <true/>
  <key>KeepAlive</key>
  <dict>
    <key>SuccessfulExit</key>
    <false/>
  </dict>
  <key>ThrottleInterval</key>
  <integer>5</integer>
  <key>ExitTimeOut</key>
  <integer>${command.stopTimeoutSeconds}</integer>
  <key>StandardOutPath</key>
  <string>${xmlEscape(logFile)}</string>
  <key>StandardErrorPath</key>
  <string>${xmlEscape(logFile)}</string>
</dict>
</plist>
`;
}
