import { InvalidArgumentError, Option, type Command } from 'commander';
import { ConfigError } from '../config/errors.js';
import { isShapeId, SHAPE_IDS, type ShapeId } from '../emulator/shapes.js';
import { parsePort } from './options.js';
import { say } from './output.js';
import { closeOnSignal } from './signals.js';
import { releaseYoungGeneration } from '../runtime/startup-heap.js';

interface EmulateFlags {
  port?: number;
  listen: string;
  shape: ShapeId;
  aiGateway: boolean;
  quirks?: string[];
  faults?: string[];
}

/** `a,b` -> ['a', 'b']; the ids are checked against the registries once they are loaded (checkSwitches). */
function idList(value: string): string[] {
  return value
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id.length > 0);
}

/**
 * A typo in --quirks or --faults fails naming the flag's kind and the known
 * ids. Checked in the action rather than while parsing: the registries belong
 * to the emulator, which every other command leaves unloaded.
 */
async function checkSwitches(flags: EmulateFlags): Promise<void> {
  const [{ parseFaultSpec }, { FAULTS, QUIRKS }] = await Promise.all([import('../emulator/faults.js'), import('../emulator/switches.js')]);
  const kinds = [
    ['quirk', '--quirks', flags.quirks, QUIRKS, (id: string) => Object.hasOwn(QUIRKS, id)],
    ['fault', '--faults', flags.faults, FAULTS, (id: string) => parseFaultSpec(id) !== undefined],
  ] as const;
  for (const [kind, flag, ids = [], registry, known] of kinds) {
    const unknown = ids.filter((id) => !known(id));
    if (unknown.length > 0) {
      const names = Object.keys(registry);
      throw new ConfigError(`${flag}: unknown ${kind} ${unknown.join(', ')}; known: ${names.length > 0 ? names.join(', ') : '(none)'}.`);
    }
  }
}

function parseShape(value: string): ShapeId {
  if (!isShapeId(value)) throw new InvalidArgumentError(`Unknown shape ${value}; known: ${SHAPE_IDS.join(', ')}.`);
  return value;
}

function refuseHost(): never {
  throw new InvalidArgumentError('--host names the Databricks workspace in serve, start and the other commands; the emulator binds with --listen <address>.');
}

export function registerEmulate(program: Command): void {
  program
    .command('emulate')
    .description('run the built-in fake Databricks workspace on its own (no real workspace, scripted models)')
    .option('--port <port>', 'port to listen on, 0 for any free one', parsePort, 0)
    .option('--listen <address>', 'address to bind (as for serve)', '127.0.0.1')
    // --host names a workspace in every other command: here it is refused with the flag that binds, not silently taken.
    .addOption(new Option('--host <address>').hideHelp().argParser(refuseHost))
    .option('--shape <id>', `the workspace to play: ${SHAPE_IDS.join(', ')} (a request's x-dbx-emulator-shape header may pick another)`, parseShape, 'demo')
    .option('--no-ai-gateway', 'emulate a workspace without the AI Gateway (Model Serving paths only)')
    .option('--quirks <ids>', 'comma-separated upstream quirks to switch on for every request', idList)
    .option('--faults <ids>', 'comma-separated faults to switch on for every request (id, id*N for the next N requests, id%P for P percent)', idList)
    .addHelpText(
      'after',
      '\nThe URL is the first line on stdout. The demo credentials it accepts are printed below it;\nthey are fake and protect nothing. Point the proxy at it with `dbx-proxy serve --host <url>`\nand DATABRICKS_TOKEN set to the printed PAT (or simply run `dbx-proxy serve --demo`).',
    )
    .action((flags: EmulateFlags) => emulate(flags));
}

async function emulate(flags: EmulateFlags): Promise<void> {
  await checkSwitches(flags);
  // Loaded on use, like serve's (see there).
  const { EMULATOR_DEMO_CLIENT, EMULATOR_DEMO_PAT, startEmulator } = await import('../emulator/index.js');
  const emulator = await startEmulator({
    port: flags.port,
    host: flags.listen,
    shape: flags.shape,
    // --no-ai-gateway switches the gateway off; without it, the shape decides.
    ...(flags.aiGateway ? {} : { aiGateway: false }),
    quirks: flags.quirks,
    faults: flags.faults,
  });
  releaseYoungGeneration();
  say(`dbx-proxy emulator listening on ${emulator.url}`);
  const gateway = flags.aiGateway && flags.shape !== 'classic';
  say(`workspace shape: ${flags.shape}`);
  say(`AI Gateway: ${gateway ? 'on' : 'off (Model Serving paths only)'}`);
  if (flags.quirks?.length) say(`quirks: ${flags.quirks.join(', ')}`);
  if (flags.faults?.length) say(`faults: ${flags.faults.join(', ')}`);
  say();
  say('Demo credentials (fake, accepted only by this emulator):');
  say(`  DATABRICKS_HOST=${emulator.url}`);
  say(`  DATABRICKS_TOKEN=${EMULATOR_DEMO_PAT}`);
  say(`  DATABRICKS_CLIENT_ID=${EMULATOR_DEMO_CLIENT.clientId}`);
  say(`  DATABRICKS_CLIENT_SECRET=${EMULATOR_DEMO_CLIENT.clientSecret}`);
  say('Use the token or the client id/secret, not both. Ctrl+C stops the emulator.');
  closeOnSignal(() => emulator.close());
}
