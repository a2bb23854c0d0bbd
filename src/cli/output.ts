import { pino, type DestinationStream } from 'pino';
import type { Dialect, InboundDialect } from '../dialects/dialect.js';
import { INBOUND_DIALECTS, INBOUND_PATHS } from '../dialects/dialect.js';
import type { Config } from '../config/schema.js';
import type { CatalogEntry } from '../databricks/catalog-entry.js';
import type { Surface } from '../databricks/surface.js';
import { createLogger, type Logger } from '../logging/logger.js';
import { describeRoutes, type RoutePlan } from '../routing/plan.js';

/*
 * Where output goes, for every command:
 * - stdout carries what the command produces for the user: the URL the proxy
 *   or emulator listens on, the model table, `models --json`. Scripts read it
 *   (`dbx-proxy emulate | head -1`, `dbx-proxy models --json | jq`), so nothing
 *   else is ever written there.
 * - stderr carries diagnostics: pino's log lines, the demo-mode notice,
 *   shutdown notes and `dbx-proxy: <error>`. A daemon under systemd, Docker or
 *   a terminal still shows both, and a JSON log processor reading stderr never
 *   meets the human banner.
 * - When the logs are JSON (no terminal: a container, a service, CI), `serve`
 *   (and so `start`'s background proxy) writes every stderr line as a JSON log
 *   line, its notices and fatal error too: it calls `diagnosticsAsLogLines`
 *   and speaks through `notify`. One-shot commands (doctor, models, status,
 *   env, ...) are read by people, so their `warn` lines stay plain text.
 */
export function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

export function warn(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** The one place that decides how logs look: readable on a terminal, JSON lines anywhere else. */
export function logsAreJson(stream: { isTTY?: boolean } = process.stderr): boolean {
  return !stream.isTTY;
}

export type NoticeLevel = 'info' | 'warn' | 'error' | 'fatal';

/** Set once `serve` starts with JSON logs: its notices become log lines. */
let noticeLogger: Logger | undefined;

/**
 * From now on, `notify` writes JSON log lines when the logs are JSON. The
 * logger writes synchronously: these lines are few, and the last one (a fatal
 * error, a shutdown) must be out before the process exits. It logs at every
 * level from info, whatever log.level says: these lines were always printed.
 */
export function diagnosticsAsLogLines(
  stream: { isTTY?: boolean } = process.stderr,
  destination: NodeJS.WritableStream | DestinationStream = pino.destination({ dest: 2, sync: true }),
): void {
  noticeLogger = logsAreJson(stream) ? createLogger('info', destination) : undefined;
}

/**
 * A notice of a long-running command: `human` (by default `dbx-proxy: <message>`)
 * for a person, or one JSON log line at `level` whose msg is `message` on one line.
 */
export function notify(level: NoticeLevel, message: string, human = `dbx-proxy: ${message}`): void {
  if (noticeLogger) noticeLogger[level](message.trim().replace(/\s*\n\s*/g, ' '));
  else warn(human);
}

/**
 * The pino logger of a command. On a terminal, lines are made readable and
 * colored by pino-pretty, in a worker thread (pino's transport, so the
 * formatting never runs on the event loop and the module loads only then);
 * anywhere else (a pipe, a file, a container's log) they stay JSON lines,
 * written asynchronously (sonic-boom) so logging never blocks on a slow
 * reader. `createLogger` takes any stream pino accepts.
 */
export function createStderrLogger(level: string, stream: { isTTY?: boolean } = process.stderr): Logger {
  if (!logsAreJson(stream)) {
    const colorize = process.env.NO_COLOR === undefined || process.env.NO_COLOR === '';
    // A request line leads with what a person scans for; every field still follows on the same line.
    // The startup line's per-route repairs (2 KB) stay in JSON logs; a person reads them as `dbx-proxy doctor`'s table.
    const messageFormat = '{msg}{if method} {method} {path} {status} {ms}ms{end}{if model} {model}{end}';
    const options = { destination: 2, colorize, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,routes', singleLine: true, messageFormat };
    const pretty = pino.transport({ target: 'pino-pretty', options });
    return createLogger(level, pretty);
  }
  return createLogger(level, pino.destination({ dest: 2, sync: false }));
}

/** Left-aligned columns, two spaces apart, trailing spaces trimmed. */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, column) => (widths[column] = Math.max(widths[column] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd()).join('\n');
}

const SHORT_DIALECT: Record<Dialect, string> = {
  'openai-chat': 'chat',
  'openai-responses': 'responses',
  'anthropic-messages': 'messages',
  gemini: 'gemini',
};

/** `messages (passthrough)`, `responses (translate)`: the upstream API that answers, and how. */
export function describePlan(plan: RoutePlan): string {
  return `${SHORT_DIALECT[plan.upstream]} (${plan.mode})`;
}

/**
 * One row per model: name, family, [surface], then for each inbound API
 * (headed by its path) the upstream that serves it.
 */
export function routesTable(entries: readonly CatalogEntry[], surface: Surface, withSurface: boolean): string {
  const header = ['MODEL', 'FAMILY', ...(withSurface ? ['SURFACE'] : []), ...INBOUND_DIALECTS.map((inbound) => INBOUND_PATHS[inbound])];
  const rows = [...entries]
    .sort((a, b) => a.endpoint.localeCompare(b.endpoint))
    .map((entry) => {
      const routes = describeRoutes(entry.family, surface, entry);
      return [
        entry.ready ? entry.endpoint : `${entry.endpoint} (not ready)`,
        entry.family,
        ...(withSurface ? [surface] : []),
        ...INBOUND_DIALECTS.map((inbound: InboundDialect) => describePlan(routes[inbound])),
      ];
    });
  return formatTable([header, ...rows]);
}

/** Where the models come from: `workspace: https://... (surface: ai-gateway)`. */
export function workspaceLine(host: string, surface: Surface, emulatorUrl: string | undefined): string {
  return `workspace: ${emulatorUrl ? `DEMO emulator at ${emulatorUrl}` : host} (surface: ${surface})`;
}

/** The model table, then the configured default model and aliases. */
export function printCatalog(entries: readonly CatalogEntry[], surface: Surface, models: Config['models'], withSurface: boolean): void {
  say(entries.length > 0 ? routesTable(entries, surface, withSurface) : 'no chat models found in this workspace');
  if (models.default) say(`default model: ${models.default}`);
  for (const [alias, endpoint] of Object.entries(models.aliases)) say(`alias: ${alias} -> ${endpoint}`);
}
