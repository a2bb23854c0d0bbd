import type Anthropic from '@anthropic-ai/sdk';
import type OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { FunctionTool, Response, ResponseInputItem } from 'openai/resources/responses/responses';
import type { Content, FunctionCall, GenerateContentResponseUsageMetadata, GoogleGenAI, Part } from '@google/genai';

/**
 * One agent per client dialect, each with its official SDK and its types:
 * a long system prompt, tools, and a history that grows with every call
 * (user turns, tool calls and their results). `call` sends the whole context
 * and returns the cache reads and the input total as that client's own usage
 * fields report them.
 */
export interface AgentCall {
  /** Input tokens read from the prompt cache, from the dialect's own field. */
  cached: number;
  /** Every input token, cached included (chat and Responses count them inside; Anthropic beside, so they are added). */
  input: number;
  /** What the model answered (text, or the tool calls it made), to compare runs. */
  answer: string;
}

export interface Agent {
  /** One request: the user's text when given, else the results of the last tool calls. */
  call(userText?: string): Promise<AgentCall>;
}

export const SYSTEM_PROMPT = Array.from(
  { length: 60 },
  (_, i) => `Rule ${i + 1}: you are a careful coding agent; read files before editing them, keep changes small, and explain each step.`,
).join('\n');

const TOOL = {
  name: 'read_file',
  description: 'Read a file of the repository and return its text.',
  parameters: { type: 'object', properties: { path: { type: 'string', description: 'Path of the file' } }, required: ['path'] },
};

export function chatAgent(client: OpenAI, model: string, stream: boolean): Agent {
  const messages: ChatCompletionMessageParam[] = [{ role: 'system', content: SYSTEM_PROMPT }];
  const tools: ChatCompletionTool[] = [{ type: 'function', function: TOOL }];
  let pending: string[] = [];
  return {
    async call(userText) {
      if (userText !== undefined) messages.push({ role: 'user', content: userText });
      for (const id of pending) messages.push({ role: 'tool', tool_call_id: id, content: `contents of the file for ${id.slice(0, 8)}` });
      const completion: ChatCompletion = stream
        ? await client.chat.completions.stream({ model, messages, tools, stream_options: { include_usage: true } }).finalChatCompletion()
        : await client.chat.completions.create({ model, messages, tools });
      const message = completion.choices[0]?.message;
      if (!message) throw new Error('no choice');
      messages.push(message);
      pending = (message.tool_calls ?? []).map((call) => call.id);
      return {
        cached: completion.usage?.prompt_tokens_details?.cached_tokens ?? 0,
        input: completion.usage?.prompt_tokens ?? 0,
        answer: message.content ?? JSON.stringify(message.tool_calls?.map((call) => call.type === 'function' && call.function)),
      };
    },
  };
}

export function responsesAgent(client: OpenAI, model: string, stream: boolean): Agent {
  const input: ResponseInputItem[] = [];
  const tools: FunctionTool[] = [{ type: 'function', name: TOOL.name, description: TOOL.description, parameters: TOOL.parameters, strict: false }];
  let pending: string[] = [];
  return {
    async call(userText) {
      if (userText !== undefined) input.push({ role: 'user', content: userText });
      for (const id of pending) input.push({ type: 'function_call_output', call_id: id, output: `contents of the file for ${id.slice(0, 8)}` });
      const params = { model, instructions: SYSTEM_PROMPT, input, tools };
      const response: Response = stream ? await client.responses.stream(params).finalResponse() : await client.responses.create(params);
      input.push(...(response.output as ResponseInputItem[]));
      pending = response.output.flatMap((item) => (item.type === 'function_call' ? [item.call_id] : []));
      return {
        cached: response.usage?.input_tokens_details.cached_tokens ?? 0,
        input: response.usage?.input_tokens ?? 0,
        answer: response.output_text || JSON.stringify(response.output.flatMap((item) => (item.type === 'function_call' ? [item.name, item.arguments] : []))),
      };
    },
  };
}

export function anthropicAgent(client: Anthropic, model: string, stream: boolean): Agent {
  const messages: Anthropic.MessageParam[] = [];
  const tools: Anthropic.Tool[] = [{ name: TOOL.name, description: TOOL.description, input_schema: TOOL.parameters as Anthropic.Tool.InputSchema }];
  let pending: string[] = [];
  return {
    async call(userText) {
      const content: Anthropic.ContentBlockParam[] = pending.map((id) => ({ type: 'tool_result', tool_use_id: id, content: `contents of the file for ${id.slice(0, 8)}` }));
      if (userText !== undefined) content.push({ type: 'text', text: userText });
      messages.push({ role: 'user', content });
      const params = { model, max_tokens: 1024, system: SYSTEM_PROMPT, messages, tools };
      const message: Anthropic.Message = stream ? await client.messages.stream(params).finalMessage() : await client.messages.create(params);
      messages.push({ role: 'assistant', content: message.content });
      pending = message.content.flatMap((block) => (block.type === 'tool_use' ? [block.id] : []));
      const { usage } = message;
      const cached = usage.cache_read_input_tokens ?? 0;
      return {
        cached,
        input: usage.input_tokens + cached + (usage.cache_creation_input_tokens ?? 0),
        answer: message.content.map((block) => (block.type === 'text' ? block.text : block.type === 'tool_use' ? `${block.name} ${JSON.stringify(block.input)}` : '')).join(''),
      };
    },
  };
}

/** Ten calls: five user turns, each a tool call and the answer after its result. */
export async function runConversation(agent: Agent): Promise<AgentCall[]> {
  const calls: AgentCall[] = [];
  for (let turn = 1; turn <= 5; turn += 1) {
    calls.push(await agent.call(`Turn ${turn}: please look at src/module-${turn}.ts and tell me what it does.`));
    calls.push(await agent.call());
  }
  return calls;
}

export function geminiAgent(client: GoogleGenAI, model: string, stream: boolean): Agent {
  const contents: Content[] = [];
  const config = {
    systemInstruction: SYSTEM_PROMPT,
    tools: [{ functionDeclarations: [{ name: TOOL.name, description: TOOL.description, parametersJsonSchema: TOOL.parameters }] }],
  };
  let pending: FunctionCall[] = [];
  return {
    async call(userText) {
      const parts: Part[] = pending.map((call) => ({
        functionResponse: { name: call.name ?? TOOL.name, ...(call.id ? { id: call.id } : {}), response: { output: `contents of the file for ${call.name}` } },
      }));
      if (userText !== undefined) parts.push({ text: userText });
      contents.push({ role: 'user', parts });
      const answerParts: Part[] = [];
      let usage: GenerateContentResponseUsageMetadata | undefined;
      if (stream) {
        for await (const chunk of await client.models.generateContentStream({ model, contents, config })) {
          answerParts.push(...(chunk.candidates?.[0]?.content?.parts ?? []));
          usage = chunk.usageMetadata ?? usage;
        }
      } else {
        const response = await client.models.generateContent({ model, contents, config });
        answerParts.push(...(response.candidates?.[0]?.content?.parts ?? []));
        usage = response.usageMetadata;
      }
      contents.push({ role: 'model', parts: answerParts });
      pending = answerParts.flatMap((part) => (part.functionCall ? [part.functionCall] : []));
      return {
        cached: usage?.cachedContentTokenCount ?? 0,
        input: usage?.promptTokenCount ?? 0,
        answer: answerParts.map((part) => part.text ?? (part.functionCall ? `${part.functionCall.name} ${JSON.stringify(part.functionCall.args)}` : '')).join(''),
      };
    },
  };
}
