// Streaming figures: events per second through a long stream, and the gaps
// between frames of a paced one.
import { percentile } from './stats.mjs';
import { timedStream } from './http.mjs';
import { closeTargets, targetsFor } from './targets.mjs';

/** Long stream: frames per second between the first and the last byte, per target, best of `streams`. */
export async function eventsPerSecondRun(scenario, servers, { streams }) {
  const targets = targetsFor(scenario, servers);
  const run = {};
  try {
    for (const target of targets) {
      let best = 0;
      let frames = 0;
      for (let i = 0; i < streams; i += 1) {
        const result = await timedStream(target.client, target.request);
        frames = result.frames;
        best = Math.max(best, result.frames / ((result.totalMs - result.ttfbMs) / 1000));
      }
      run[`${target.name}EventsPerSecond`] = best;
      run[`${target.name}Frames`] = frames;
    }
  } finally {
    await closeTargets(targets);
  }
  run.proxyOverDirect = run.proxyEventsPerSecond / run.directEventsPerSecond;
  run.proxyOverFloor = run.proxyEventsPerSecond / run.floorEventsPerSecond;
  return run;
}

/**
 * Paced stream (the emulator's steady-drip fault: 20 ms between frames):
 * p99 of the gaps between consecutive frames as each target delivers them,
 * and the proxy's p99 minus direct's.
 */
export async function pacedRun(scenario, servers, { streams }) {
  const targets = targetsFor(scenario, servers);
  const gaps = Object.fromEntries(targets.map((target) => [target.name, []]));
  try {
    for (let i = 0; i < streams; i += 1) {
      // Interleaved stream by stream, all targets in parallel: the same moment of the machine for each.
      await Promise.all(
        targets.map(async (target) => {
          const { arrivals } = await timedStream(target.client, target.request, { keepArrivals: true });
          for (let k = 1; k < arrivals.length; k += 1) gaps[target.name].push(arrivals[k] - arrivals[k - 1]);
        }),
      );
    }
  } finally {
    await closeTargets(targets);
  }
  const run = {};
  for (const [name, values] of Object.entries(gaps)) {
    run[`${name}GapP50`] = percentile(values, 50);
    run[`${name}GapP99`] = percentile(values, 99);
  }
  for (const target of targets) if (target.name !== 'direct') run[`${target.name}GapP99Added`] = run[`${target.name}GapP99`] - run.directGapP99;
  // The floor's own jitter on this machine, at the same moment: what a proxy cannot do without.
  run.proxyMinusFloorGapP99 = run.proxyGapP99 - run.floorGapP99;
  return run;
}
