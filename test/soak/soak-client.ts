import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { requestBody, type ClientApi } from '../reliability/routes.js';

/**
 * The soak's client side: one official SDK client per API, reused for every
 * request (so the harness itself does not grow), streams judged by the SDK
 * stream helpers, and every outcome sorted into one of four bins.
 */
export interface SoakCase {
  client: ClientApi;
  model: string;
  stream: boolean;
}

/** Every family the emulator serves, so each route is taken passthrough and translated. */
const MODELS = [
  'databricks-claude-sonnet-4-6',
  'databricks-gpt-5-2',
  'databricks-gpt-5-1-codex-max',
  'databricks-gemini-2-5-pro',
  'databricks-meta-llama-3-3-70b-instruct',
  'databricks-qwen3-next-80b-a3b-instruct',
  'databricks-gemma-3-12b',
];

export const CASES: readonly SoakCase[] = (['chat', 'responses', 'messages'] as const).flatMap((client) =>
  MODELS.flatMap((model) => [true, false].map((stream) => ({ client, model, stream }))),
);

/**
 * ok: a whole answer (it echoes the request's marker); failed: the SDK raised
 * the proxy's error in the client's dialect (HTTP error body or mid-stream
 * error event); malformed: anything else the SDK threw, or an answer missing
 * its marker (cut short yet presented as complete); hung: no end in time.
 */
export type Outcome = { bin: 'ok' } | { bin: 'failed'; label: string } | { bin: 'malformed'; label: string } | { bin: 'hung' };

export class SoakClients {
  private readonly openai: OpenAI;
  private readonly anthropic: Anthropic;

  constructor(proxyUrl: string) {
    this.openai = new OpenAI({ apiKey: 'soak', baseURL: `${proxyUrl}/v1`, maxRetries: 0, timeout: 60_000 });
    this.anthropic = new Anthropic({ apiKey: 'soak', baseURL: proxyUrl, maxRetries: 0, timeout: 60_000 });
  }

  /** One request; resolves with the answer's text. */
  async ask(kase: SoakCase, prompt: string, signal: AbortSignal): Promise<string> {
    const body = requestBody(kase, prompt, kase.stream) as never;
    const options = { signal };
    if (kase.client === 'messages') {
      const message = kase.stream ? await this.anthropic.messages.stream(body, options).finalMessage() : await this.anthropic.messages.create(body, options);
      return (message as Anthropic.Message).content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('');
    }
    if (kase.client === 'chat') {
      const completion = kase.stream
        ? await this.openai.chat.completions.stream(body, options).finalChatCompletion()
        : await this.openai.chat.completions.create(body, options);
      return (completion as OpenAI.Chat.ChatCompletion).choices[0]?.message.content ?? '';
    }
    const response = kase.stream ? await this.openai.responses.stream(body, options).finalResponse() : await this.openai.responses.create(body, options);
    return (response as OpenAI.Responses.Response).output_text;
  }
}

/** Sorts a rejection: the proxy's error in the client's dialect, or something the client could not make sense of. */
export function classify(client: ClientApi, error: unknown): Outcome {
  const where = (status: number | undefined) => (status === undefined ? 'mid-stream' : String(status));
  if (client === 'messages' && error instanceof Anthropic.APIError) {
    const body = error.error as { type?: unknown; error?: { type?: unknown; message?: unknown } } | undefined;
    if (body?.type === 'error' && typeof body.error?.type === 'string' && typeof body.error.message === 'string' && body.error.message) {
      return { bin: 'failed', label: `${where(error.status)} ${body.error.type}` };
    }
  }
  if (client !== 'messages' && error instanceof OpenAI.APIError) {
    const body = error.error as { type?: unknown; message?: unknown } | undefined;
    if (typeof body?.type === 'string' && typeof body.message === 'string' && body.message) {
      return { bin: 'failed', label: `${where(error.status)} ${body.type}` };
    }
  }
  const name = error instanceof Error ? `${error.constructor.name}: ${error.message.slice(0, 80)}` : String(error);
  return { bin: 'malformed', label: name };
}
