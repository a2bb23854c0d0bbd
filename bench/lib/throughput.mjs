// Requests per second at concurrency 64 (autocannon, zero think time).
import autocannon from 'autocannon';

export async function requestsPerSecond(url, request, { connections = 64, duration, amount }) {
  const result = await autocannon({
    url: `${url}${request.path}`,
    method: request.method,
    headers: request.headers,
    body: request.body,
    connections,
    pipelining: 1,
    ...(amount ? { amount } : { duration }),
  });
  const failures = result.errors + result.timeouts + result.non2xx;
  if (failures > 0) throw new Error(`${url}${request.path}: ${failures} failed requests of ${result.requests.total}`);
  return { rps: result.requests.total / result.duration, total: result.requests.total, p99Ms: result.latency.p99 };
}
