import { openaiBaseUrl, pickModel, PREFERRED_FAMILIES, type ClientModel, type ProxyTarget } from './models.js';

/** A TypeScript snippet for the official OpenAI SDK, with a Responses and a Chat Completions call. */
export function openaiSnippet(target: ProxyTarget, models: readonly ClientModel[]): string {
  // GPT before Codex: Codex models serve Responses only, and the snippet shows Chat Completions too.
  const model = pickModel(models, ['gpt', ...PREFERRED_FAMILIES.openai])?.id ?? '<model>';
  return [
    "import OpenAI from 'openai';",
    '',
    `const client = new OpenAI({ baseURL: ${JSON.stringify(openaiBaseUrl(target))}, apiKey: ${JSON.stringify(target.apiKey)} });`,
    `const response = await client.responses.create({ model: ${JSON.stringify(model)}, input: 'Hello' });`,
    `const completion = await client.chat.completions.create({ model: ${JSON.stringify(model)}, messages: [{ role: 'user', content: 'Hello' }] });`,
    '',
    '# or, for tools that read the environment:',
    `export OPENAI_BASE_URL=${openaiBaseUrl(target)} OPENAI_API_KEY=${target.apiKey}`,
  ].join('\n');
}

/** A TypeScript snippet for the official Anthropic SDK (its base URL has no /v1). */
export function anthropicSnippet(target: ProxyTarget, models: readonly ClientModel[]): string {
  const model = pickModel(models, PREFERRED_FAMILIES.anthropic, 'sonnet')?.id ?? '<model>';
  return [
    "import Anthropic from '@anthropic-ai/sdk';",
    '',
    `const client = new Anthropic({ baseURL: ${JSON.stringify(target.url)}, apiKey: ${JSON.stringify(target.apiKey)} });`,
    `const message = await client.messages.create({ model: ${JSON.stringify(model)}, max_tokens: 1024, messages: [{ role: 'user', content: 'Hello' }] });`,
    '',
    '# or, for tools that read the environment:',
    `export ANTHROPIC_BASE_URL=${target.url} ANTHROPIC_API_KEY=${target.apiKey}`,
  ].join('\n');
}
