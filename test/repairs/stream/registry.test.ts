import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../../src/config/schema.js';
import type { Dialect } from '../../../src/dialects/dialect.js';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/index.js';
import { STREAM_QUIRKS } from '../../../src/emulator/quirks.js';
import { minimalBody } from '../../../src/repairs/probes/minimal-body.js';
import { STREAM_REPAIRS } from '../../../src/repairs/stream/index.js';
import type { ProbeRoute, Repair } from '../../../src/repairs/types.js';
import { emulatorText, parseSse } from './support.js';

/**
 * The stream repairs and their emulator quirks stay in step: each repair is
 * one file named after it, whose header says what it fixes, the source,
 * where it applies and the quirks that reproduce it; each quirk is answered
 * by a repair. Each repair's probe (what `dbx-proxy doctor --quirks` sends) sees its
 * quirks in the emulator's stream, and sees nothing when no quirk is on.
 */
const QUIRKS_OF: Record<string, string[]> = {
  'long-ids': ['responses-long-ids'],
  'item-id-drift': ['responses-item-id-drift'],
  'tool-call-lifecycle': [
    'responses-function-call-no-added',
    'responses-function-call-arguments-at-done',
    'responses-function-call-done-only',
    'responses-function-call-repeated',
  ],
  'responses-terminal': ['responses-completed-empty-output', 'responses-usage-without-total-tokens', 'responses-no-terminal-event'],
  'chat-chunks': ['chat-minimal-chunks', 'chat-list-content', 'chat-usage-after-finish', 'chat-no-done'],
  'anthropic-stream': ['anthropic-duplicate-message-start', 'anthropic-spliced-message-start', 'anthropic-no-message-stop'],
};

/** Where each upstream dialect's probe goes on the emulator, with one endpoint of a family it serves. */
const ROUTES: Partial<Record<Dialect, { path: string; endpoint: string; family: ProbeRoute['family'] }>> = {
  'openai-responses': { path: '/serving-endpoints/responses', endpoint: 'databricks-gpt-5-2', family: 'gpt' },
  'openai-chat': { path: '/serving-endpoints/chat/completions', endpoint: 'databricks-meta-llama-3-3-70b-instruct', family: 'llama' },
  'anthropic-messages': { path: '/serving-endpoints/anthropic/v1/messages', endpoint: 'databricks-claude-sonnet-4-6', family: 'claude' },
};

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

async function probe(repair: Repair, quirk: string | undefined): Promise<boolean> {
  const upstream = repair.appliesTo.upstream[0] as Dialect;
  const where = ROUTES[upstream];
  if (!where || !repair.probe?.shows) throw new Error(`${repair.id} has no answer probe for ${upstream}`);
  const route: ProbeRoute = { upstream, surface: 'model-serving', family: where.family, endpoint: where.endpoint, config: ConfigSchema.parse({}) };
  const body = minimalBody(upstream, where.endpoint, true);
  expect(repair.probe.provoke(body, route)).toBe(true);
  const headers: Record<string, string> = { 'anthropic-version': '2023-06-01', ...(quirk ? { 'x-dbx-emulator-quirks': quirk } : {}) };
  const text = await emulatorText(emulator.url, where.path, body, headers);
  return repair.probe.shows({ status: 200, text, events: parseSse(text) });
}

describe.each(STREAM_REPAIRS.map((repair) => ({ id: repair.id, repair })))('$id', ({ id, repair }) => {
  it('names a stream quirk of the emulator, and is named in the quirk table of this test', () => {
    expect(Object.keys(STREAM_QUIRKS)).toContain(repair.quirk);
    expect(QUIRKS_OF[id]).toContain(repair.quirk);
  });

  it('is one file whose header says what, where from, where, and which quirks reproduce it', async () => {
    const text = await readFile(join(import.meta.dirname, '..', '..', '..', 'src', 'repairs', 'stream', `${id}.ts`), 'utf8');
    for (const field of ['Fixes:', 'Source:', 'Applies:', 'Emulator:']) expect(text, field).toContain(field);
    for (const quirk of QUIRKS_OF[id] ?? []) expect(text).toContain(`\`${quirk}\``);
  });

  it('its probe sees nothing in a clean stream', async () => {
    expect(await probe(repair, undefined)).toBe(false);
  });

  it.each(QUIRKS_OF[id] ?? [])('its probe sees %s', async (quirk) => {
    expect(await probe(repair, quirk)).toBe(true);
  });
});

it('every stream quirk of the emulator is answered by one of these repairs', () => {
  expect(Object.values(QUIRKS_OF).flat().sort()).toEqual(Object.keys(STREAM_QUIRKS).sort());
});
