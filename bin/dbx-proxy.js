#!/usr/bin/env node
// The dbx-proxy command: runs the compiled CLI in dist/ (built by `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(`dbx-proxy: Node.js >= 22.12 is required, this is ${process.version}`);
  process.exit(1);
}

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  console.error(`dbx-proxy: ${fileURLToPath(entry)} is missing: run \`npm run build\` (or \`npm ci\`, which builds) in ${root}`);
  process.exit(1);
}

// Before anything else loads: startup garbage must not swell the idle daemon (src/runtime/startup-heap.ts).
const { holdYoungGenerationSmall } = await import(new URL('../dist/runtime/startup-heap.js', import.meta.url).href);
holdYoungGenerationSmall();
const { main } = await import(entry.href);
await main(process.argv);
