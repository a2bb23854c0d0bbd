// What metrics and the usage history cost: the same proxy started twice, with
// them on (as `serve` runs) and off, against one emulator; added latency at
// concurrency 1 (the two interleaved request by request, their order turning
// every round) and throughput at concurrency 64 (the order turning every run).
import { clientFor, timedJson } from './http.mjs';
import { percentile } from './stats.mjs';
import { requestsPerSecond } from './throughput.mjs';

/** One run: p50/p99 of each, the difference on − off, and each one's requests per second. */
export async function observabilityRun(scenario, servers, { requests, warmup, seconds }, round) {
  const targets = [
    { name: 'on', url: servers.proxy.url },
    { name: 'off', url: servers.proxyOff.url },
  ].map((target) => ({ ...target, client: clientFor(target.url) }));
  const samples = { on: [], off: [] };
  try {
    for (let i = 0; i < warmup; i += 1) for (const target of targets) await timedJson(target.client, scenario.proxy);
    for (let i = 0; i < requests; i += 1) {
      for (const target of i % 2 ? [...targets].reverse() : targets) samples[target.name].push(await timedJson(target.client, scenario.proxy));
    }
  } finally {
    await Promise.all(targets.map((target) => target.client.close()));
  }
  const run = {};
  for (const name of ['on', 'off']) {
    run[`${name}P50`] = percentile(samples[name], 50);
    run[`${name}P99`] = percentile(samples[name], 99);
  }
  run.addedP50 = run.onP50 - run.offP50;
  run.addedP99 = run.onP99 - run.offP99;
  for (const target of round % 2 ? [...targets].reverse() : targets) {
    run[`${target.name}Rps`] = (await requestsPerSecond(target.url, scenario.proxy, { duration: seconds })).rps;
  }
  run.onOverOff = run.onRps / run.offRps;
  return run;
}
