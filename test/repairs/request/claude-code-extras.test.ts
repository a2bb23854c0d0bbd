import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../helpers/stack.js';
import { anthropic, MODELS, outcome, startPair, upstreamBody, type Pair } from './support.js';

/**
 * What Claude Code 2.1.x sends on the native Claude passthrough that the
 * Databricks Anthropic path refuses: `tools[].defer_loading` (tool search) and
 * `role: "system"` messages. Repair on: the Anthropic SDK's stream completes
 * and the upstream body is plain Messages; disabled: the refusal reaches the SDK.
 */
type ApiError = InstanceType<typeof Anthropic.APIError>;

async function expectRefused(run: () => Promise<unknown>, message: string): Promise<void> {
  const refused = await outcome(run);
  expect(refused.error).toBeInstanceOf(Anthropic.BadRequestError);
  expect((refused.error as ApiError).error).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
  expect(refused.error?.message).toContain(message);
}

const schema = { type: 'object' as const, properties: { file_path: { type: 'string' } }, required: ['file_path'] };
const readTool: Anthropic.Messages.Tool = { name: 'Read', description: 'Read a file', input_schema: schema };

describe('defer-loading', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair('defer-loading');
  });
  afterAll(() => pair.close());

  it("Claude Code's tool-search placeholder loses `defer_loading`, and every tool goes upstream, streamed", async () => {
    // As Claude Code sends it: its own ToolSearch tool, and a deferred placeholder that keeps tool search on.
    const placeholder: Anthropic.Messages.Tool = { name: 'DeferredToolPlaceholder', input_schema: { type: 'object', properties: {} }, defer_loading: true };
    const toolSearch: Anthropic.Messages.Tool = { name: 'ToolSearch', input_schema: { type: 'object', properties: { query: { type: 'string' } } } };
    const ask = (stack: Stack) =>
      anthropic(stack)
        .messages.stream({ model: MODELS.claude, max_tokens: 512, messages: [{ role: 'user', content: 'read /tmp/a.txt' }], tools: [readTool, toolSearch, placeholder] })
        .finalMessage();
    const done = await ask(pair.on);
    expect(done.stop_reason).toBe('tool_use');
    expect(done.content.find((block) => block.type === 'tool_use')).toMatchObject({ name: 'Read', input: { file_path: '/tmp/a.txt' } });
    const { defer_loading: _deferred, ...loaded } = placeholder;
    expect(upstreamBody(pair.on).tools).toEqual([readTool, toolSearch, loaded]);
    await expectRefused(() => ask(pair.off), 'tools.2.defer_loading: Extra inputs are not permitted');
  });
});

describe('system-messages', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair('system-messages');
  });
  afterAll(() => pair.close());

  it('`role: "system"` messages join the top-level system, in order, cache_control kept, streamed', async () => {
    const messages: Anthropic.Messages.MessageParam[] = [
      { role: 'user', content: 'hello claude' },
      { role: 'system', content: 'Reply in English.' },
      { role: 'system', content: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }] },
      { role: 'user', content: 'say hi' },
    ];
    const ask = (stack: Stack) =>
      anthropic(stack).messages.stream({ model: MODELS.claude, max_tokens: 512, system: 'You are terse.', messages }).finalMessage();
    const done = await ask(pair.on);
    expect(done.stop_reason).toBe('end_turn');
    expect(done.content[0]).toMatchObject({ type: 'text', text: expect.any(String) });
    const body = upstreamBody(pair.on);
    expect(body.system).toEqual([
      { type: 'text', text: 'You are terse.' },
      { type: 'text', text: 'Reply in English.' },
      { type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } },
    ]);
    expect(body.messages).toEqual([messages[0], messages[3]]);
    await expectRefused(() => ask(pair.off), "messages.1.role: Input should be 'user' or 'assistant'");
  });

  it('a system message with a non-text block is refused by the proxy, in the Anthropic dialect, before any upstream call', async () => {
    const image = { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } };
    const before = pair.on.emulator.transcript.length;
    const response = await fetch(`${pair.on.proxy.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'local', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: MODELS.claude, max_tokens: 64, messages: [{ role: 'system', content: [image] }, { role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect(pair.on.emulator.transcript.length).toBe(before);
  });
});
