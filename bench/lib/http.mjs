// The load generator's timed requests: one keep-alive undici Client per
// target, so connection setup is never part of a latency figure.
import { Client } from 'undici';

export function clientFor(url, connections = 1) {
  return new Client(url, { pipelining: 1, keepAliveTimeout: 60_000, ...(connections > 1 ? {} : {}) });
}

/** One JSON request; resolves with its wall time in ms once the whole body is read. */
export async function timedJson(client, request) {
  const start = performance.now();
  const response = await client.request(request);
  const text = await response.body.text();
  const ms = performance.now() - start;
  if (response.statusCode !== 200) throw new Error(`${request.path} answered ${response.statusCode}: ${text.slice(0, 300)}`);
  return ms;
}

/**
 * One streamed request: time to the first body byte, to the last, the SSE
 * frames received (blank-line separated), and the arrival time of each
 * frame (ms from the start), from which inter-frame gaps are taken.
 */
export async function timedStream(client, request, { keepArrivals = false } = {}) {
  const start = performance.now();
  const response = await client.request(request);
  let first = NaN;
  let frames = 0;
  let tail = '';
  const arrivals = [];
  for await (const chunk of response.body) {
    const now = performance.now() - start;
    if (Number.isNaN(first)) first = now;
    const text = tail + chunk.toString('utf8');
    let at = text.indexOf('\n\n');
    let from = 0;
    while (at !== -1) {
      frames += 1;
      if (keepArrivals) arrivals.push(now);
      from = at + 2;
      at = text.indexOf('\n\n', from);
    }
    tail = text.slice(from);
  }
  const last = performance.now() - start;
  if (response.statusCode !== 200) throw new Error(`${request.path} answered ${response.statusCode}`);
  return { ttfbMs: first, totalMs: last, frames, arrivals };
}
