// Starting and stopping the servers under test, each in its own process.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const BENCH = fileURLToPath(new URL('..', import.meta.url));

/**
 * Servers still running. If the harness dies (an error, Ctrl-C), they die
 * with it: a server left behind would hold its port and load the machine
 * under the next run.
 */
const running = new Set();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

/**
 * Spawns `node <script> ...args` from bench/ and resolves once it prints
 * `READY <url>`. `nodeArgs` lets the harness add --cpu-prof to the proxy.
 */
export function startServer(name, script, args = [], { nodeArgs = [], env = {} } = {}) {
  const child = spawn(process.execPath, [...nodeArgs, `${BENCH}${script}`, ...args], {
    cwd: BENCH,
    env: { ...process.env, NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => fail(new Error(`${name} did not start within 30 s`)), 30_000);
    const fail = (error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${error.message}\n${stderr}`));
    };
    child.on('exit', (code) => fail(new Error(`${name} exited with ${code}`)));
    child.stdout.on('data', (chunk) => {
      buffered += chunk;
      const match = /READY (\S+)/.exec(buffered);
      if (!match) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.stdout.resume();
      resolve({
        name,
        url: match[1],
        pid: child.pid,
        rssMb: () => rssMb(child.pid),
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
            child.once('exit', () => {
              clearTimeout(kill);
              done();
            });
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

/** Resident set size of a process, from /proc (Linux), in MB. */
export function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A loopback port free at the moment of asking, for servers that must be told
 * their port (the peers probe their own address, so they cannot take port 0).
 */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}
