import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigSchema, type ConfigInput } from '../../src/config/schema.js';
import { EMULATOR_DEMO_PAT, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { startProxy, type RunningProxy } from '../../src/server/start.js';
import { LogCapture } from '../helpers/stack.js';
import { createLogger } from '../../src/logging/logger.js';

let state: string;
let emulator: RunningEmulator;
const proxies: RunningProxy[] = [];
const savedState = process.env.XDG_STATE_HOME;

beforeEach(async () => {
  state = mkdtempSync(join(tmpdir(), 'dbx-proxy-state-'));
  process.env.XDG_STATE_HOME = state;
  emulator = await startEmulator();
});
afterEach(async () => {
  for (const proxy of proxies.splice(0)) await proxy.close();
  await emulator.close();
  if (savedState === undefined) delete process.env.XDG_STATE_HOME;
  else process.env.XDG_STATE_HOME = savedState;
});

async function start(config: ConfigInput = {}): Promise<{ proxy: RunningProxy; logs: LogCapture }> {
  const logs = new LogCapture();
  const proxy = await startProxy(ConfigSchema.parse({ port: 0, databricks: { host: emulator.url, token: EMULATOR_DEMO_PAT }, upstream: { maxAttempts: 1 }, ...config }), createLogger('info', logs));
  proxies.push(proxy);
  return { proxy, logs };
}

const cacheFiles = () => (existsSync(join(state, 'dbx-proxy', 'catalog')) ? readdirSync(join(state, 'dbx-proxy', 'catalog')) : []);

async function modelIds(proxy: RunningProxy): Promise<string[]> {
  const body = (await (await fetch(`${proxy.url}/v1/models`)).json()) as { data: { id: string }[] };
  return body.data.map((model) => model.id).sort();
}

describe('the catalog cached on disk', () => {
  it('a restart serves the cached catalog without waiting for discovery: it starts even while the workspace does not answer', async () => {
    const first = await start({ catalog: { cache: 'on' } });
    const models = await modelIds(first.proxy);
    expect(cacheFiles()).toHaveLength(1);
    const text = readFileSync(join(state, 'dbx-proxy', 'catalog', cacheFiles()[0]!), 'utf8');
    expect(text).not.toContain(EMULATOR_DEMO_PAT);
    await proxies.pop()!.close();

    // The workspace stops answering: only a start that need not discover can succeed (a PAT needs no call to warm).
    emulator.setUnreachable(true);
    const second = await start({ catalog: { cache: 'on' } });
    expect(await modelIds(second.proxy)).toEqual(models);
    expect(second.logs.records().some((record) => record.msg === 'serving the cached catalog; discovering again in the background')).toBe(true);
  });

  it('without the cache, the same start waits for discovery and fails', async () => {
    await (await start({ catalog: { cache: 'off' } })).proxy.close();
    proxies.pop();
    expect(cacheFiles()).toEqual([]);
    emulator.setUnreachable(true);
    await expect(start({ catalog: { cache: 'off' } })).rejects.toThrow();
  });

  it('auto leaves a workspace on loopback (an emulator) uncached', async () => {
    await start();
    expect(cacheFiles()).toEqual([]);
  });

  it('the background discovery refreshes the cache', async () => {
    await start({ catalog: { cache: 'on' } });
    const file = join(state, 'dbx-proxy', 'catalog', cacheFiles()[0]!);
    const savedAt = (JSON.parse(readFileSync(file, 'utf8')) as { savedAt: string }).savedAt;
    await proxies.pop()!.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await start({ catalog: { cache: 'on' } });
    const deadline = Date.now() + 5_000;
    while ((JSON.parse(readFileSync(file, 'utf8')) as { savedAt: string }).savedAt === savedAt && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect((JSON.parse(readFileSync(file, 'utf8')) as { savedAt: string }).savedAt).not.toBe(savedAt);
  });
});
