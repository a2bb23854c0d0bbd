import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/built-cli.js';
import { alive, freePort, freshUser, runCli } from '../helpers/cli-run.js';

/** npm from the same Node as the tests (its folder first on PATH, so the installed bin's `env node` finds it too). */
const PATH = `${dirname(process.execPath)}:${process.env.PATH ?? ''}`;

function npm(args: string[], cwd: string): string {
  const result = spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, PATH }, maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`npm ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

let files: string[];
let tarball: string;

/** What the package is made from, copied to a clean folder: a stale dist/ in this checkout must not hide or cause a failure. */
const SOURCES = ['package.json', 'bin', 'src', 'web', 'docs', 'LICENSE', 'README.md', 'config.example.yaml', 'tsconfig.json', 'tsconfig.build.json'];
let clean: string;

beforeAll(() => {
  clean = mkdtempSync(join(tmpdir(), 'dbx-proxy-clean-'));
  for (const path of SOURCES) cpSync(join(ROOT, path), join(clean, path), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(clean, 'node_modules'));
  // The build the package's prepack makes (dist/ from scratch), without running it in this checkout under the other tests' feet.
  const build = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: clean, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build failed: ${build.stdout}`);
  const out = mkdtempSync(join(tmpdir(), 'dbx-proxy-pack-'));
  const [pack] = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', out], clean)) as { filename: string; files: { path: string }[] }[];
  if (!pack) throw new Error('npm pack printed nothing');
  files = pack.files.map((file) => file.path);
  tarball = join(out, pack.filename);
}, 300_000);

describe('the package npm pack makes', () => {
  it('holds the command, its build, its sources, the license, the docs and the example config, and no tests or benchmarks', () => {
    for (const path of ['LICENSE', 'README.md', 'package.json', 'bin/dbx-proxy.js', 'dist/cli/main.js', 'src/cli/main.ts', 'web/status/index.html', 'config.example.yaml', 'docs/architecture.md']) {
      expect(files, path).toContain(path);
    }
    expect(files.filter((path) => /^(test|bench|scripts|node_modules)\//.test(path))).toEqual([]);
  });

  it('every source map points at files the package ships', () => {
    const maps = files.filter((path) => path.endsWith('.js.map'));
    expect(maps.length).toBeGreaterThan(0);
    const shipped = new Set(files);
    const missing = maps.flatMap((map) => {
      const { sources } = JSON.parse(readFileSync(join(clean, map), 'utf8')) as { sources: string[] };
      return sources.map((source) => normalize(join(dirname(map), source))).filter((source) => !shipped.has(source));
    });
    expect(missing).toEqual([]);
  });

  it('says where it comes from: license, engines, bin', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg).toMatchObject({ license: 'Apache-2.0', bin: { 'dbx-proxy': 'bin/dbx-proxy.js' }, engines: { node: expect.any(String) } });
    expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toContain('Apache License');
  });
});

describe('installed from the packed tarball', () => {
  it('start, status, a request, stop: from the installed command, leaving no process behind', { timeout: 300_000 }, async () => {
    const prefix = mkdtempSync(join(tmpdir(), 'dbx-proxy-prefix-'));
    npm(['install', '--global', '--prefix', prefix, tarball, '--prefer-offline', '--no-audit', '--no-fund'], prefix);
    const user = freshUser();
    const env = user.env({ PATH: `${join(prefix, 'bin')}:${PATH}`, DBX_PROXY_PORT: String(await freePort()) });
    // As a user types it: the installed command on PATH, run by its own shebang.
    const sh = (args: string[]) => runCli(['-c', `dbx-proxy ${args.join(' ')}`], env, { bin: '/bin/sh', node: false });

    const start = await sh(['start', '--demo', '--port', '0']);
    expect(start.code, start.stderr).toBe(0);
    const url = /^url: (\S+)$/m.exec(start.stdout)?.[1] ?? '';
    const pid = Number(/^pid: (\d+)$/m.exec(start.stdout)?.[1]);
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).toContain(join(prefix, 'lib', 'node_modules', 'dbx-proxy'));

    const status = await sh(['status']);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`running at ${url}`);

    const answer = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer local' },
      body: JSON.stringify({ model: 'databricks-gpt-5-2', messages: [{ role: 'user', content: 'hello' }] }),
    });
    expect(answer.status).toBe(200);

    const stop = await sh(['stop']);
    expect(stop.code).toBe(0);
    expect(alive(pid)).toBe(false);
    expect((await sh(['status'])).code).toBe(3);
  });
});
