import { openaiBaseUrl, pickModel, PREFERRED_FAMILIES, type ClientModel, type ProxyTarget } from './models.js';

/** The provider id dbx-proxy adds to Codex's config. */
export const CODEX_PROVIDER = 'dbx-proxy';
/** The variable Codex reads the proxy key from (`env_key`). */
export const CODEX_KEY_VARIABLE = 'DBX_PROXY_KEY';

/** Codex's default model: a Codex or GPT model (native on Responses), else any. */
export function codexModel(models: readonly ClientModel[], model?: string): string | undefined {
  return model ?? pickModel(models, PREFERRED_FAMILIES.openai)?.id;
}

/**
 * The `[model_providers.dbx-proxy]` table. Codex speaks Responses only
 * (`wire_api = "chat"` is refused at startup since 0.122, clients.md §4) and
 * appends `/responses` to base_url.
 */
export function codexProviderTable(target: ProxyTarget): string {
  return [
    `[model_providers.${CODEX_PROVIDER}]`,
    'name = "dbx-proxy"',
    `base_url = ${JSON.stringify(openaiBaseUrl(target))}`,
    `env_key = "${CODEX_KEY_VARIABLE}"`,
    'wire_api = "responses"',
  ].join('\n');
}

/** A whole config.toml: the model, the provider choice and the provider table. */
export function codexConfigToml(target: ProxyTarget, model: string | undefined): string {
  return [...topLevelKeys(model), '', codexProviderTable(target), ''].join('\n');
}

function topLevelKeys(model: string | undefined): string[] {
  return [...(model === undefined ? [] : [`model = ${JSON.stringify(model)}`]), `model_provider = "${CODEX_PROVIDER}"`];
}

/** `model = …` / `model_provider = …` lines; only those before the first table are top-level keys. */
const CHOICE_KEY = /^\s*(model|model_provider)\s*=/;
const TABLE_HEADER = /^\s*\[/;

/**
 * The user's config.toml with the proxy chosen: our `model` and
 * `model_provider` lead (TOML wants top-level keys before any table, and a
 * key may not repeat, so the user's own top-level choices are dropped), the
 * rest of the user's settings follow untouched, and the provider table closes
 * it. Line-based on purpose: no TOML parser is needed for top-level keys.
 */
export function mergeCodexConfig(userToml: string, target: ProxyTarget, model: string | undefined): string {
  let inTable = false;
  const kept = userToml.split('\n').filter((line) => {
    if (TABLE_HEADER.test(line)) inTable = true;
    return inTable || !CHOICE_KEY.test(line);
  });
  return [...topLevelKeys(model), '', ...kept, '', codexProviderTable(target), ''].join('\n');
}
