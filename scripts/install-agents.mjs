#!/usr/bin/env node
// Installs the coding agents the end-to-end suite drives (test/e2e), from npm,
// into a cache outside the repository: $DBX_PROXY_AGENTS_DIR, else
// $HOME/.cache/dbx-proxy/agents (CI caches it). Reused while the versions match.
// Prints the folder whose node_modules/.bin holds claude, codex, opencode, gemini and pi.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Exact versions: the e2e suite's tool names and argument shapes were observed on these (src/emulator/agent-tools.ts). */
export const AGENT_VERSIONS = {
  'opencode-ai': '1.18.33',
  '@anthropic-ai/claude-code': '2.1.330',
  '@openai/codex': '0.169.0',
  '@google/gemini-cli': '0.61.0',
  '@mariozechner/pi-coding-agent': '0.73.1',
};

const dir = process.env.DBX_PROXY_AGENTS_DIR ?? join(homedir(), '.cache', 'dbx-proxy', 'agents');

function installedVersion(name) {
  const manifest = join(dir, 'node_modules', name, 'package.json');
  return existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')).version : undefined;
}

const missing = Object.entries(AGENT_VERSIONS).filter(([name, version]) => installedVersion(name) !== version);
if (missing.length > 0) {
  mkdirSync(dir, { recursive: true });
  // A package.json of its own, so npm installs here and never touches the project's.
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'dbx-proxy-e2e-agents', private: true }, null, 2)}\n`);
  const specs = Object.entries(AGENT_VERSIONS).map(([name, version]) => `${name}@${version}`);
  process.stderr.write(`install-agents: npm install ${specs.join(' ')} in ${dir}\n`);
  // Each agent's platform binary is an npm optional dependency: nothing is fetched outside npm.
  execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', dir, ...specs], { stdio: ['ignore', 2, 2] });
  for (const [name, version] of Object.entries(AGENT_VERSIONS)) {
    if (installedVersion(name) !== version) throw new Error(`install-agents: ${name}@${version} did not install`);
  }
}
process.stdout.write(`${dir}\n`);
