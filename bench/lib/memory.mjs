// Memory of the proxy process: RSS under many slow streams, and RSS across a
// long run of requests (growth would be a leak).
import { Pool } from 'undici';
import { requestsPerSecond } from './throughput.mjs';
import { sleep } from './processes.mjs';

/** Opens `count` streams at once and samples the server's RSS until they are all done; returns the peak. */
export async function rssUnderStreams(server, request, count) {
  const pool = new Pool(server.url, { connections: count, pipelining: 1 });
  let peak = server.rssMb();
  let running = true;
  const sampler = (async () => {
    while (running) {
      peak = Math.max(peak, server.rssMb());
      await sleep(100);
    }
  })();
  let firstBytes = 0;
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: count }, async () => {
        const response = await pool.request(request);
        let first = true;
        for await (const _chunk of response.body) {
          if (first) firstBytes += 1;
          first = false;
        }
        if (response.statusCode !== 200) throw new Error(`slow stream answered ${response.statusCode}`);
      }),
    );
  } finally {
    running = false;
    await sampler;
    await pool.close();
  }
  return { peakRssMb: peak, streams: count, streamedOk: firstBytes, seconds: (performance.now() - started) / 1000 };
}

/** RSS now, then after each quarter of `total` requests (64 at a time). */
export async function rssOverRequests(server, request, { total }) {
  await sleep(1000);
  const checkpoints = [{ requests: 0, rssMb: server.rssMb() }];
  const quarter = Math.ceil(total / 4);
  for (let done = quarter; done <= total; done += quarter) {
    await requestsPerSecond(server.url, request, { amount: quarter });
    await sleep(1000); // let the proxy settle (timers, sockets) before reading RSS
    checkpoints.push({ requests: done, rssMb: server.rssMb() });
  }
  // Flat numbers, so the harness can take the median of runs: RSS at each checkpoint, and the growth.
  return { ...Object.fromEntries(checkpoints.map((c, index) => [`rssMbAt${index}`, c.rssMb])), requests: total, growthMb: checkpoints.at(-1).rssMb - checkpoints[0].rssMb };
}
