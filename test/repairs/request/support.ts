import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { ConfigSchema } from '../../../src/config/schema.js';
import type { Family } from '../../../src/databricks/family.js';
import type { Surface } from '../../../src/databricks/surface.js';
import type { Dialect } from '../../../src/dialects/dialect.js';
import { EMULATOR_DEMO_PAT, type TranscriptEntry } from '../../../src/emulator/index.js';
import { REPAIRS } from '../../../src/repairs/registry.js';
import type { Repair, RepairContext } from '../../../src/repairs/types.js';
import { noteValue } from '../../../src/repairs/request/notes.js';
import { startStack, type Stack, type StackOptions } from '../../helpers/stack.js';

/**
 * Shared pieces of the request-repair tests. Each repair is shown twice
 * against the same emulator: with the repair on (the call succeeds, and the
 * transcript shows what went upstream) and with it disabled through
 * `repairs.disable` (Databricks' refusal reaches the client in its dialect).
 */

export const MODELS = {
  claude: 'databricks-claude-sonnet-4-6',
  gpt: 'databricks-gpt-5-2',
  codex: 'databricks-gpt-5-1-codex-max',
  gemini: 'databricks-gemini-2-5-pro',
  llama: 'databricks-meta-llama-3-3-70b-instruct',
  qwen: 'databricks-qwen3-next-80b-a3b-instruct',
  gemma: 'databricks-gemma-3-12b',
} as const;

export interface Pair {
  /** Default config: every repair on. */
  on: Stack;
  /** The same emulator options, with the repair under test disabled. */
  off: Stack;
  close(): Promise<void>;
}

export async function startPair(repairId: string, options: StackOptions = {}): Promise<Pair> {
  const on = await startStack(options);
  try {
    const off = await startStack({ ...options, config: { ...options.config, repairs: { disable: [repairId] } } });
    return { on, off, close: async () => void (await Promise.all([on.close(), off.close()])) };
  } catch (error) {
    await on.close();
    throw error;
  }
}

export function openai(stack: Stack): OpenAI {
  return new OpenAI({ apiKey: 'local', baseURL: stack.openaiBaseUrl, maxRetries: 0 });
}

export function anthropic(stack: Stack): Anthropic {
  return new Anthropic({ apiKey: 'local', baseURL: stack.proxy.url, maxRetries: 0 });
}

/** The last inference call the emulator saw (OIDC and management calls excluded). */
export function lastInference(stack: Stack): TranscriptEntry {
  const calls = stack.emulator.transcript.filter((entry) => entry.method === 'POST' && !entry.path.startsWith('/oidc'));
  const last = calls.at(-1);
  if (!last) throw new Error('the emulator saw no inference call');
  return last;
}

/** The body of the last inference call, as an object. */
export function upstreamBody(stack: Stack): Record<string, unknown> {
  return lastInference(stack).body as Record<string, unknown>;
}

export interface ProxyAnswer {
  status: number;
  headers: Headers;
  json: Record<string, unknown>;
}

/** POSTs a JSON body to the proxy as a client without an SDK would (for shapes the SDK types cannot express). */
export async function postToProxy(stack: Stack, path: string, body: unknown, headers: Record<string, string> = {}): Promise<ProxyAnswer> {
  const response = await fetch(`${stack.proxy.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer local', 'anthropic-version': '2023-06-01', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, json: (await response.json()) as Record<string, unknown> };
}

/** Runs a call and keeps its outcome, so a test can assert either way. */
export async function outcome<T>(run: () => Promise<T>): Promise<{ value: T; error?: undefined } | { value?: undefined; error: Error }> {
  try {
    return { value: await run() };
  } catch (error) {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }
}

export function repairById(id: string): Repair {
  const repair = REPAIRS.find((candidate) => candidate.id === id);
  if (!repair) throw new Error(`no repair ${id}`);
  return repair;
}

export interface RepairedBody {
  body: Record<string, unknown>;
  notes: Record<string, string>;
  warnings: string[];
}

/**
 * One repair applied the way the pipeline applies it, for the routes the
 * route table never takes today (Gemini or Claude on chat): those are shown
 * by sending the repaired body straight to the emulator.
 */
export function applyRepair(id: string, input: Record<string, unknown>, route: { upstream: Dialect; surface?: Surface; family: Family; endpoint: string }): RepairedBody {
  const body = structuredClone(input);
  const notes: Record<string, string> = {};
  const warnings: string[] = [];
  const context: RepairContext = {
    inbound: 'openai-chat',
    surface: 'ai-gateway',
    config: ConfigSchema.parse({}),
    ...route,
    note: (name, names) => void (notes[name] = noteValue(names)),
    warn: (message) => void warnings.push(message),
  };
  repairById(id).request?.(body, context);
  return { body, notes, warnings };
}

/** POSTs a body straight to the emulator (no proxy), the way the proxy would send it. */
export async function postToEmulator(stack: Stack, path: string, body: unknown): Promise<{ status: number; text: string; json: Record<string, unknown> }> {
  const response = await fetch(`${stack.emulator.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${EMULATOR_DEMO_PAT}`, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  // A streamed answer is SSE text, not JSON.
  const json = response.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as Record<string, unknown>) : {};
  return { status: response.status, text, json };
}
