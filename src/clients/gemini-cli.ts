import { pickModel, PREFERRED_FAMILIES, type ClientModel, type ProxyTarget } from './models.js';

/**
 * Gemini CLI (`@google/gemini-cli`) against the proxy (clients.md §5): it
 * calls `{GOOGLE_GEMINI_BASE_URL}/v1beta/models/{model}:streamGenerateContent`
 * with the key as `x-goog-api-key`. With a base URL set, the CLI reads its
 * auth type as "gateway" and refuses to start ("Invalid auth method
 * selected", exit 41) unless its settings choose the API-key auth, so the
 * settings file must say `security.auth.selectedType: "gemini-api-key"`.
 */
export const GEMINI_AUTH_SETTINGS = { security: { auth: { selectedType: 'gemini-api-key' } } } as const;

/** Gemini CLI's default model: a Gemini model (native, no translation), else any. */
export function geminiCliModel(models: readonly ClientModel[], model?: string): string | undefined {
  return model ?? pickModel(models, PREFERRED_FAMILIES.google)?.id;
}

/** The environment that points Gemini CLI at the proxy; the base URL has no `/v1beta` (the CLI appends it). */
export function geminiCliEnv(target: ProxyTarget, models: readonly ClientModel[], model?: string): Record<string, string> {
  const picked = geminiCliModel(models, model);
  return { GOOGLE_GEMINI_BASE_URL: target.url, GEMINI_API_KEY: target.apiKey, ...(picked !== undefined ? { GEMINI_MODEL: picked } : {}) };
}

/**
 * The user's `settings.json` with the API-key auth chosen, everything else
 * kept. A file that is not a JSON object (Gemini CLI also takes comments) is
 * replaced by the auth setting alone rather than guessed at.
 */
export function mergeGeminiSettings(userText: string): string {
  let settings: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(userText);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) settings = parsed as Record<string, unknown>;
  } catch {
    // Not plain JSON: the proxy's run uses the auth setting alone.
  }
  const security = isObject(settings.security) ? settings.security : {};
  const auth = isObject(security.auth) ? security.auth : {};
  const merged = { ...settings, security: { ...security, auth: { ...auth, ...GEMINI_AUTH_SETTINGS.security.auth } } };
  return `${JSON.stringify(merged, null, 2)}\n`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
