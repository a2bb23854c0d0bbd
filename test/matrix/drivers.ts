import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI, type Content, type Part } from '@google/genai';
import OpenAI from 'openai';

/**
 * One client per inbound dialect, driven through the official SDKs (their
 * stream helpers are the judges: they throw on a malformed stream). Each
 * driver speaks its own dialect and reports a turn in one common shape, so the
 * matrix can run the same scenarios through every cell.
 */
export interface ToolCall {
  id: string;
  name: string;
  args: Record<string, unknown>;
}

export interface Turn {
  text: string;
  reasoning: boolean;
  toolCalls: ToolCall[];
  stop: 'end' | 'tool' | 'length' | 'other';
  totalTokens: number;
  /** Opaque: what the driver needs to replay this turn as history. */
  replay: unknown;
}

export interface Ask {
  model: string;
  prompt: string;
  stream: boolean;
  tools: boolean;
  reasoning: boolean;
}

export interface Driver {
  first(ask: Ask): Promise<Turn>;
  /** Sends the first turn back with one result per tool call, and returns the next turn. */
  followUp(ask: Ask, first: Turn, results: Map<string, string>): Promise<Turn>;
}

const TOOLS = [
  { name: 'read_file', description: 'Read a file', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } },
  { name: 'list_dir', description: 'List a folder', parameters: { type: 'object', properties: { dir: { type: 'string' } }, required: ['dir'] } },
];

const parseArgs = (json: string): Record<string, unknown> => JSON.parse(json || '{}') as Record<string, unknown>;

export function chatDriver(baseURL: string): Driver {
  const client = new OpenAI({ apiKey: 'local', baseURL, maxRetries: 0 });
  const request = (ask: Ask, messages: OpenAI.Chat.ChatCompletionMessageParam[]) => ({
    model: ask.model,
    messages,
    max_tokens: 2048,
    ...(ask.tools ? { tools: TOOLS.map((tool) => ({ type: 'function' as const, function: tool })) } : {}),
    ...(ask.reasoning ? { reasoning_effort: 'low' as const } : {}),
  });
  const run = async (ask: Ask, messages: OpenAI.Chat.ChatCompletionMessageParam[]): Promise<Turn> => {
    const body = request(ask, messages);
    const completion = ask.stream
      ? await client.chat.completions.stream({ ...body, stream_options: { include_usage: true } }).finalChatCompletion()
      : await client.chat.completions.create(body);
    const choice = completion.choices[0];
    if (!choice) throw new Error('no choice');
    const message = choice.message as OpenAI.Chat.ChatCompletionMessage & { reasoning_content?: string; thinking_blocks?: unknown[] };
    const toolCalls = (message.tool_calls ?? []).flatMap((call) => (call.type === 'function' ? [{ id: call.id, name: call.function.name, args: parseArgs(call.function.arguments) }] : []));
    const stops: Record<string, Turn['stop']> = { stop: 'end', tool_calls: 'tool', length: 'length' };
    return {
      text: message.content ?? '',
      reasoning: Boolean(message.reasoning_content) || (message.thinking_blocks?.length ?? 0) > 0,
      toolCalls,
      stop: stops[choice.finish_reason] ?? 'other',
      totalTokens: completion.usage?.total_tokens ?? 0,
      replay: { messages, assistant: message },
    };
  };
  return {
    first: (ask) => run(ask, [{ role: 'system', content: 'You are terse.' }, { role: 'user', content: ask.prompt }]),
    followUp: (ask, first, results) => {
      const { messages, assistant } = first.replay as {
        messages: OpenAI.Chat.ChatCompletionMessageParam[];
        assistant: OpenAI.Chat.ChatCompletionMessage & { thinking_blocks?: unknown[] };
      };
      // What a client sends back: the wire fields only (the SDK's helpers add `parsed` and friends to its snapshot).
      const replayed = {
        role: 'assistant' as const,
        content: assistant.content,
        ...(assistant.tool_calls?.length
          ? { tool_calls: assistant.tool_calls.flatMap((call) => (call.type === 'function' ? [{ id: call.id, type: 'function' as const, function: { name: call.function.name, arguments: call.function.arguments } }] : [])) }
          : {}),
        ...(assistant.thinking_blocks ? { thinking_blocks: assistant.thinking_blocks } : {}),
      };
      const toolMessages = first.toolCalls.map((call) => ({ role: 'tool' as const, tool_call_id: call.id, content: results.get(call.id) ?? '' }));
      return run(ask, [...messages, replayed as OpenAI.Chat.ChatCompletionAssistantMessageParam, ...toolMessages]);
    },
  };
}

export function responsesDriver(baseURL: string): Driver {
  const client = new OpenAI({ apiKey: 'local', baseURL, maxRetries: 0 });
  const run = async (ask: Ask, input: OpenAI.Responses.ResponseInputItem[]): Promise<Turn> => {
    const body = {
      model: ask.model,
      instructions: 'You are terse.',
      input,
      max_output_tokens: 2048,
      store: false,
      ...(ask.tools ? { tools: TOOLS.map((tool) => ({ type: 'function' as const, strict: false, ...tool })) } : {}),
      ...(ask.reasoning ? { reasoning: { effort: 'low' as const, summary: 'auto' as const }, include: ['reasoning.encrypted_content' as const] } : {}),
    };
    const response = ask.stream ? await client.responses.stream(body).finalResponse() : await client.responses.create(body);
    const toolCalls = response.output.flatMap((item) => (item.type === 'function_call' ? [{ id: item.call_id, name: item.name, args: parseArgs(item.arguments) }] : []));
    const text = response.output.flatMap((item) => (item.type === 'message' ? item.content.flatMap((part) => (part.type === 'output_text' ? [part.text] : [])) : [])).join('');
    const stop: Turn['stop'] =
      response.status === 'incomplete' ? 'length' : response.status !== 'completed' ? 'other' : toolCalls.length > 0 ? 'tool' : 'end';
    return {
      text,
      reasoning: response.output.some((item) => item.type === 'reasoning'),
      toolCalls,
      stop,
      totalTokens: response.usage?.total_tokens ?? 0,
      replay: { input, output: response.output },
    };
  };
  return {
    first: (ask) => run(ask, [{ role: 'user', content: ask.prompt }]),
    followUp: (ask, first, results) => {
      const { input, output } = first.replay as { input: OpenAI.Responses.ResponseInputItem[]; output: OpenAI.Responses.ResponseOutputItem[] };
      const outputs = first.toolCalls.map((call) => ({ type: 'function_call_output' as const, call_id: call.id, output: results.get(call.id) ?? '' }));
      return run(ask, [...input, ...(output as OpenAI.Responses.ResponseInputItem[]), ...outputs]);
    },
  };
}

