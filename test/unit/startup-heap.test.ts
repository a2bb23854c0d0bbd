/**
 * The young generation stays small while the proxy starts and may grow once
 * it serves (src/runtime/startup-heap.ts). Run in fresh Node processes: the
 * test worker's own heap has long since grown.
 */
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildIfStale, distFile } from '../helpers/built-cli.js';

const MODULE = distFile('runtime', 'startup-heap.js');

/** Churns through short-lived objects with a few hundred alive at a time, as startup does; prints the young generation's size in MB. */
const CHURN = `
  const { getHeapSpaceStatistics } = await import('node:v8');
  const youngMb = () => getHeapSpaceStatistics().find((space) => space.space_name === 'new_space').space_size / 2 ** 20;
  const churn = () => { let alive = []; for (let i = 0; i < 300000; i += 1) { alive.push({ text: 'x'.repeat(40) + i, list: [i] }); if (alive.length > 1000) alive = []; } };
`;

function youngGenerationMb(script: string, nodeArgs: string[] = []): number[] {
  const run = spawnSync(process.execPath, [...nodeArgs, '--input-type=module', '-e', `${CHURN}\n${script}`], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout.trim().split(/\s+/).map(Number);
}

beforeAll(() => buildIfStale(MODULE), 120_000);

describe('startup heap', () => {
  it('holds the young generation at its first size during startup, and lets it grow after release', () => {
    const [held = NaN, released = NaN] = youngGenerationMb(`
      const heap = await import(${JSON.stringify(MODULE)});
      heap.holdYoungGenerationSmall();
      churn();
      const held = youngMb();
      heap.releaseYoungGeneration();
      churn(); churn();
      console.log(held, youngMb());
    `);
    expect(held).toBeLessThanOrEqual(2);
    expect(released).toBeGreaterThan(held);
  });

  it('without the hold, the same churn grows it (what the hold prevents)', () => {
    const [grown = NaN] = youngGenerationMb('churn(); console.log(youngMb());');
    expect(grown).toBeGreaterThan(2);
  });

  it("leaves a user's own young-generation flags alone", () => {
    const [size = NaN] = youngGenerationMb(
      `const heap = await import(${JSON.stringify(MODULE)}); heap.holdYoungGenerationSmall(); churn(); console.log(youngMb());`,
      ['--max-semi-space-size=8'],
    );
    expect(size).toBeGreaterThan(2);
  });
});
