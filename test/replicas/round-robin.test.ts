import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_DEMO_PAT, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { BIN, buildIfStale, distFile } from '../helpers/built-cli.js';
import { freshUser } from '../helpers/cli-run.js';
import { recordLogText } from '../helpers/log-sink.js';
import { startRoundRobin, type RoundRobin } from '../helpers/round-robin.js';
import { chatDriver, geminiDriver, messagesDriver, responsesDriver, type Ask } from '../matrix/drivers.js';

/**
 * Replicas share nothing: two `dbx-proxy serve` processes behind a
 * round-robin front, so each turn of a conversation lands on the other
 * replica than the turn before. Reasoning signatures and Gemini's call
 * signatures travel inside the conversation itself (docs/architecture.md,
 * "Dialects and the IR"), so the
 * emulator, which refuses a replay whose signature was changed or dropped,
 * accepts every second turn whichever replica sends it.
 */
const DRIVERS = { chat: chatDriver, responses: responsesDriver, messages: messagesDriver, gemini: geminiDriver } as const;
const MODELS = { claude: 'databricks-claude-sonnet-4-6', gemini: 'databricks-gemini-3-pro', gpt: 'databricks-gpt-5-2' } as const;

const children: ChildProcess[] = [];
let emulator: RunningEmulator;
let front: RoundRobin;

/** `dbx-proxy serve` on a free port against the emulator; resolves with its URL. */
function startReplica(): Promise<string> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--log-level', 'warn'], {
    env: freshUser().env({ DATABRICKS_HOST: emulator.url, DATABRICKS_TOKEN: EMULATOR_DEMO_PAT }),
  });
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    recordLogText(chunk.toString());
  });
  return new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = /listening on (http:\/\/\S+)/.exec(stdout)?.[1];
      if (url) resolve(url);
    });
    child.once('exit', (code) => reject(new Error(`replica exited with ${code}: ${stderr}`)));
  });
}

beforeAll(async () => {
  buildIfStale(distFile('cli', 'main.js'));
  emulator = await startEmulator();
  front = await startRoundRobin(await Promise.all([startReplica(), startReplica()]));
}, 60_000);
afterAll(async () => {
  for (const child of children) child.kill('SIGTERM');
  await front?.close();
  await emulator?.close();
});

const cells = (Object.keys(DRIVERS) as (keyof typeof DRIVERS)[]).flatMap((inbound) =>
  (Object.keys(MODELS) as (keyof typeof MODELS)[]).flatMap((family) => [true, false].map((stream) => ({ inbound, family, stream }))),
);

describe.each(cells)('$inbound → $family (stream: $stream), turns alternating between two replicas', ({ inbound, family, stream }) => {
  it('a reasoning turn with tool calls, replayed with its signatures on the other replica, then a parallel round: four turns, each on the other replica', async () => {
    const driver = DRIVERS[inbound](inbound === 'chat' || inbound === 'responses' ? `${front.url}/v1` : front.url);
    const ask: Ask = { model: MODELS[family], prompt: 'think, then read plan.md', stream, tools: true, reasoning: true };
    const before = front.served.length;

    const first = await driver.first(ask);
    expect(first.reasoning).toBe(true);
    expect(first.stop).toBe('tool');
    const second = await driver.followUp(ask, first, new Map(first.toolCalls.map((call) => [call.id, 'PLAN-OK'])));
    expect(second.text).toContain('PLAN-OK');
    // A parallel round too, so four turns in a row cross between the replicas.
    const parallel: Ask = { ...ask, prompt: 'read a.txt and list src in parallel' };
    const third = await driver.first(parallel);
    const fourth = await driver.followUp(parallel, third, new Map(third.toolCalls.map((call) => [call.id, `out-of-${call.name}`])));
    expect(fourth.text).toContain('out-of-');

    const replicas = front.served.slice(before);
    expect(replicas).toHaveLength(4);
    // Every turn went to the other replica than the one before it.
    for (let turn = 1; turn < replicas.length; turn += 1) expect(replicas[turn]).not.toBe(replicas[turn - 1]);
  });
});
