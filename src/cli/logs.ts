import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { daemonPaths } from '../daemon/record.js';

interface LogsFlags {
  follow?: boolean;
  lines: number;
}

/** How often `logs -f` looks for new lines. */
const FOLLOW_MS = 250;

function parseLines(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('Expected a number of lines, 0 for the whole log.');
  return Number(value);
}

export function registerLogs(program: Command): void {
  program
    .command('logs')
    .description('print the log of the proxy `dbx-proxy start` runs (its output and JSON log lines)')
    .option('-f, --follow', 'keep printing new lines as they come, until Ctrl+C')
    .option('-n, --lines <n>', 'how many of the last lines to print, 0 for all', parseLines, 100)
    .action((flags: LogsFlags) => logs(flags));
}

async function logs(flags: LogsFlags): Promise<void> {
  const { log } = daemonPaths();
  if (!existsSync(log)) throw new Error(`no log yet at ${log}: it is written by a proxy started with \`dbx-proxy start\`.`);
  const text = readFileSync(log, 'utf8');
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const shown = flags.lines === 0 ? lines : lines.slice(-flags.lines);
  if (shown.length > 0) process.stdout.write(`${shown.join('\n')}\n`);
  if (flags.follow) await follow(log, Buffer.byteLength(text));
}

/** Prints what is appended from `offset` on; a rotated (smaller) log is read from its start. Ends with the process. */
async function follow(log: string, offset: number): Promise<void> {
  let position = offset;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, FOLLOW_MS));
    const size = existsSync(log) ? statSync(log).size : 0;
    if (size < position) position = 0;
    if (size === position) continue;
    await new Promise<void>((resolve, reject) => {
      createReadStream(log, { start: position, end: size - 1 }).on('end', resolve).on('error', reject).pipe(process.stdout, { end: false });
    });
    position = size;
  }
}
