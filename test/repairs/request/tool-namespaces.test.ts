import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../helpers/stack.js';
import { applyRepair, MODELS, openai, outcome, startPair, upstreamBody, type Pair } from './support.js';

/**
 * tool-namespaces: Codex's `namespace` tools (sub-agents, `multi_agent_v1`)
 * are dropped on the Responses upstream and named in
 * `x-dbx-proxy-dropped-tool-namespaces`; the function tools go through.
 */
const HEADER = 'x-dbx-proxy-dropped-tool-namespaces';

const parameters = { type: 'object', properties: { target: { type: 'string' } }, required: ['target'], additionalProperties: false };
const namespace: OpenAI.Responses.NamespaceTool = {
  type: 'namespace',
  name: 'multi_agent_v1',
  description: 'Tools for spawning and managing sub-agents.',
  tools: [{ type: 'function', name: 'close_agent', description: 'Close an agent.', strict: false, parameters }],
};
const shell: OpenAI.Responses.FunctionTool = {
  type: 'function',
  name: 'exec_command',
  description: 'Run a command',
  strict: false,
  parameters: { type: 'object', properties: { cmd: { type: 'string' } }, required: ['cmd'] },
};

describe('tool-namespaces', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair('tool-namespaces');
  });
  afterAll(() => pair.close());

  it("Codex's `multi_agent_v1` namespace is dropped on the native GPT route (OpenAI SDK Responses), streamed", async () => {
    const ask = (stack: Stack) => openai(stack).responses.stream({ model: MODELS.gpt, input: 'run ls in /tmp', tools: [shell, namespace] }).finalResponse();
    const done = await ask(pair.on);
    expect(done.output.find((item) => item.type === 'function_call')).toMatchObject({ name: 'exec_command' });
    expect(upstreamBody(pair.on).tools).toEqual([shell]);
    const { response } = await openai(pair.on).responses.create({ model: MODELS.gpt, input: 'hello gpt', tools: [shell, namespace] }).withResponse();
    expect(response.headers.get(HEADER)).toBe('multi_agent_v1');

    const refused = await outcome(() => ask(pair.off));
    expect((refused.error as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
    expect(refused.error?.message).toContain("Input tag 'namespace'");
  });

  it('a tool choice naming a tool of the dropped namespace goes with it; nothing left means no tools at all', () => {
    const route = { upstream: 'openai-responses', family: 'gpt', endpoint: MODELS.gpt } as const;
    const chosen = applyRepair('tool-namespaces', { tools: [shell, namespace], tool_choice: { type: 'function', name: 'close_agent' } }, route);
    expect(chosen.body).toEqual({ tools: [shell] });
    expect(chosen.notes).toEqual({ [HEADER]: 'multi_agent_v1' });
    expect(applyRepair('tool-namespaces', { tools: [namespace], tool_choice: 'auto' }, route).body).toEqual({});
    // A choice of a tool that stays is kept.
    const kept = applyRepair('tool-namespaces', { tools: [shell, namespace], tool_choice: { type: 'function', name: 'exec_command' } }, route);
    expect(kept.body.tool_choice).toEqual({ type: 'function', name: 'exec_command' });
  });
});
