import type { Dialect } from '../dialects/dialect.js';
import { classifyFamily, type Family } from './family.js';

/**
 * What a model declares about itself, read before its name: a model's family
 * and dialects come from its declarations first (reference §2.1, §3.3).
 */

/**
 * `external_model.provider` (reference §2.1) -> family. OpenAI's models may
 * be GPT or Codex, so the model name still decides between the two; the
 * providers that host several families (Bedrock, custom, another serving
 * endpoint) say nothing on their own.
 */
const PROVIDER_FAMILIES: Readonly<Record<string, Family>> = {
  anthropic: 'claude',
  openai: 'gpt',
  'google-cloud-vertex-ai': 'gemini',
  palm: 'gemini',
};

/**
 * The family of a model: its external provider, then the provider's or the
 * foundation model's name, then the endpoint name; `other` when none says.
 * `names` are the declared model names, most telling first.
 */
export function familyFromDeclarations(provider: string | undefined, names: readonly (string | undefined)[], endpointName: string): Family {
  const byProvider = provider === undefined ? undefined : PROVIDER_FAMILIES[provider];
  for (const name of names) {
    const family = name ? classifyFamily(name) : 'other';
    // A provider's own models: Codex is an OpenAI model whose name says so.
    if (family !== 'other' && (!byProvider || family === byProvider || (byProvider === 'gpt' && family === 'codex'))) return family;
  }
  return byProvider ?? classifyFamily(endpointName);
}

/**
 * Declared API types (`api_types`, `supported_api_types`) -> the dialect each
 * speaks. The reference lists `openai/v1/responses`, `gemini/v1/generateContent`,
 * `mlflow/v1/chat/completions`, `anthropic/v1/messages` and
 * `cursor/v1/chat/completions`; the others follow the gateway's path names
 * (§3.2). An unknown type is ignored: the proxy cannot speak it.
 */
const API_TYPE_DIALECTS: Readonly<Record<string, Dialect>> = {
  'anthropic/v1/messages': 'anthropic-messages',
  'openai/v1/responses': 'openai-responses',
  'codex/v1/responses': 'openai-responses',
  'mlflow/v1/responses': 'openai-responses',
  'openai/v1/chat/completions': 'openai-chat',
  'mlflow/v1/chat/completions': 'openai-chat',
  'cursor/v1/chat/completions': 'openai-chat',
  'gemini/v1/generateContent': 'gemini',
  'gemini/v1beta/generateContent': 'gemini',
};

/** Agent tasks (reference §2.1) -> the dialect the agent speaks. */
const AGENT_TASK_DIALECTS: Readonly<Record<string, Dialect>> = {
  'agent/v1/responses': 'openai-responses',
  'agent/v2/chat': 'openai-chat',
};

export function dialectsOfApiTypes(apiTypes: readonly string[]): Dialect[] {
  return [...new Set(apiTypes.flatMap((type) => (API_TYPE_DIALECTS[type] ? [API_TYPE_DIALECTS[type]] : [])))];
}

export function agentDialect(task: string | undefined): Dialect | undefined {
  return task === undefined ? undefined : AGENT_TASK_DIALECTS[task];
}
