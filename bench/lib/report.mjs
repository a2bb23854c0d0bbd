// The markdown report of one bench run (bench/results/latest.md, BENCHMARKS.md).

const ms = (value) => (Number.isFinite(value) ? value.toFixed(3) : '–');
const x = (value) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : '–');
const int = (value) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '–');
const mb = (value) => (Number.isFinite(value) ? value.toFixed(1) : '–');

/** `median (min–max)` of a summarized figure. */
function fig(summary, format = ms) {
  if (!summary) return '–';
  return `${format(summary.median)} (${format(summary.min)}–${format(summary.max)})`;
}

const verdict = (ok) => (ok ? 'met' : '**missed**');

export function renderReport(r) {
  const out = [];
  const line = (text = '') => out.push(text);
  const targets = [];
  line(`Run ${r.startedAt} (${r.mode}), ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGb} GB, ${r.machine.os}, Node ${r.machine.node}.`);
  line(`Every figure: median of ${r.size.runs} runs (min–max). Ratios are taken within each run, then summarized. Times in ms.`);
  line(`Peers: ${typeof r.peers === 'string' ? r.peers : Object.values(r.peers).join(', ')}.`);
  line();

  if (r.latency) {
    line('### Added latency, concurrency 1, non-streaming');
    line(`${r.size.requests} requests per target per run after ${r.size.warmup} warm-up, targets interleaved request by request, their order turning every round. Added = target − direct (the emulator itself).`);
    line();
    line('| scenario | direct p50 | proxy added p50 | floor added p50 | proxy/floor p50 | proxy added p99 | floor added p99 | proxy/floor p99 | peer added p50 | proxy/peer p50 |');
    line('|---|---|---|---|---|---|---|---|---|---|');
    for (const [name, s] of Object.entries(r.latency)) {
      const peer = s.peer && s[`${s.peer}AddedP50`];
      line(`| ${name} | ${fig(s.directP50)} | ${fig(s.proxyAddedP50)} | ${fig(s.floorAddedP50)} | ${fig(s.proxyOverFloorP50, x)} | ${fig(s.proxyAddedP99)} | ${fig(s.floorAddedP99)} | ${fig(s.proxyOverFloorP99, x)} | ${peer ? `${s.peer}: ${fig(peer)}` : '–'} | ${fig(s.proxyOverPeerP50, x)} |`);
      const limit = s.kind === 'translated' ? 1.6 : 1.25;
      targets.push([`${name}: added p50 ≤ ${limit}× floor`, x(s.proxyOverFloorP50.median), s.proxyOverFloorP50.median <= limit]);
      if (s.kind === 'passthrough') targets.push([`${name}: added p99 ≤ 1.5× floor`, x(s.proxyOverFloorP99.median), s.proxyOverFloorP99.median <= 1.5]);
      if (s.proxyOverPeerP50) targets.push([`${name}: added p50 ≤ 0.5× ${s.peer}`, x(s.proxyOverPeerP50.median), s.proxyOverPeerP50.median <= 0.5]);
    }
    line();
  }
  if (r.throughput) {
    const t = r.throughput;
    line('### Throughput, concurrency 64 (autocannon), chat passthrough, non-streaming');
    line(`${r.size.seconds} s per target per run.`);
    line();
    line('| direct req/s | floor req/s | proxy req/s | proxy/floor | proxy/direct |');
    line('|---|---|---|---|---|');
    line(`| ${fig(t.directRps, int)} | ${fig(t.floorRps, int)} | ${fig(t.proxyRps, int)} | ${fig(t.proxyOverFloor, x)} | ${fig(t.proxyOverDirect, x)} |`);
    line();
    targets.push(['throughput ≥ 0.8× floor', x(t.proxyOverFloor.median), t.proxyOverFloor.median >= 0.8]);
  }
  if (r.observability) {
    const o = r.observability;
    line('### What metrics and the usage history cost (chat passthrough, non-streaming)');
    line(`The same proxy twice against one emulator: on (as \`serve\` runs) and off (observability.metrics and observability.usage.enabled false). ${r.size.requests} requests each per run, interleaved; then ${r.size.seconds} s of throughput each.`);
    line();
    line('| on p50 | off p50 | on − off p50 | on p99 | off p99 | on − off p99 | on req/s | off req/s | on/off req/s |');
    line('|---|---|---|---|---|---|---|---|---|');
    line(`| ${fig(o.onP50)} | ${fig(o.offP50)} | ${fig(o.addedP50)} | ${fig(o.onP99)} | ${fig(o.offP99)} | ${fig(o.addedP99)} | ${fig(o.onRps, int)} | ${fig(o.offRps, int)} | ${fig(o.onOverOff, x)} |`);
    line();
  }
  if (r.ttfb) {
    line('### Streaming: added time to first byte');
    line(`${r.size.ttfbRequests} streams per target per run, interleaved like the requests above; TTFB = request sent → first body byte.`);
    line();
    line('| scenario | direct TTFB p50 | proxy added p50 | floor added p50 | proxy/floor p50 | proxy added p99 | peer added p50 |');
    line('|---|---|---|---|---|---|---|');
    for (const [name, s] of Object.entries(r.ttfb)) {
      const peer = s.peer && s[`${s.peer}AddedP50`];
      line(`| ${name} | ${fig(s.directP50)} | ${fig(s.proxyAddedP50)} | ${fig(s.floorAddedP50)} | ${fig(s.proxyOverFloorP50, x)} | ${fig(s.proxyAddedP99)} | ${peer ? `${s.peer}: ${fig(peer)}` : '–'} |`);
      targets.push([`${name}: added TTFB ≤ 1.25× floor`, x(s.proxyOverFloorP50.median), s.proxyOverFloorP50.median <= 1.25]);
    }
    line();
  }
  if (r.eventsPerSecond) {
    line('### Streaming: events per second through a 5,000-delta stream');
    line('Frames received ÷ (last byte − first byte), best of the run\'s streams. The emulator\'s own rate (direct) bounds everything behind it.');
    line();
    line('| scenario | frames | direct | floor | proxy | peer | proxy/direct | proxy/floor |');
    line('|---|---|---|---|---|---|---|---|');
    for (const [name, s] of Object.entries(r.eventsPerSecond)) {
      const peer = s.peer && s[`${s.peer}EventsPerSecond`];
      line(`| ${name} | ${int(s.proxyFrames?.median)} | ${fig(s.directEventsPerSecond, int)} | ${fig(s.floorEventsPerSecond, int)} | ${fig(s.proxyEventsPerSecond, int)} | ${peer ? `${s.peer}: ${fig(peer, int)}` : '–'} | ${fig(s.proxyOverDirect, x)} | ${fig(s.proxyOverFloor, x)} |`);
    }
    line();
  }
  if (r.paced) {
    line('### Streaming: paced stream (64 deltas, 20 ms apart)');
    line(`${r.size.pacedStreams} streams per target per run, all targets at once. Gaps between consecutive frames as the client receives them.`);
    line();
    line('| scenario | direct gap p50 | direct gap p99 | proxy gap p99 | proxy p99 − direct p99 | floor p99 − direct p99 | proxy p99 − floor p99 |');
    line('|---|---|---|---|---|---|---|');
    for (const [name, s] of Object.entries(r.paced)) {
      line(`| ${name} | ${fig(s.directGapP50)} | ${fig(s.directGapP99)} | ${fig(s.proxyGapP99)} | ${fig(s.proxyGapP99Added)} | ${fig(s.floorGapP99Added)} | ${s.proxyMinusFloorGapP99 ? fig(s.proxyMinusFloorGapP99) : '–'} |`);
      targets.push([`${name}: inter-frame p99 within 0.2 ms of direct`, `${ms(s.proxyGapP99Added.median)} ms`, Math.abs(s.proxyGapP99Added.median) <= 0.2]);
    }
    line();
  }
  if (r.micro) {
    line('### Stream pipeline alone (CPU-bound, one core, in memory)');
    line(`A ${int(r.micro.upstreamFrames)}-frame Databricks chat stream through the relay, in 64 KiB chunks, to a sink. Upstream frames per second.`);
    line();
    line('| passthrough with repairs | translated (chat → Anthropic) |');
    line('|---|---|');
    line(`| ${fig(r.micro.passthroughRepairedEventsPerSecond, int)} | ${fig(r.micro.translatedEventsPerSecond, int)} |`);
    line();
    targets.push(['translated stream events ≥ 100,000/s (one core)', int(r.micro.translatedEventsPerSecond.median), r.micro.translatedEventsPerSecond.median >= 100_000]);
  }
  if (r.idleRssMb) {
    line('### Memory (RSS, MB)');
    line();
    line(`Every figure from fresh processes in each run. Idle, 1.5 s after start: ${Object.entries(r.idleRssMb).map(([name, value]) => `${name} ${fig(value, mb)}`).join(', ')}.`);
    targets.push(['idle RSS ≤ 70 MB', `${mb(r.idleRssMb.proxy.median)} MB`, r.idleRssMb.proxy.median <= 70]);
  }
  if (r.slowStreams) {
    const s = r.slowStreams;
    line();
    line(`${int(s.streams.median)} concurrent slow streams (200 ms a frame, about 7 s each): proxy peak ${fig(s.proxyPeakRssMb, mb)} (floor ${fig(s.floorPeakRssMb, mb)}); streams with a first byte through the proxy: ${int(s.proxyStreamedOk.min)} to ${int(s.proxyStreamedOk.max)}; all ended in ${fig(s.proxySeconds, (v) => v.toFixed(1))} s (floor ${fig(s.floorSeconds, (v) => v.toFixed(1))} s).`);
    targets.push([`${int(s.streams.median)} concurrent streams ≤ 250 MB`, `${mb(s.proxyPeakRssMb.median)} MB`, s.proxyPeakRssMb.median <= 250]);
  }
  if (r.soak) {
    const s = r.soak;
    const total = s.requests.median;
    const points = Object.keys(s).filter((key) => key.startsWith('rssMbAt')).sort();
    line();
    line(`Over ${int(total)} requests (chat passthrough, 64 at a time; ${r.size.runs} successive windows on one process after a ${int(r.size.soakWarmup)}-request warm-up), RSS: ${points.map((key, index) => `${int((total / (points.length - 1)) * index)}: ${mb(s[key].median)}`).join(' → ')}; growth ${fig(s.growthMb, mb)} MB.`);
    // "No growth": within 10 MB, allowing for the allocator's and V8's own breathing.
    targets.push([`no RSS growth over ${int(total)} requests (≤ 10 MB)`, `${mb(s.growthMb.median)} MB`, s.growthMb.median <= 10]);
  }
  line();
  line('### Targets');
  line();
  line('| target | measured (median) | |');
  line('|---|---|---|');
  for (const [name, value, ok] of targets) line(`| ${name} | ${value} | ${verdict(ok)} |`);
  line();
  return out.join('\n');
}
