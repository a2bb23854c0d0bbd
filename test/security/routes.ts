import { expect } from 'vitest';
import type { RawResponse } from '../helpers/raw-http.js';

/** The proxy's routes with a body each accepts, and the error dialect each answers in. */
export interface RouteCase {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  dialect: 'openai' | 'anthropic' | 'google';
  body?: Record<string, unknown>;
  /** Headers a client of this route always sends. */
  headers: Record<string, string>;
}

export const INFERENCE_ROUTES: readonly RouteCase[] = [
  {
    name: 'chat completions',
    method: 'POST',
    path: '/v1/chat/completions',
    dialect: 'openai',
    body: { model: 'databricks-meta-llama-3-3-70b-instruct', messages: [{ role: 'user', content: 'hi' }] },
    headers: {},
  },
  { name: 'responses', method: 'POST', path: '/v1/responses', dialect: 'openai', body: { model: 'databricks-gpt-5-2', input: 'hi' }, headers: {} },
  {
    name: 'messages',
    method: 'POST',
    path: '/v1/messages',
    dialect: 'anthropic',
    body: { model: 'databricks-claude-sonnet-4-6', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] },
    headers: { 'anthropic-version': '2023-06-01' },
  },
];

export const ALL_ROUTES: readonly RouteCase[] = [
  ...INFERENCE_ROUTES,
  { name: 'models (OpenAI)', method: 'GET', path: '/v1/models', dialect: 'openai', headers: {} },
  { name: 'models (Anthropic)', method: 'GET', path: '/v1/models', dialect: 'anthropic', headers: { 'anthropic-version': '2023-06-01' } },
  { name: 'model lookup (OpenAI)', method: 'GET', path: '/v1/models/databricks-gpt-5-2', dialect: 'openai', headers: {} },
  {
    name: 'model lookup (Anthropic)',
    method: 'GET',
    path: '/v1/models/databricks-claude-sonnet-4-6',
    dialect: 'anthropic',
    headers: { 'anthropic-version': '2023-06-01' },
  },
  {
    name: 'count tokens (Anthropic)',
    method: 'POST',
    path: '/v1/messages/count_tokens',
    dialect: 'anthropic',
    body: { model: 'databricks-claude-sonnet-4-6', messages: [{ role: 'user', content: 'hi' }] },
    headers: { 'anthropic-version': '2023-06-01' },
  },
  {
    name: 'input tokens (Responses)',
    method: 'POST',
    path: '/v1/responses/input_tokens',
    dialect: 'openai',
    body: { model: 'databricks-gpt-5-2', input: 'hi' },
    headers: {},
  },
  {
    name: 'generateContent (Gemini)',
    method: 'POST',
    path: '/v1beta/models/databricks-gemini-3-pro:generateContent',
    dialect: 'google',
    body: { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] },
    headers: {},
  },
  {
    name: 'countTokens (Gemini, under /v1)',
    method: 'POST',
    path: '/v1/models/databricks-claude-sonnet-4-6:countTokens',
    dialect: 'google',
    body: { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] },
    headers: {},
  },
  { name: 'models (Gemini)', method: 'GET', path: '/v1beta/models', dialect: 'google', headers: {} },
];

/** The request of a route, as raw-http sends it. */
export function requestOf(route: RouteCase, headers: Record<string, string> = {}) {
  return {
    method: route.method,
    path: route.path,
    headers: { ...route.headers, ...headers },
    ...(route.body ? { body: JSON.stringify(route.body) } : {}),
  };
}

const ERROR_TYPES = {
  openai: { 401: 'authentication_error', 403: 'permission_error' },
  anthropic: { 401: 'authentication_error', 403: 'permission_error' },
  google: { 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED' },
} as const;

/** A JSON error body in the route's dialect, with the given status. */
export function expectDialectError(route: Pick<RouteCase, 'dialect'>, response: RawResponse, status: 401 | 403, message?: RegExp): void {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  const body = JSON.parse(response.text) as unknown;
  const type = ERROR_TYPES[route.dialect][status];
  if (route.dialect === 'google') {
    expect(body).toEqual({ error: { code: status, message: expect.any(String), status: type } });
  } else if (route.dialect === 'openai') {
    expect(body).toEqual({ error: { message: expect.any(String), type, param: null, code: expect.any(String) } });
  } else {
    expect(body).toEqual({ type: 'error', error: { type, message: expect.any(String) } });
  }
  if (message) expect(JSON.stringify(body)).toMatch(message);
}
