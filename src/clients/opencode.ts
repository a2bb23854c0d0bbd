import type { Family } from '../databricks/family.js';
import { openaiBaseUrl, pickModel, PREFERRED_FAMILIES, type ClientModel, type ProxyTarget } from './models.js';

/**
 * opencode reaches the proxy through three AI SDK adapters, one provider each,
 * all bundled in the opencode binary: every model is listed under all three,
 * and the proxy translates whatever the model does not speak natively.
 */
export const OPENCODE_PROVIDERS = {
  /** `@ai-sdk/openai-compatible`: POST {baseURL}/chat/completions. */
  dbx: { npm: '@ai-sdk/openai-compatible', name: 'dbx-proxy (Chat Completions)' },
  /** `@ai-sdk/openai`: POST {baseURL}/responses. */
  'dbx-openai': { npm: '@ai-sdk/openai', name: 'dbx-proxy (Responses)' },
  /** `@ai-sdk/anthropic`: POST {baseURL}/messages. */
  'dbx-anthropic': { npm: '@ai-sdk/anthropic', name: 'dbx-proxy (Anthropic Messages)' },
} as const;

export type OpencodeProvider = keyof typeof OPENCODE_PROVIDERS;

/** The provider whose API a family's model speaks natively (route-table.ts), so the default needs no translation. */
const NATIVE_PROVIDER: Record<Family, OpencodeProvider> = {
  claude: 'dbx-anthropic',
  gpt: 'dbx-openai',
  codex: 'dbx-openai',
  gemini: 'dbx',
  llama: 'dbx',
  qwen: 'dbx',
  gemma: 'dbx',
  other: 'dbx',
};

/**
 * Per-model options of each adapter. `toolStreaming: false` stops
 * `@ai-sdk/anthropic` from adding `tools[].eager_input_streaming`, which
 * Databricks rejects (clients.md §2 and §8; Databricks' own launcher does the same).
 */
const MODEL_OPTIONS: Record<OpencodeProvider, Record<string, unknown> | undefined> = {
  dbx: undefined,
  'dbx-openai': undefined,
  'dbx-anthropic': { toolStreaming: false },
};

/** `dbx-anthropic/databricks-claude-sonnet-4-6`: the model's id with its native provider. */
export function opencodeModelRef(model: ClientModel): string {
  return `${NATIVE_PROVIDER[model.family]}/${model.id}`;
}

/**
 * An opencode config (opencode.json, or the file OPENCODE_CONFIG names) with
 * the three providers and, as default, `model` or else a Claude model (Sonnet if there is one) on
 * `@ai-sdk/anthropic` (opencode's prompts are written for Claude first).
 */
export function opencodeConfig(target: ProxyTarget, models: readonly ClientModel[], model?: string): Record<string, unknown> {
  const sorted = [...models].sort((a, b) => a.id.localeCompare(b.id));
  const provider = Object.fromEntries(
    (Object.keys(OPENCODE_PROVIDERS) as OpencodeProvider[]).map((id) => {
      const options = MODEL_OPTIONS[id];
      return [
        id,
        {
          npm: OPENCODE_PROVIDERS[id].npm,
          name: OPENCODE_PROVIDERS[id].name,
          options: { baseURL: openaiBaseUrl(target), apiKey: target.apiKey },
          models: Object.fromEntries(sorted.map((entry) => [entry.id, options ? { options } : {}])),
        },
      ];
    }),
  );
  const chosen = model === undefined ? pickModel(models, PREFERRED_FAMILIES.anthropic, 'sonnet') : models.find((entry) => entry.id === model);
  const defaultRef = chosen ? opencodeModelRef(chosen) : model === undefined ? undefined : `dbx/${model}`;
  return {
    $schema: 'https://opencode.ai/config.json',
    ...(defaultRef === undefined ? {} : { model: defaultRef }),
    provider,
  };
}
