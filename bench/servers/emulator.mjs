// The workspace emulator in its own process, so the load generator, the
// emulator and the proxy under test never share an event loop.
// Usage: node bench/servers/emulator.mjs [fault,...]   Prints `READY <url>`.
import { startEmulator } from '../../dist/emulator/index.js';

const faults = (process.argv[2] ?? '').split(',').filter(Boolean);
// A short transcript: the bench sends 100k+ requests and the emulator's memory is not what is measured.
const emulator = await startEmulator({ faults, transcriptLimit: 50 });
process.stdout.write(`READY ${emulator.url}\n`);
process.on('SIGTERM', () => void emulator.close().then(() => process.exit(0)));
