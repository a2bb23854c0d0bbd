// Added latency at concurrency 1: requests to every target interleaved one by
// one (so drift hits all alike), p50/p99 per target per run, and the added
// latency of each target over direct taken within the run.
//
// The order of the targets turns by one every round, so each follows every
// other equally often: a request right after a peer's is slower whoever
// serves it (after a Portkey stream, which takes about 28 ms, the next
// target's time to first byte grew by about 0.5 ms, even 50 ms later: the
// machine's caches, not the target). In a fixed order, direct always came
// after the peer, which shrank every other target's added latency.
import { percentile } from './stats.mjs';
import { timedJson, timedStream } from './http.mjs';
import { closeTargets, targetsFor } from './targets.mjs';

/** One run of one scenario: per target p50/p99 of total time (or TTFB when streamed). */
export async function latencyRun(scenario, servers, { requests, warmup, streamed = false }) {
  const targets = targetsFor(scenario, servers);
  const samples = Object.fromEntries(targets.map((target) => [target.name, []]));
  const once = async (target) => (streamed ? (await timedStream(target.client, target.request)).ttfbMs : timedJson(target.client, target.request));
  try {
    for (let i = 0; i < warmup; i += 1) for (const target of targets) await once(target);
    for (let i = 0; i < requests; i += 1) {
      for (const target of rotated(targets, i)) samples[target.name].push(await once(target));
    }
  } finally {
    await closeTargets(targets);
  }
  const run = {};
  for (const [name, values] of Object.entries(samples)) {
    run[`${name}P50`] = percentile(values, 50);
    run[`${name}P99`] = percentile(values, 99);
  }
  for (const target of targets) {
    if (target.name === 'direct') continue;
    run[`${target.name}AddedP50`] = run[`${target.name}P50`] - run.directP50;
    run[`${target.name}AddedP99`] = run[`${target.name}P99`] - run.directP99;
  }
  // Ratios within the run (machines are noisy between runs).
  run.proxyOverFloorP50 = run.proxyAddedP50 / run.floorAddedP50;
  run.proxyOverFloorP99 = run.proxyAddedP99 / run.floorAddedP99;
  if (scenario.peer && run[`${scenario.peer}AddedP50`] !== undefined) {
    run.proxyOverPeerP50 = run.proxyAddedP50 / run[`${scenario.peer}AddedP50`];
  }
  return run;
}

/** The targets, starting from the `round`-th (modulo their number). */
function rotated(targets, round) {
  const from = round % targets.length;
  return [...targets.slice(from), ...targets.slice(0, from)];
}
