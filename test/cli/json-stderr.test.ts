/**
 * Without a terminal (a container, a service, CI) the proxy's logs are JSON,
 * and so is every other line `serve` writes on stderr: the shutdown note, the
 * demo notice, the fatal start-up error. A log processor never meets plain text.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnosticsAsLogLines } from '../../src/cli/output.js';
import { announceDemo } from '../../src/cli/workspace-choice.js';
import { BIN, buildIfStale, cleanCliEnv, distFile, exited, startCli } from '../helpers/built-cli.js';
import { recordLogText } from '../helpers/log-sink.js';

interface LogLine {
  level: number;
  msg: string;
}

/** Every non-empty line parsed as JSON; fails the test on the first line that is not. */
function jsonLines(text: string): LogLine[] {
  return text
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => {
      expect(() => JSON.parse(line), `not a JSON line: ${line}`).not.toThrow();
      return JSON.parse(line) as LogLine;
    });
}

const started: ChildProcess[] = [];
let busy: Server;

beforeAll(async () => {
  buildIfStale(distFile('cli', 'main.js'));
  busy = createServer((_request, response) => response.writeHead(404).end());
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
}, 120_000);

afterAll(async () => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
  await new Promise((resolve) => busy.close(resolve));
});

/** Runs `dbx-proxy <args>` to its end, stderr a pipe (no terminal). */
function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { env: cleanCliEnv(mkdtempSync(join(tmpdir(), 'dbx-cli-')), env) });
  started.push(child);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => {
    recordLogText(stderr);
    resolve({ code, stderr });
  }));
}

describe('serve without a terminal writes only JSON lines on stderr', () => {
  it('through start-up and a SIGTERM shutdown', async () => {
    const proxy = await startCli(['serve', '--demo', '--port', '0'], {}, started);
    // The signal handlers are set up a moment after the URL is printed.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    proxy.child.kill('SIGTERM');
    expect(await exited(proxy.child)).toBe(0);
    recordLogText(proxy.stderr());
    const lines = jsonLines(proxy.stderr());
    expect(lines.map((line) => line.msg)).toContain('workspace ready');
    expect(lines).toContainEqual(expect.objectContaining({ level: 30, msg: 'SIGTERM, shutting down' }));
  }, 60_000);

  it('a port in use: one fatal JSON line naming the cause and the fix', async () => {
    const port = (busy.address() as AddressInfo).port;
    const result = await runCli(['serve', '--demo', '--port', String(port)]);
    expect(result.code).toBe(1);
    const fatal = jsonLines(result.stderr).filter((line) => line.level === 60);
    expect(fatal).toHaveLength(1);
    expect(fatal[0]?.msg).toMatch(new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use .*Fix: pass --port`));
  }, 60_000);

  it('no workspace configured: the refusal is a fatal JSON line too', async () => {
    const result = await runCli(['serve', '--port', '0']);
    expect(result.code).toBe(2);
    const lines = jsonLines(result.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.level).toBe(60);
    expect(lines[0]?.msg).toContain('no Databricks workspace is configured');
  }, 60_000);
});

describe('the demo notice', () => {
  /** What the notice writes once `serve` has chosen its stderr style for a stream with this isTTY. */
  function noticeOn(isTTY: boolean): string {
    let written = '';
    const capture = new Writable({ write: (chunk: Buffer, _encoding, done) => ((written += chunk.toString()), done()) });
    const stderrWrite = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => ((written += chunk), true)) as typeof process.stderr.write;
    try {
      diagnosticsAsLogLines({ isTTY }, capture);
      announceDemo();
    } finally {
      process.stderr.write = stderrWrite;
      diagnosticsAsLogLines({ isTTY: true });
    }
    return written;
  }

  it('is one JSON warn line when the logs are JSON', () => {
    const lines = jsonLines(noticeOn(false));
    expect(lines).toHaveLength(1);
    expect(lines[0]?.level).toBe(40);
    expect(lines[0]?.msg).toContain('NO DATABRICKS WORKSPACE IS CONFIGURED');
    expect(lines[0]?.msg).toContain('databricks auth login');
  });

  it('stays the readable banner on a terminal', () => {
    const text = noticeOn(true);
    expect(text).toMatch(/^\n\*\*\* dbx-proxy: NO DATABRICKS WORKSPACE IS CONFIGURED/);
    expect(text.split('\n').length).toBeGreaterThan(5);
  });
});
