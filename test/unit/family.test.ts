import { describe, expect, it } from 'vitest';
import { classifyFamily } from '../../src/databricks/family.js';
import { upstreamError, isEndpointNotFound } from '../../src/upstream/upstream-error.js';

describe('classifyFamily', () => {
  it.each([
    ['databricks-claude-sonnet-4-6', 'claude'],
    ['databricks-gpt-5-1-codex-max', 'codex'],
    ['databricks-gpt-5-2', 'gpt'],
    ['databricks-gemini-2-5-pro', 'gemini'],
    ['databricks-meta-llama-3-3-70b-instruct', 'llama'],
    ['databricks-qwen3-next-80b-a3b-instruct', 'qwen'],
    ['databricks-gemma-3-12b', 'gemma'],
    ['team-mistral-external', 'other'],
    ['System.AI.Claude-Opus', 'claude'],
  ])('%s is %s', (name, family) => {
    expect(classifyFamily(name)).toBe(family);
  });
});

describe('upstreamError', () => {
  it('keeps the status and unwraps a JSON message inside the Databricks error body', () => {
    const error = upstreamError(400, JSON.stringify({ error_code: 'BAD_REQUEST', message: '{"message":"messages.98.thinking_blocks: Extra inputs are not permitted"}' }));
    expect(error.status).toBe(400);
    expect(error.kind).toBe('invalid_request');
    expect(error.upstreamCode).toBe('BAD_REQUEST');
    expect(error.message).toBe('messages.98.thinking_blocks: Extra inputs are not permitted');
  });

  it('maps 429 to a rate-limit error carrying Retry-After', () => {
    const error = upstreamError(429, '{"error_code":"REQUEST_LIMIT_EXCEEDED","message":"slow down"}', '7');
    expect(error).toMatchObject({ kind: 'rate_limit', status: 429, retryAfter: '7', message: 'slow down' });
  });

  it('recognises "endpoint not found" answers, and only those', () => {
    expect(isEndpointNotFound(404, '{"error_code":"ENDPOINT_NOT_FOUND","message":"x"}')).toBe(true);
    expect(isEndpointNotFound(404, '{"error_code":"BAD_REQUEST","message":"x"}')).toBe(false);
    expect(isEndpointNotFound(400, '{"error_code":"ENDPOINT_NOT_FOUND","message":"x"}')).toBe(false);
  });
});
