import { afterEach, describe, expect, it } from 'vitest';
import { chooseWorkspace } from '../../src/cli/workspace-choice.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { createLogger } from '../../src/logging/logger.js';
import { DEMO_NOTE } from '../../src/emulator/model.js';
import { startProxy, type RunningProxy } from '../../src/server/start.js';
import { startStack, type Stack } from '../helpers/stack.js';
import type { Emulator } from '../../src/cli/workspace-choice.js';

let proxy: RunningProxy | undefined;
let emulator: Emulator | undefined;
let stack: Stack | undefined;
afterEach(async () => {
  await proxy?.close();
  await emulator?.close();
  await stack?.close();
  proxy = emulator = stack = undefined;
});

async function demoProxy(): Promise<string> {
  const chosen = await chooseWorkspace(ConfigSchema.parse({ port: 0, demo: true }), { HOME: '/nonexistent' }, false);
  emulator = chosen.emulator;
  proxy = await startProxy({ ...chosen.config, port: 0 }, createLogger('silent'));
  return proxy.url;
}

async function chat(url: string, body: Record<string, unknown>): Promise<{ content: string | null; tool_calls?: { function: { name: string; arguments: string } }[] }> {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer local' },
    body: JSON.stringify({ model: 'databricks-claude-sonnet-4-6', ...body }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { choices: { message: { content: string | null; tool_calls?: never } }[] }).choices[0]!.message;
}

describe('the demo workspace', () => {
  it('answers sensibly, saying it is the demo and how to connect a real workspace', async () => {
    const message = await chat(await demoProxy(), { messages: [{ role: 'user', content: 'hello' }] });
    expect(message.content).toContain('This is the dbx-proxy DEMO workspace: a scripted model');
    expect(message.content).toContain('databricks auth login --host');
    expect(message.content).toContain('You said: hello');
    expect(DEMO_NOTE).toContain('DATABRICKS_HOST and DATABRICKS_TOKEN');
  });

  it('its tool call is a read of a file, which agents allow by default', async () => {
    const read = { type: 'function', function: { name: 'Read', parameters: { type: 'object', properties: { file_path: { type: 'string' } }, required: ['file_path'] } } };
    const bash = { type: 'function', function: { name: 'Bash', parameters: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] } } };
    const message = await chat(await demoProxy(), { messages: [{ role: 'user', content: 'what is in this project?' }], tools: [bash, read] });
    expect(message.tool_calls?.map((call) => call.function.name)).toEqual(['Read']);
  });

  it('a workspace emulator that is not the demo (every test\'s upstream) answers without the note', async () => {
    stack = await startStack();
    const message = await chat(stack.proxy.url, { messages: [{ role: 'user', content: 'hello' }] });
    expect(message.content).toBe('You said: hello');
  });
});
