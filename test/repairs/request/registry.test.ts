import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flagsToConfig } from '../../../src/cli/options.js';
import { ConfigError } from '../../../src/config/errors.js';
import { loadConfig } from '../../../src/config/load.js';
import { QUIRKS } from '../../../src/emulator/switches.js';
import { REQUEST_RULES } from '../../../src/emulator/quirks.js';
import { REQUEST_REPAIRS } from '../../../src/repairs/request/index.js';
import { REPAIRS } from '../../../src/repairs/registry.js';
import { startStack } from '../../helpers/stack.js';
import { MODELS, openai, outcome, postToProxy } from './support.js';

/**
 * The registry, its documentation and its switches stay in step: every
 * repair is documented in docs/repairs.md and names an emulator quirk or
 * rule that exists; `repairs.disable` refuses unknown ids; the startup log
 * lists what is active; `--bare` turns everything off.
 */
const ROOT = join(import.meta.dirname, '..', '..', '..');

describe('the registry and docs/repairs.md', () => {
  it('every registered repair has one row, and every row names a registered repair', async () => {
    const doc = await readFile(join(ROOT, 'docs', 'repairs.md'), 'utf8');
    const rows = [...doc.matchAll(/^\| `([^`]+)` \|/gm)].map((match) => match[1]);
    const ids = REPAIRS.map((repair) => repair.id);
    expect([...rows].sort()).toEqual([...ids].sort());
  });

  it('ids are unique kebab-case, and each names an emulator quirk switch or always-on rule that exists', () => {
    const ids = REPAIRS.map((repair) => repair.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const repair of REPAIRS) {
      expect(repair.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(Object.hasOwn(QUIRKS, repair.quirk) || Object.hasOwn(REQUEST_RULES, repair.quirk), `${repair.id}: ${repair.quirk}`).toBe(true);
    }
  });

  it('every request repair fixes requests, has a probe, and a header saying what, where from, where, and how it is reproduced', async () => {
    const folder = join(ROOT, 'src', 'repairs', 'request');
    const files = await readdir(folder);
    for (const repair of REQUEST_REPAIRS) {
      expect(repair.request, repair.id).toBeTypeOf('function');
      expect(repair.probe, repair.id).toBeDefined();
      const text = await readFile(join(folder, `${repair.id}.ts`), 'utf8');
      expect(files).toContain(`${repair.id}.ts`);
      for (const field of ['Fixes:', 'Source:', 'Applies:', 'Emulator:']) expect(text, `${repair.id} ${field}`).toContain(field);
      expect(text).toContain(repair.quirk);
    }
  });
});

describe('repairs.disable and --bare', () => {
  it('an unknown id in repairs.disable stops the proxy at start, naming it', async () => {
    const started = await outcome(() => startStack({ config: { repairs: { disable: ['tool-cap', 'tool-schema-objekt'] } } }));
    expect(started.error).toBeInstanceOf(ConfigError);
    expect(started.error?.message).toMatch(/^config: repairs\.disable\[1\]: unknown repair 'tool-schema-objekt' \(known repairs: .*tool-schema-object/);
  });

  it('the startup log lists the active repairs per route, without the disabled ones', async () => {
    const stack = await startStack({ config: { repairs: { disable: ['context-management'] } } });
    try {
      const line = stack.logs.records().find((record) => record.msg === 'repairs active per route');
      expect(line).toMatchObject({ level: 30, disabled: ['context-management'] });
      const routes = line?.routes as Record<string, string[]>;
      expect(routes['ai-gateway anthropic-messages claude']).toEqual(expect.arrayContaining(['tool-schema-object', 'adaptive-thinking']));
      expect(routes['ai-gateway anthropic-messages claude']).not.toContain('context-management');
      expect(routes['ai-gateway openai-chat llama']).not.toContain('tool-cap');
      expect(routes['model-serving openai-chat llama']).toContain('tool-cap');
    } finally {
      await stack.close();
    }
  });

  it('--bare and DBX_PROXY_BARE=1 set repairs.bare', async () => {
    expect(flagsToConfig({ bare: true })).toEqual({ repairs: { bare: true } });
    const { config } = await loadConfig({ env: { DBX_PROXY_BARE: '1' }, cwd: ROOT, homeDir: '/nonexistent', configPath: undefined });
    expect(config.repairs.bare).toBe(true);
  });

  it('bare: the startup log says all repairs are off, and the body goes upstream as the client sent it', async () => {
    const stack = await startStack({ config: { repairs: { bare: true } } });
    try {
      expect(stack.logs.records().find((record) => record.msg === 'repairs: all off (bare)')).toBeDefined();
      const refused = await postToProxy(stack, '/v1/messages', {
        model: MODELS.claude,
        max_tokens: 512,
        context_management: { edits: [] },
        messages: [{ role: 'user', content: 'hello' }],
      });
      expect(refused.status).toBe(400);
      expect(refused.json).toMatchObject({ type: 'error', error: { message: 'context_management: Extra inputs are not permitted' } });
      // A request that needs no repair still works.
      const done = await openai(stack).chat.completions.create({ model: MODELS.llama, messages: [{ role: 'user', content: 'hello bare' }] });
      expect(done.choices[0]?.message.content).toContain('hello bare');
    } finally {
      await stack.close();
    }
  });
});
