import { describe, expect, it } from 'vitest';
import { displayName } from '../../src/databricks/display-name.js';

describe('displayName', () => {
  it.each([
    ['databricks-claude-sonnet-4-6', 'Claude Sonnet 4.6'],
    ['databricks-gpt-5-1-codex-max', 'GPT 5.1 Codex Max'],
    ['team-claude-writer', 'Team Claude Writer'],
    ['system.ai.claude-opus-4-8', 'Claude Opus 4.8'],
    ['databricks-meta-llama-3-3-70b-instruct', 'Meta Llama 3.3 70b Instruct'],
  ])('%s reads as %s', (endpoint, expected) => {
    expect(displayName(endpoint)).toBe(expected);
  });
});
