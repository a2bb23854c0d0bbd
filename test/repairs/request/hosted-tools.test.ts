import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../helpers/stack.js';
import { anthropic, applyRepair, MODELS, openai, outcome, postToProxy, startPair, upstreamBody, type Pair } from './support.js';

/**
 * hosted-tools: server-executed tools (Anthropic web search and code
 * execution, OpenAI's hosted tools) are dropped and named in
 * `x-dbx-proxy-dropped-hosted-tools`; the client's own tools go through.
 */
const HEADER = 'x-dbx-proxy-dropped-hosted-tools';

describe('hosted-tools', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair('hosted-tools');
  });
  afterAll(() => pair.close());

  it("Claude Code's web search server tool (Anthropic SDK, passthrough to claude)", async () => {
    const tools: Anthropic.Messages.ToolUnion[] = [
      { type: 'web_search_20250305', name: 'web_search', max_uses: 5 },
      { name: 'Read', description: 'Read a file', input_schema: { type: 'object', properties: { file_path: { type: 'string' } } } },
    ];
    const ask = (stack: Stack) =>
      anthropic(stack).messages.create({ model: MODELS.claude, max_tokens: 512, tools, messages: [{ role: 'user', content: 'read /tmp/a.txt' }] }).withResponse();
    const { data, response } = await ask(pair.on);
    expect(data.content.find((block) => block.type === 'tool_use')).toMatchObject({ name: 'Read' });
    expect(response.headers.get(HEADER)).toBe('web_search_20250305');
    expect((upstreamBody(pair.on).tools as { name: string }[]).map((tool) => tool.name)).toEqual(['Read']);

    const refused = await outcome(() => ask(pair.off));
    expect(refused.error).toBeInstanceOf(Anthropic.BadRequestError);
    expect(refused.error?.message).toContain("Input tag 'web_search_20250305'");
  });

  it("Codex's hosted `web_search` (OpenAI SDK Responses, passthrough to codex), streamed", async () => {
    const tools: OpenAI.Responses.Tool[] = [
      { type: 'web_search' },
      { type: 'function', name: 'shell', description: 'Run a command', strict: false, parameters: { type: 'object', properties: { command: { type: 'array', items: { type: 'string' } } } } },
    ];
    const ask = (stack: Stack) => openai(stack).responses.stream({ model: MODELS.codex, input: 'list files', tools }).finalResponse();
    const done = await ask(pair.on);
    expect(done.output.find((item) => item.type === 'function_call')).toMatchObject({ name: 'shell' });
    expect(upstreamBody(pair.on).tools).toEqual([tools[1]]);

    const refused = await outcome(() => ask(pair.off));
    expect((refused.error as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
    expect(refused.error?.message).toContain("Input tag 'web_search'");
  });

  it('a server tool on chat (fetch, to llama): the documented "Missing \'function\'" refusal', async () => {
    const body = {
      model: MODELS.llama,
      messages: [{ role: 'user', content: 'hello llama' }],
      tools: [{ type: 'code_execution_20250522', name: 'code_execution' }],
      tool_choice: { type: 'function', function: { name: 'code_execution' } },
    };
    const done = await postToProxy(pair.on, '/v1/chat/completions', body);
    expect(done.status).toBe(200);
    expect(done.headers.get(HEADER)).toBe('code_execution_20250522');
    // Nothing is left to choose from: tools and tool_choice both go.
    expect(upstreamBody(pair.on)).not.toHaveProperty('tools');
    expect(upstreamBody(pair.on)).not.toHaveProperty('tool_choice');

    const refused = await postToProxy(pair.off, '/v1/chat/completions', body);
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({ error: { message: expect.stringContaining("Missing 'function' in the tool specification") } });
  });

  it('leaves client-executed tools that are not plain functions alone', () => {
    const body = { tools: [{ type: 'bash_20250124', name: 'bash' }, { type: 'text_editor_20250728', name: 'str_replace_based_edit_tool' }] };
    expect(applyRepair('hosted-tools', body, { upstream: 'anthropic-messages', family: 'claude', endpoint: MODELS.claude }).body).toEqual(body);
  });
});
