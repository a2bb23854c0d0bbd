import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/errors.js';
import { registerDoctor } from './doctor.js';
import { registerEmulate } from './emulate.js';
import { registerEnv } from './env.js';
import { registerLogs } from './logs.js';
import { registerModels } from './models.js';
import { notify } from './output.js';
import { registerRun } from './run.js';
import { registerServe } from './serve.js';
import { registerService } from './service.js';
import { registerStart } from './start.js';
import { registerStatus } from './status.js';
import { registerStop } from './stop.js';
import { registerUsage } from './usage.js';

/** Exit codes: 0 ok, 1 a runtime failure (workspace unreachable, port taken), 2 a usage or config error. */
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

function version(): string {
  // The same relative path from src/cli and dist/cli.
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export function buildProgram(): Command {
  const program = new Command('dbx-proxy')
    .description('Use the models of a Databricks workspace from any OpenAI- or Anthropic-speaking client.')
    .version(version())
    .exitOverride()
    .configureOutput({
      // Commander's own errors (unknown option, bad value) become one line: "dbx-proxy: ...".
      outputError: (text, write) => write(`dbx-proxy: ${text.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ')}\n`),
    });
  // Subcommands made with .command() inherit exitOverride and configureOutput.
  registerServe(program);
  registerStart(program);
  registerStop(program);
  registerStatus(program);
  registerLogs(program);
  registerService(program);
  registerModels(program);
  registerEmulate(program);
  registerDoctor(program);
  registerEnv(program);
  registerRun(program);
  registerUsage(program);
  return program;
}

/**
 * Run the command line. Long-running commands (serve, emulate) resolve once
 * they listen and keep the process alive until a signal; one-shot commands
 * resolve when done. Failures set process.exitCode and print one line.
 */
export async function main(argv: readonly string[] = process.argv): Promise<void> {
  try {
    await buildProgram().parseAsync([...argv]);
  } catch (error) {
    process.exitCode = report(error);
  }
}

function report(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander already printed its message (or the help); 0 for --help/--version.
    return error.exitCode === 0 ? 0 : EXIT_USAGE;
  }
  if (error instanceof ConfigError) {
    notify('fatal', error.message);
    return EXIT_USAGE;
  }
  const message = error instanceof Error ? error.message : String(error);
  notify('fatal', message, `dbx-proxy: ${message.trim().replace(/\s*\n\s*/g, ' ')}`);
  return EXIT_FAILURE;
}
