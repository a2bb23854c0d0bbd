/** Official SDK clients whose fetch answers with a fixed body: the SDK judges what a codec wrote, no network involved. */
import OpenAI from 'openai';

export function openAiClientAnswering(body: string, contentType = 'text/event-stream'): OpenAI {
  return new OpenAI({
    apiKey: 'x',
    baseURL: 'http://t.test/v1',
    maxRetries: 0,
    fetch: async () => new Response(body, { headers: { 'content-type': contentType } }),
  });
}
