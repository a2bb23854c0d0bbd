import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../../src/emulator/catalog.js';
import { findPath, runModel, synthesizeArguments } from '../../src/emulator/model.js';
import { signReasoning, verifyReasoning } from '../../src/emulator/signing.js';
import { DatabricksApiError, type Conversation, type EmulatedEndpoint, type Script, type ToolSpec } from '../../src/emulator/types.js';

const catalog = defaultCatalog();
const endpoint = (name: string): EmulatedEndpoint => {
  const found = catalog.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no ${name} in the catalog`);
  return found;
};
const claude = endpoint('databricks-claude-sonnet-4-6');
const gpt = endpoint('databricks-gpt-5-2');
const codex = endpoint('databricks-gpt-5-1-codex-max');
const geminiEndpoint = endpoint('databricks-gemini-3-pro');
const llama = endpoint('databricks-meta-llama-3-3-70b-instruct');

function conversation(overrides: Partial<Conversation> = {}): Conversation {
  const lastUserText = overrides.lastUserText ?? 'hello there';
  return {
    endpoint: 'databricks-claude-sonnet-4-6',
    stream: false,
    lastUserText,
    allText: overrides.allText ?? lastUserText,
    tools: [],
    toolChoice: 'auto',
    toolResults: [],
    parallelToolCalls: true,
    priorToolCalls: [],
    reasoningRequested: false,
    replayedReasoning: [],
    ...overrides,
  };
}

const tool = (name: string, parameters: Record<string, unknown> = { type: 'object', properties: {} }): ToolSpec => ({
  name,
  parameters,
});
const readTool = tool('Read', {
  type: 'object',
  properties: { file_path: { type: 'string' }, limit: { type: 'number' } },
  required: ['file_path'],
});
const bashTool = tool('Bash', {
  type: 'object',
  properties: { command: { type: 'string' }, timeout: { type: 'number' } },
  required: ['command'],
});
const weatherTool = tool('get_weather', {
  type: 'object',
  properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
});

const toolCalls = (script: Script) => script.blocks.filter((block) => block.type === 'tool_call');
const texts = (script: Script) => script.blocks.filter((block) => block.type === 'text').map((block) => block.text);

describe('echo', () => {
  it('repeats the last user text and ends the turn', () => {
    const script = runModel(conversation({ lastUserText: 'ping 42' }), claude);
    expect(script.blocks).toEqual([{ type: 'text', text: 'You said: ping 42' }]);
    expect(script.stop).toBe('end_turn');
    expect(script.endpoint).toBe(claude.name);
  });

  it('echoes when tools are offered but tool choice is none', () => {
    const script = runModel(conversation({ tools: [readTool], toolChoice: 'none' }), claude);
    expect(toolCalls(script)).toHaveLength(0);
    expect(texts(script)).toEqual(['You said: hello there']);
  });
});

describe('tool results', () => {
  it('answers with the tool output, up to 4,000 characters per result', () => {
    const long = `TOKEN-7f3a ${'x'.repeat(5000)}`;
    const script = runModel(
      conversation({ tools: [readTool], toolResults: [{ callId: 'call_1', content: long }] }),
      claude,
    );
    expect(toolCalls(script)).toHaveLength(0);
    const [text] = texts(script);
    expect(text).toBe(`The tool returned: ${long.slice(0, 4000)}`);
    expect(script.stop).toBe('end_turn');
  });

  it('reports every result when several come back', () => {
    const script = runModel(
      conversation({ toolResults: [{ callId: 'a', content: 'one' }, { callId: 'b', content: 'two' }] }),
      gpt,
    );
    expect(texts(script)[0]).toContain('The tool returned: one');
    expect(texts(script)[0]).toContain('The tool returned: two');
  });
});

describe('tool calls', () => {
  it('prefers a file reader, fills the path from the user text, and stops for tool use', () => {
    const script = runModel(
      conversation({ lastUserText: 'Please read `/tmp/notes/todo.txt`.', tools: [weatherTool, bashTool, readTool] }),
      claude,
    );
    const calls = toolCalls(script);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ name: 'Read', arguments: { file_path: '/tmp/notes/todo.txt' } });
    expect(calls[0]?.callId).toMatch(/^call_[0-9a-f]{24}$/);
    expect(script.stop).toBe('tool_use');
  });

  it('falls back to a shell that cats the file, then to the first tool', () => {
    const shell = runModel(conversation({ lastUserText: 'look at src/index.ts', tools: [weatherTool, bashTool] }), claude);
    expect(toolCalls(shell)[0]).toMatchObject({ name: 'Bash', arguments: { command: 'cat src/index.ts' } });
    const first = runModel(conversation({ tools: [weatherTool, tool('other')] }), claude);
    expect(toolCalls(first)[0]?.name).toBe('get_weather');
  });

  it('calls the tool that tool choice names', () => {
    const script = runModel(conversation({ tools: [readTool, weatherTool], toolChoice: { name: 'get_weather' } }), claude);
    expect(toolCalls(script).map((call) => call.name)).toEqual(['get_weather']);
  });

  it('makes two calls to different tools when asked for parallel calls', () => {
    const script = runModel(conversation({ lastUserText: 'run these in parallel', tools: [weatherTool, readTool] }), gpt);
    const calls = toolCalls(script);
    expect(calls.map((call) => call.name)).toEqual(['Read', 'get_weather']);
    expect(calls[0]?.callId).not.toBe(calls[1]?.callId);
  });

  it('repeats the only tool for a parallel request, and makes one call when parallel calls are off', () => {
    const single = runModel(conversation({ lastUserText: 'parallel please', tools: [readTool] }), gpt);
    expect(toolCalls(single).map((call) => call.name)).toEqual(['Read', 'Read']);
    const off = runModel(
      conversation({ lastUserText: 'parallel please', tools: [readTool, bashTool], parallelToolCalls: false }),
      gpt,
    );
    expect(toolCalls(off)).toHaveLength(1);
    // "parallelism" is not the word "parallel".
    const word = runModel(conversation({ lastUserText: 'explain parallelism', tools: [readTool, bashTool] }), gpt);
    expect(toolCalls(word)).toHaveLength(1);
  });
});

describe('argument synthesis', () => {
  it('fills required properties only, by type', () => {
    const args = synthesizeArguments(
      {
        type: 'object',
        properties: {
          path: { type: 'string' },
          count: { type: 'integer' },
          ratio: { type: 'number' },
          force: { type: 'boolean' },
          tags: { type: 'array', items: { type: 'string' } },
          label: { type: ['string', 'null'] },
          mode: { type: 'string', enum: ['fast', 'slow'] },
          ignored: { type: 'string' },
        },
        required: ['path', 'count', 'ratio', 'force', 'tags', 'label', 'mode'],
      },
      'a/b.md',
    );
    expect(args).toEqual({ path: 'a/b.md', count: 1, ratio: 1, force: false, tags: [], label: 'example', mode: 'fast' });
  });

  it('fills every property when none is required, recursing into objects', () => {
    const args = synthesizeArguments(
      { type: 'object', properties: { options: { type: 'object', properties: { dir: { type: 'string' } } }, n: { type: 'number' } } },
      undefined,
    );
    expect(args).toEqual({ options: { dir: 'README.md' }, n: 1 });
  });

  it("turns a shell command array into ['cat', path]", () => {
    const args = synthesizeArguments(
      { type: 'object', properties: { command: { type: 'array', items: { type: 'string' } } }, required: ['command'] },
      '/etc/hosts',
    );
    expect(args).toEqual({ command: ['cat', '/etc/hosts'] });
  });

  it('finds paths in prose and ignores URLs', () => {
    expect(findPath('read "./docs/guide.md", then stop')).toBe('./docs/guide.md');
    expect(findPath('see https://example.com/a.txt or package.json')).toBe('package.json');
    expect(findPath('no path here')).toBeUndefined();
  });
});

describe('reasoning', () => {
  it('puts a signed reasoning block first for reasoning families', () => {
    const cases: [EmulatedEndpoint, 'anthropic' | 'openai' | 'gemini'][] = [
      [claude, 'anthropic'],
      [gpt, 'openai'],
      [codex, 'openai'],
      [geminiEndpoint, 'gemini'],
    ];
    for (const [target, provider] of cases) {
      const script = runModel(conversation({ reasoningRequested: true }), target);
      const [first, second] = script.blocks;
      expect(first?.type).toBe('reasoning');
      if (first?.type !== 'reasoning') continue;
      expect(first.text.length).toBeGreaterThan(0);
      expect(verifyReasoning(provider, first.text, first.signature)).toBe(true);
      expect(second).toEqual({ type: 'text', text: 'You said: hello there' });
      expect(script.usage.reasoningTokens).toBeGreaterThan(0);
      expect(script.usage.outputTokens).toBeGreaterThan(script.usage.reasoningTokens);
    }
  });

  it('does not reason for families without reasoning, nor when not asked', () => {
    expect(runModel(conversation({ reasoningRequested: true }), llama).blocks.map((block) => block.type)).toEqual(['text']);
    expect(runModel(conversation(), claude).blocks.map((block) => block.type)).toEqual(['text']);
  });

  it('accepts a replay signed by the same provider', () => {
    const text = 'earlier thought';
    const script = runModel(
      conversation({ replayedReasoning: [{ text, signature: signReasoning('anthropic', text) }] }),
      claude,
    );
    expect(script.stop).toBe('end_turn');
  });

  it('refuses an altered, dropped or foreign signature with a 400 BAD_REQUEST', () => {
    const text = 'earlier thought';
    const good = signReasoning('anthropic', text);
    const bad = [
      { text, signature: `${good.slice(0, -2)}xx` },
      { text: `${text}!`, signature: good },
      { text },
      { text, signature: signReasoning('openai', text) },
    ];
    for (const replay of bad) {
      let caught: unknown;
      try {
        runModel(conversation({ replayedReasoning: [replay] }), claude);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(DatabricksApiError);
      const error = caught as DatabricksApiError;
      expect(error.status).toBe(400);
      expect(error.errorCode).toBe('BAD_REQUEST');
      expect(error.message).toContain('Invalid `signature` in `thinking` block');
    }
    // Bound the other way too: an Anthropic signature is foreign to GPT and Gemini.
    expect(() => runModel(conversation({ replayedReasoning: [{ text, signature: good }] }), gpt)).toThrow(DatabricksApiError);
    expect(() => runModel(conversation({ replayedReasoning: [{ text, signature: good }] }), geminiEndpoint)).toThrow(
      DatabricksApiError,
    );
  });
});

describe('token limit and usage', () => {
  it('cuts the text at about four characters per token and stops with max_tokens', () => {
    const script = runModel(conversation({ lastUserText: 'a'.repeat(200), maxOutputTokens: 5 }), claude);
    expect(texts(script)).toEqual(['You said: aaaaaaaaaa']);
    expect(script.stop).toBe('max_tokens');
    expect(script.usage.outputTokens).toBe(5);
  });

  it('leaves a text that fits alone', () => {
    const script = runModel(conversation({ lastUserText: 'hi', maxOutputTokens: 100 }), claude);
    expect(script.stop).toBe('end_turn');
  });

  it('counts input from all the text, output from the blocks, all positive integers', () => {
    const allText = 'x'.repeat(101);
    const script = runModel(conversation({ allText, tools: [readTool] }), claude);
    expect(script.usage.inputTokens).toBe(Math.ceil(101 / 4) + 8);
    expect(script.usage.cachedInputTokens).toBe(0);
    expect(script.usage.reasoningTokens).toBe(0);
    expect(Number.isInteger(script.usage.outputTokens) && script.usage.outputTokens > 0).toBe(true);
  });
});

describe('determinism', () => {
  const strip = ({ created: _created, ...rest }: Script) => rest;

  it('gives the same script for the same request, streamed or not', () => {
    const request = conversation({ lastUserText: 'read a.txt in parallel', tools: [readTool, bashTool], reasoningRequested: true });
    const first = runModel(request, claude);
    expect(strip(runModel(structuredClone(request), claude))).toEqual(strip(first));
    expect(strip(runModel({ ...request, stream: true }, claude))).toEqual(strip(first));
    expect(first.id).toMatch(/^[0-9a-f]{24}$/);
    expect(Math.abs(first.created - Date.now() / 1000)).toBeLessThan(5);
  });

  it('gives different ids to different requests', () => {
    const a = runModel(conversation({ lastUserText: 'one', tools: [readTool] }), claude);
    const b = runModel(conversation({ lastUserText: 'two', tools: [readTool] }), claude);
    expect(a.id).not.toBe(b.id);
    expect(toolCalls(a)[0]?.callId).not.toBe(toolCalls(b)[0]?.callId);
  });
});
