import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';

/**
 * The client side of the reliability tests: one request per inbound route,
 * streamed through the official SDK stream helpers (the judges of a stream:
 * they reject a malformed or failed one) or sent raw to read the SSE text.
 */
export type ClientApi = 'chat' | 'responses' | 'messages';

export interface RouteCase {
  client: ClientApi;
  model: string;
  /** passthrough: the client's dialect is the model's; translated: through the IR. */
  mode: 'passthrough' | 'translated';
  /** Whether the upstream stream reports input tokens at its start (Anthropic's message_start). */
  usageAtStart: boolean;
}

export const CLAUDE = 'databricks-claude-sonnet-4-6';
export const GPT = 'databricks-gpt-5-2';
export const LLAMA = 'databricks-meta-llama-3-3-70b-instruct';
export const GEMINI = 'databricks-gemini-2-5-pro';

/** Every inbound route, passthrough and translated (route-table.ts decides which is which). */
export const ROUTES: readonly RouteCase[] = [
  { client: 'chat', model: LLAMA, mode: 'passthrough', usageAtStart: false },
  { client: 'chat', model: CLAUDE, mode: 'translated', usageAtStart: true },
  { client: 'responses', model: GPT, mode: 'passthrough', usageAtStart: false },
  { client: 'responses', model: CLAUDE, mode: 'translated', usageAtStart: true },
  { client: 'messages', model: CLAUDE, mode: 'passthrough', usageAtStart: true },
  { client: 'messages', model: LLAMA, mode: 'translated', usageAtStart: false },
];

export const INBOUND_PATH: Record<ClientApi, string> = {
  chat: '/v1/chat/completions',
  responses: '/v1/responses',
  messages: '/v1/messages',
};

export const routeName = (route: RouteCase): string => `${route.client} → ${route.model.replace('databricks-', '')} (${route.mode})`;

const KEY = 'local-client-key';

/** The JSON body a route's client sends. */
export function requestBody(route: Pick<RouteCase, 'client' | 'model'>, prompt: string, stream: boolean): Record<string, unknown> {
  if (route.client === 'chat') {
    return { model: route.model, messages: [{ role: 'user', content: prompt }], stream, ...(stream ? { stream_options: { include_usage: true } } : {}) };
  }
  if (route.client === 'responses') return { model: route.model, input: prompt, stream };
  return { model: route.model, max_tokens: 512, messages: [{ role: 'user', content: prompt }], stream };
}

/** Streams through the SDK helper; resolves with the answer's text, rejects as the SDK does. */
export async function streamWithSdk(proxyUrl: string, route: Pick<RouteCase, 'client' | 'model'>, prompt: string, signal?: AbortSignal): Promise<string> {
  const options = signal ? { signal } : {};
  if (route.client === 'messages') {
    const client = new Anthropic({ apiKey: KEY, baseURL: proxyUrl, maxRetries: 0 });
    const body = requestBody(route, prompt, true) as unknown as Anthropic.MessageStreamParams;
    const message = await client.messages.stream(body, options).finalMessage();
    return message.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('');
  }
  const client = new OpenAI({ apiKey: KEY, baseURL: `${proxyUrl}/v1`, maxRetries: 0 });
  if (route.client === 'chat') {
    const body = requestBody(route, prompt, true) as unknown as OpenAI.Chat.ChatCompletionCreateParamsStreaming;
    const completion = await client.chat.completions.stream(body, options).finalChatCompletion();
    return completion.choices[0]?.message.content ?? '';
  }
  const body = requestBody(route, prompt, true) as unknown as OpenAI.Responses.ResponseCreateParamsStreaming;
  return (await client.responses.stream(body, options).finalResponse()).output_text;
}

/** One non-streamed call through the SDK; resolves with the answer's text. */
export async function callWithSdk(proxyUrl: string, route: Pick<RouteCase, 'client' | 'model'>, prompt: string, signal?: AbortSignal): Promise<string> {
  const options = signal ? { signal } : {};
  if (route.client === 'messages') {
    const client = new Anthropic({ apiKey: KEY, baseURL: proxyUrl, maxRetries: 0 });
    const message = await client.messages.create(requestBody(route, prompt, false) as unknown as Anthropic.MessageCreateParamsNonStreaming, options);
    return message.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('');
  }
  const client = new OpenAI({ apiKey: KEY, baseURL: `${proxyUrl}/v1`, maxRetries: 0 });
  if (route.client === 'chat') {
    const body = requestBody(route, prompt, false) as unknown as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;
    return (await client.chat.completions.create(body, options)).choices[0]?.message.content ?? '';
  }
  return (await client.responses.create(requestBody(route, prompt, false) as unknown as OpenAI.Responses.ResponseCreateParamsNonStreaming, options)).output_text;
}

/** The request sent raw: status, headers and the whole body text (an SSE stream read to its end). */
export async function sendRaw(
  proxyUrl: string,
  route: Pick<RouteCase, 'client' | 'model'>,
  prompt: string,
  stream: boolean,
): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(`${proxyUrl}${INBOUND_PATH[route.client]}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}`, ...(route.client === 'messages' ? { 'anthropic-version': '2023-06-01' } : {}) },
    body: JSON.stringify(requestBody(route, prompt, stream)),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

export interface SseEvent {
  event: string | undefined;
  data: string;
}

export function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export function sseEvents(text: string): SseEvent[] {
  return text
    .split(/\n\n/)
    .filter((frame) => frame.trim())
    .map((frame) => {
      const event = /^event: (.*)$/m.exec(frame)?.[1];
      const data = frame
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.replace(/^data: ?/, ''))
        .join('\n');
      return { event, data };
    });
}

/** The error a failed stream carries, read the way each dialect's clients read it: `{kind, message}` in dialect terms. */
export function streamError(client: ClientApi, text: string): { type: string; code?: string; message: string } | undefined {
  const events = sseEvents(text);
  if (client === 'chat') {
    const last = events.at(-1);
    const body = last ? (JSON.parse(last.data) as { error?: { type: string; code: string; message: string } }) : undefined;
    return body?.error && { type: body.error.type, code: body.error.code, message: body.error.message };
  }
  const error = events.find((event) => event.event === 'error');
  if (!error) return undefined;
  const body = JSON.parse(error.data) as { error: { type: string; code?: string; message: string } };
  return { type: body.error.type, ...(body.error.code ? { code: body.error.code } : {}), message: body.error.message };
}

/** Whether the stream's last event is the dialect's terminal event after a failure. */
export function endsAsFailed(client: ClientApi, text: string): boolean {
  const events = sseEvents(text);
  const last = events.at(-1);
  if (!last) return false;
  if (client === 'chat') return /^\{"error":/.test(last.data) && !events.some((event) => event.data === '[DONE]');
  if (client === 'responses') return last.event === 'response.failed' && events.at(-2)?.event === 'error';
  return last.event === 'message_stop' && events.at(-2)?.event === 'error';
}

/** The proxy's summary log line of the last request on a path. */
export function summaryLine(lines: readonly string[], path: string): Record<string, unknown> | undefined {
  return lines
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((record) => record.msg === 'request' && record.path === path)
    .at(-1);
}
