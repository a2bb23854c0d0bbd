import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import { EMULATOR_DEMO_PAT, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { samples, scrape } from '../helpers/metrics.js';

/**
 * One Observability serves every configuration a process goes through: after
 * a reload (SIGHUP) to another workspace, the catalog gauge and the status
 * page read the workspace now in force, not the one the process started with.
 */
let stack: Stack;
let other: RunningEmulator;
beforeAll(async () => {
  stack = await startStack();
  other = await startEmulator({ shape: 'hidden-names' });
});
afterAll(async () => {
  await stack.close();
  await other.close();
});

const catalogGauge = async (): Promise<number> => Number(samples(await scrape(stack.proxy.url), 'dbx_proxy_catalog_models')[0]?.value);
const statusModels = async (): Promise<string[]> => {
  const data = (await (await fetch(`${stack.proxy.url}/status/data.json`)).json()) as { workspace: string; models: { name: string }[] };
  return data.models.map((model) => model.name);
};

it('after a reload to another workspace, /metrics and the status page describe the new one', async () => {
  const before = stack.proxy.workspace.catalog.entries().map((entry) => entry.endpoint);
  expect(await catalogGauge()).toBe(before.length);

  await stack.proxy.reload(ConfigSchema.parse({ ...stack.config, databricks: { host: other.url, token: EMULATOR_DEMO_PAT } }));
  const after = stack.proxy.workspace.catalog.entries().map((entry) => entry.endpoint);
  // The two shapes list different models, or this test would prove nothing.
  expect(after.sort()).not.toEqual(before.sort());

  expect(await catalogGauge()).toBe(after.length);
  expect((await statusModels()).sort()).toEqual(after.sort());
});
