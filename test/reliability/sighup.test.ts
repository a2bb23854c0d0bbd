import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EMULATOR_DEMO_PAT } from '../../src/emulator/index.js';
import { buildIfStale, distFile, exited, startCli, type StartedCli } from '../helpers/built-cli.js';

/**
 * The real command: `dbx-proxy serve --config FILE` in front of `dbx-proxy
 * emulate --faults slow-drip`, streams in flight, then SIGHUP. Every stream
 * must finish whole (SIGHUP used to kill the process at once, cutting them),
 * the new file must be in force for the next requests, a broken file must be
 * refused with the running configuration kept, and a change of port must be
 * named as needing a restart.
 */
const CLAUDE = 'databricks-claude-sonnet-4-6';
const LLAMA = 'databricks-meta-llama-3-3-70b-instruct';
const STREAMS = 12;
const children: ChildProcess[] = [];

beforeAll(() => buildIfStale(distFile('cli', 'main.js')), 120_000);
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

const start = (args: string[], env: Record<string, string> = {}): Promise<StartedCli> => startCli(args, env, children);

/** A stream of each client kind, resolving with its whole text once it has ended normally. */
function streams(url: string, prompt: string): { started: Promise<void>; done: Promise<string[]> } {
  const anthropic = new Anthropic({ apiKey: 'local', baseURL: url, maxRetries: 0 });
  const openai = new OpenAI({ apiKey: 'local', baseURL: `${url}/v1`, maxRetries: 0 });
  const running = Array.from({ length: STREAMS }, (_, index) => {
    if (index % 2 === 0) {
      const stream = anthropic.messages.stream({ model: CLAUDE, max_tokens: 256, messages: [{ role: 'user', content: `${prompt} ${index}` }] });
      return { first: new Promise<void>((resolve) => stream.once('streamEvent', () => resolve())), text: stream.finalText() };
    }
    const stream = openai.chat.completions.stream({ model: LLAMA, messages: [{ role: 'user', content: `${prompt} ${index}` }] });
    return {
      first: new Promise<void>((resolve) => stream.once('chunk', () => resolve())),
      text: stream.finalChatCompletion().then((completion) => completion.choices[0]?.message.content ?? ''),
    };
  });
  return { started: Promise.all(running.map(({ first }) => first)).then(() => undefined), done: Promise.all(running.map(({ text }) => text)) };
}

async function aliasAnswers(url: string, alias: string): Promise<number> {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: alias, messages: [{ role: 'user', content: 'hi' }] }),
  });
  await response.text();
  return response.status;
}

it('SIGHUP reloads the configuration without losing a running stream, refuses a broken file, and names what needs a restart', async () => {
  const emulator = await start(['emulate', '--port', '0', '--faults', 'slow-drip']);
  const file = join(mkdtempSync(join(tmpdir(), 'dbx-sighup-config-')), 'dbx-proxy.yaml');
  writeFileSync(file, 'log:\n  level: info\n');
  const proxy = await start(['serve', '--port', '0', '--host', emulator.url, '--config', file], { DATABRICKS_TOKEN: EMULATOR_DEMO_PAT });
  expect(await aliasAnswers(proxy.url, 'reloaded')).toBe(404);

  // Streams in flight (slow-drip: a few seconds each), then a new file and SIGHUP.
  const first = streams(proxy.url, 'finish this one across the reload');
  await first.started;
  writeFileSync(file, `log:\n  level: info\nmodels:\n  aliases:\n    reloaded: ${LLAMA}\n`);
  proxy.child.kill('SIGHUP');
  await expect.poll(proxy.stderr, { timeout: 15_000 }).toContain('configuration reloaded');

  const texts = await first.done;
  expect(texts).toHaveLength(STREAMS);
  texts.forEach((text, index) => expect(text).toContain(`finish this one across the reload ${index}`));
  expect(proxy.child.exitCode).toBeNull();
  expect(await aliasAnswers(proxy.url, 'reloaded')).toBe(200);

  // A file that fails validation is refused; the running configuration (with its alias) stays.
  writeFileSync(file, 'models:\n  aliases:\n    reloaded: 42\n  nonsense: true\n');
  proxy.child.kill('SIGHUP');
  await expect.poll(proxy.stderr, { timeout: 15_000 }).toContain('the new configuration was refused');
  expect(proxy.stderr()).toMatch(/models\.nonsense: unknown key/);
  expect(await aliasAnswers(proxy.url, 'reloaded')).toBe(200);

  // The listening address needs a restart (the port comes from a flag here, which wins): the reload says so, and the proxy keeps answering where it is.
  writeFileSync(file, `listen: 127.0.0.2\nmodels:\n  aliases:\n    reloaded: ${LLAMA}\n`);
  proxy.child.kill('SIGHUP');
  await expect.poll(proxy.stderr, { timeout: 15_000 }).toMatch(/need a restart.*listen \(the listening socket is bound once\)/);
  expect(await aliasAnswers(proxy.url, 'reloaded')).toBe(200);

  proxy.child.kill('SIGTERM');
  expect(await exited(proxy.child)).toBe(0);
  emulator.child.kill('SIGTERM');
  expect(await exited(emulator.child)).toBe(0);
}, 90_000);
