import { describe, expect, test } from 'vitest';
import { claudeCodeEnv } from '../../src/clients/claude-code.js';
import { mergeCodexConfig } from '../../src/clients/codex.js';
import { geminiCliEnv, mergeGeminiSettings } from '../../src/clients/gemini-cli.js';
import type { ClientModel } from '../../src/clients/models.js';
import { opencodeConfig } from '../../src/clients/opencode.js';
import { findPath } from '../../src/emulator/model.js';

const target = { url: 'http://127.0.0.1:9000', apiKey: 'local' };
const models: ClientModel[] = [
  { id: 'databricks-gpt-5-2', family: 'gpt' },
  { id: 'databricks-claude-sonnet-4-6', family: 'claude' },
  { id: 'databricks-claude-opus-4-8', family: 'claude' },
];

describe('client settings', () => {
  test('Claude Code: base URL without /v1, a model per tier, haiku falling back to sonnet', () => {
    const env = claudeCodeEnv(target, models);
    expect(env.ANTHROPIC_BASE_URL).toBe('http://127.0.0.1:9000');
    expect(env.ANTHROPIC_DEFAULT_OPUS_MODEL).toBe('databricks-claude-opus-4-8');
    expect(env.ANTHROPIC_DEFAULT_SONNET_MODEL).toBe('databricks-claude-sonnet-4-6');
    expect(env.ANTHROPIC_DEFAULT_HAIKU_MODEL).toBe('databricks-claude-sonnet-4-6');
    expect(env).not.toHaveProperty('ANTHROPIC_MODEL');
    expect(claudeCodeEnv(target, models, 'databricks-gpt-5-2').ANTHROPIC_DEFAULT_OPUS_MODEL).toBe('databricks-gpt-5-2');
  });

  test("Codex: the user's top-level model choice is replaced, their tables kept, the provider added", () => {
    const user = 'model = "o3"\napproval_policy = "on-request"\n\n[profiles.fast]\nmodel = "gpt-4.1"\n';
    const merged = mergeCodexConfig(user, target, 'databricks-gpt-5-2');
    expect(merged.match(/^model = /gm)).toHaveLength(2); // ours at the top, the profile's own
    expect(merged.startsWith('model = "databricks-gpt-5-2"\nmodel_provider = "dbx-proxy"\n')).toBe(true);
    expect(merged).toContain('approval_policy = "on-request"');
    expect(merged).toContain('[profiles.fast]\nmodel = "gpt-4.1"');
    expect(merged).toContain('[model_providers.dbx-proxy]\nname = "dbx-proxy"\nbase_url = "http://127.0.0.1:9000/v1"');
    expect(merged).toContain('wire_api = "responses"');
  });

  test('Gemini CLI: base URL without /v1beta, a Claude model when the workspace has no Gemini, the API-key auth chosen over the user\'s settings', () => {
    expect(geminiCliEnv(target, models)).toEqual({ GOOGLE_GEMINI_BASE_URL: 'http://127.0.0.1:9000', GEMINI_API_KEY: 'local', GEMINI_MODEL: 'databricks-claude-opus-4-8' });
    expect(geminiCliEnv(target, [...models, { id: 'databricks-gemini-3-pro', family: 'gemini' }]).GEMINI_MODEL).toBe('databricks-gemini-3-pro');
    const merged = JSON.parse(mergeGeminiSettings('{"ui":{"theme":"x"},"security":{"auth":{"selectedType":"oauth-personal","useExternal":false}}}')) as Record<string, unknown>;
    expect(merged).toEqual({ ui: { theme: 'x' }, security: { auth: { selectedType: 'gemini-api-key', useExternal: false } } });
    expect(JSON.parse(mergeGeminiSettings('// comments\n{}'))).toEqual({ security: { auth: { selectedType: 'gemini-api-key' } } });
  });

  test('opencode: three adapters, toolStreaming off on the anthropic one, a native default', () => {
    const config = opencodeConfig(target, models) as { model: string; provider: Record<string, { npm: string; models: Record<string, unknown> }> };
    expect(Object.values(config.provider).map((provider) => provider.npm)).toEqual(['@ai-sdk/openai-compatible', '@ai-sdk/openai', '@ai-sdk/anthropic']);
    expect(config.provider['dbx-anthropic']?.models['databricks-gpt-5-2']).toEqual({ options: { toolStreaming: false } });
    expect(config.provider.dbx?.models['databricks-gpt-5-2']).toEqual({});
    expect(config.model).toBe('dbx-anthropic/databricks-claude-sonnet-4-6');
    expect((opencodeConfig(target, models, 'databricks-gpt-5-2') as { model: string }).model).toBe('dbx-openai/databricks-gpt-5-2');
  });
});

describe("the emulator finds the file an agent's user turn names", () => {
  test('the last file path wins over the context agents put before the user\'s words', () => {
    const claudeCodeTurn = 'Primary working directory: /tmp/w\nsee ~/.claude/keybindings.json\nRead the file /tmp/w/token.txt and reply.';
    expect(findPath(claudeCodeTurn)).toBe('/tmp/w/token.txt');
    expect(findPath('working directory: /tmp/w, nothing else')).toBe('/tmp/w');
  });
});