export function messagesDriver(baseURL: string): Driver {
  const client = new Anthropic({ apiKey: 'local', baseURL, maxRetries: 0 });
  const run = async (ask: Ask, messages: Anthropic.MessageParam[]): Promise<Turn> => {
    const body = {
      model: ask.model,
      system: 'You are terse.',
      max_tokens: 4096,
      messages,
      ...(ask.tools ? { tools: TOOLS.map((tool) => ({ name: tool.name, description: tool.description, input_schema: tool.parameters as Anthropic.Tool.InputSchema })) } : {}),
      ...(ask.reasoning ? { thinking: { type: 'enabled' as const, budget_tokens: 1024 } } : {}),
    };
    const message = ask.stream ? await client.messages.stream(body).finalMessage() : await client.messages.create(body);
    const toolCalls = message.content.flatMap((block) => (block.type === 'tool_use' ? [{ id: block.id, name: block.name, args: block.input as Record<string, unknown> }] : []));
    const stops: Record<string, Turn['stop']> = { end_turn: 'end', tool_use: 'tool', max_tokens: 'length' };
    return {
      text: message.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join(''),
      reasoning: message.content.some((block) => block.type === 'thinking' || block.type === 'redacted_thinking'),
      toolCalls,
      stop: stops[message.stop_reason ?? ''] ?? 'other',
      totalTokens: message.usage.input_tokens + message.usage.output_tokens,
      replay: { messages, content: message.content },
    };
  };
  return {
    first: (ask) => run(ask, [{ role: 'user', content: ask.prompt }]),
    followUp: (ask, first, results) => {
      const { messages, content } = first.replay as { messages: Anthropic.MessageParam[]; content: Anthropic.ContentBlock[] };
      const toolResults = first.toolCalls.map((call) => ({ type: 'tool_result' as const, tool_use_id: call.id, content: results.get(call.id) ?? '' }));
      return run(ask, [...messages, { role: 'assistant', content }, { role: 'user', content: toolResults }]);
    },
  };
}

/**
 * The Gemini client, through `@google/genai` (its own parsing is the judge:
 * it throws on an error chunk or a stream cut mid-frame). Calls without an id
 * pair with their results by name, as Gemini does.
 */
export function geminiDriver(baseUrl: string): Driver {
  const client = new GoogleGenAI({ apiKey: 'local', httpOptions: { baseUrl } });
  const run = async (ask: Ask, contents: Content[]): Promise<Turn> => {
    const params = {
      model: ask.model,
      contents,
      config: {
        systemInstruction: 'You are terse.',
        maxOutputTokens: 2048,
        ...(ask.tools ? { tools: [{ functionDeclarations: TOOLS.map((tool) => ({ name: tool.name, description: tool.description, parametersJsonSchema: tool.parameters })) }] } : {}),
        ...(ask.reasoning ? { thinkingConfig: { includeThoughts: true, thinkingBudget: 1024 } } : {}),
      },
    };
    const parts: Part[] = [];
    let finish: string | undefined;
    let total = 0;
    const chunks = ask.stream ? await client.models.generateContentStream(params) : [await client.models.generateContent(params)];
    for await (const chunk of chunks) {
      const candidate = chunk.candidates?.[0];
      parts.push(...(candidate?.content?.parts ?? []));
      finish = candidate?.finishReason ?? finish;
      total = chunk.usageMetadata?.totalTokenCount ?? total;
    }
    const toolCalls = parts.flatMap((part) =>
      part.functionCall ? [{ id: part.functionCall.id ?? part.functionCall.name ?? '', name: part.functionCall.name ?? '', args: part.functionCall.args ?? {} }] : [],
    );
    const stop: Turn['stop'] = finish === 'STOP' ? (toolCalls.length > 0 ? 'tool' : 'end') : finish === 'MAX_TOKENS' ? 'length' : 'other';
    return {
      text: parts.flatMap((part) => (part.text !== undefined && !part.thought ? [part.text] : [])).join(''),
      reasoning: parts.some((part) => part.thought === true),
      toolCalls,
      stop,
      totalTokens: total,
      replay: { contents, parts },
    };
  };
  return {
    first: (ask) => run(ask, [{ role: 'user', parts: [{ text: ask.prompt }] }]),
    followUp: (ask, first, results) => {
      const { contents, parts } = first.replay as { contents: Content[]; parts: Part[] };
      const responses = first.toolCalls.map((call) => ({
        functionResponse: { ...(call.id !== call.name ? { id: call.id } : {}), name: call.name, response: { output: results.get(call.id) ?? '' } },
      }));
      return run(ask, [...contents, { role: 'model', parts }, { role: 'user', parts: responses }]);
    },
  };
}
