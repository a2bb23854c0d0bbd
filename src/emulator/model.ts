import { createHash } from 'node:crypto';
import type { Family } from '../databricks/family.js';
import { FILE_NAME, PREFERRED_TOOLS } from './agent-tools.js';
import { signReasoning, verifyReasoning, type SigningProvider } from './signing.js';
import {
  DatabricksApiError,
  type Conversation,
  type EmulatedEndpoint,
  type Script,
  type ScriptBlock,
  type StopReason,
  type ToolSpec,
} from './types.js';

/**
 * The scripted model behind every emulated endpoint. Deterministic: the same
 * conversation always yields the same blocks, ids and usage (only `created`
 * follows the clock). Its behaviour, in order:
 *   1. refuse replayed reasoning whose signature is missing, altered or foreign;
 *   2. after tool results, answer with what the tool returned;
 *   3. with tools on offer (and tool choice not `none`), call one, or two when
 *      asked for "parallel" calls;
 *   4. otherwise echo the last user text;
 * a text answer (2 or 4) is JSON made from the schema when the request asked
 * for structured output (response-schema.ts), filled as tool arguments are;
 * with a signed reasoning block first when reasoning was requested, and a cut
 * at the client's output-token limit.
 */

/** Which provider signs a family's reasoning; families absent here do not reason. */
const SIGNER: Partial<Record<Family, SigningProvider>> = {
  claude: 'anthropic',
  gpt: 'openai',
  codex: 'openai',
  gemini: 'gemini',
};

/**
 * Errors for a replay whose signature does not verify. Only Anthropic's
 * wording comes from the real service; the other two are the emulator's own.
 */
const BAD_SIGNATURE: Record<SigningProvider, string> = {
  anthropic: 'Invalid `signature` in `thinking` block',
  openai: 'The encrypted content of a replayed reasoning item could not be verified',
  gemini: 'Invalid thought signature in a replayed part',
};

/** Tools an agent's "read a file" request maps to, best first: see agent-tools.ts. */
export { PREFERRED_TOOLS } from './agent-tools.js';

/** Tool output kept in the answer: enough for a test to find its token in it. */
export const TOOL_OUTPUT_LIMIT = 4000;

/** The emulator's token estimate: about four characters per token. */
export const CHARS_PER_TOKEN = 4;
const INPUT_OVERHEAD_TOKENS = 8;
const FALLBACK_PATH = 'README.md';
const PLACEHOLDER = 'example';

/**
 * What the demo workspace's models say first (`dbx-proxy serve --demo`, the
 * fallback on a terminal): a newcomer trying an agent must learn at once that
 * these answers are scripted, and how to reach their own models.
 */
export const DEMO_NOTE =
  'This is the dbx-proxy DEMO workspace: a scripted model, not a real one. To use your own models, connect a Databricks workspace ' +
  '(`databricks auth login --host https://<your-workspace>`, or set DATABRICKS_HOST and DATABRICKS_TOKEN) and start dbx-proxy again.';

export function runModel(conversation: Conversation, endpoint: EmulatedEndpoint, options: { demo?: boolean } = {}): Script {
  const provider = endpoint.family in SIGNER ? SIGNER[endpoint.family as Family] : undefined;
  checkReplayedReasoning(conversation, provider);

  // `stream` is left out so a streamed and a non-streamed request get the same script, and the
  // prompt-cache marks so that a mark changes what a request costs, never what it answers.
  const { stream: _stream, cacheSegments: _marks, ...request } = conversation;
  const stem = hashHex(JSON.stringify([endpoint.name, request]));
  const blocks: ScriptBlock[] = [];
  let stop: StopReason = 'end_turn';

  const answer = structured(withDemoNote(decide(conversation, stem), options.demo === true), conversation);
  if (conversation.reasoningRequested && provider !== undefined) {
    const text = answer.thought;
    blocks.push({ type: 'reasoning', text, signature: signReasoning(provider, text) });
  }
  if (answer.kind === 'tools') {
    blocks.push(...answer.calls);
    stop = 'tool_use';
  } else {
    let text = answer.text;
    // Only text is cut at the limit; tool-call arguments are short and a
    // half-written call would be unusable anyway.
    const limit = conversation.maxOutputTokens;
    if (limit !== undefined && tokens(text) > limit) {
      text = text.slice(0, Math.max(1, limit * CHARS_PER_TOKEN));
      stop = 'max_tokens';
    }
    blocks.push({ type: 'text', text });
  }

  return {
    id: stem.slice(0, 24),
    created: Math.floor(Date.now() / 1000),
    endpoint: endpoint.name,
    blocks,
    stop,
    usage: usageOf(conversation, blocks),
  };
}

function checkReplayedReasoning(conversation: Conversation, provider: SigningProvider | undefined): void {
  // A family that does not reason has no signatures to check; what such an
  // endpoint does with replayed reasoning is not documented, so it is ignored.
  if (provider === undefined) return;
  for (const replayed of conversation.replayedReasoning) {
    if (!verifyReasoning(provider, replayed.text, replayed.signature)) {
      throw new DatabricksApiError(400, 'BAD_REQUEST', BAD_SIGNATURE[provider]);
    }
  }
}

type Answer =
  | { kind: 'text'; text: string; thought: string }
  | { kind: 'tools'; calls: Extract<ScriptBlock, { type: 'tool_call' }>[]; thought: string };

/** The demo's text answers open with DEMO_NOTE; tool calls stay as they are (reads of a file, which agents allow by default). */
function withDemoNote(answer: Answer, demo: boolean): Answer {
  return demo && answer.kind === 'text' ? { ...answer, text: `${DEMO_NOTE}\n\n${answer.text}` } : answer;
}

function decide(conversation: Conversation, stem: string): Answer {
  if (conversation.toolResults.length > 0) {
    const text = conversation.toolResults
      .map((result) => `The tool returned: ${result.content.slice(0, TOOL_OUTPUT_LIMIT)}`)
      .join('\n\n');
    return { kind: 'text', text, thought: 'The tool has answered; I will report what it returned.' };
  }
  if (conversation.tools.length > 0 && conversation.toolChoice !== 'none') {
    const chosen = chooseTools(conversation);
    const path = findPath(conversation.lastUserText);
    const calls = chosen.map((tool, index) => ({
      type: 'tool_call' as const,
      callId: `call_${hashHex(`${stem}:${index}`).slice(0, 24)}`,
      name: tool.name,
      arguments: synthesizeArguments(tool.parameters, path),
    }));
    const names = chosen.map((tool) => `\`${tool.name}\``).join(' and ');
    return { kind: 'tools', calls, thought: `To answer, I should call ${names} first.` };
  }
  return {
    kind: 'text',
    text: `You said: ${conversation.lastUserText}`,
    thought: 'Nothing to look up; I will repeat what the user said.',
  };
}

/** A text answer as JSON following the requested schema; tool calls stay as they are. */
function structured(answer: Answer, conversation: Conversation): Answer {
  const schema = conversation.responseSchema;
  if (schema === undefined || answer.kind !== 'text') return answer;
  return {
    kind: 'text',
    text: JSON.stringify(synthesizeArguments(schema, findPath(conversation.lastUserText))),
    thought: 'The answer must be JSON in the requested shape; I will fill it in.',
  };
}

/** One tool, or two (different ones when there are) for a "parallel" request. */
function chooseTools(conversation: Conversation): ToolSpec[] {
  const { tools, toolChoice } = conversation;
  const wantsTwo = conversation.parallelToolCalls && /\bparallel\b/i.test(conversation.lastUserText);

  if (typeof toolChoice === 'object') {
    const named = tools.find((tool) => tool.name === toolChoice.name);
    if (!named) throw new DatabricksApiError(400, 'BAD_REQUEST', `tool_choice names an unknown tool: ${toolChoice.name}`);
    return wantsTwo ? [named, named] : [named];
  }

  const ranked = [
    ...PREFERRED_TOOLS.flatMap((name) => tools.filter((tool) => tool.name === name)),
    ...tools.filter((tool) => !PREFERRED_TOOLS.includes(tool.name)),
  ];
  const first = ranked[0] as ToolSpec; // tools is non-empty here
  if (!wantsTwo) return [first];
  return [first, ranked[1] ?? first];
}

/**
 * The thing in the user's text that looks most like the file path meant: a token
 * starting with `/`, `./`, `../` or `~/` (the last one naming a file first:
 * see agent-tools.ts), else one shaped like `dir/name.ext`.
 * Quotes, brackets and sentence punctuation around it are dropped.
 */
export function findPath(text: string): string | undefined {
  const candidates = text
    .split(/\s+/)
    .map((token) => token.replace(/^[`'"(<[{]+/, '').replace(/[`'")>\]},;:!?.]+$/, ''))
    .filter((token) => token.length > 0 && !token.includes('://') && /^[\w.~@+/-]+$/.test(token));
  const anchored = candidates.filter((token) => /^(\/|\.{1,2}\/|~\/)[\w.@+-]/.test(token));
  return (
    anchored.filter((token) => FILE_NAME.test(token)).at(-1) ??
    anchored[0] ??
    candidates.find((token) => /^[\w@+-][\w.@+-]*(\/[\w.@+-]+)*\.[A-Za-z0-9]{1,8}$/.test(token))
  );
}

const PATH_LIKE = /path|file|dir|folder/i;
const COMMAND_LIKE = /^(command|cmd)$/;

/**
 * Arguments that satisfy the tool's schema: its required properties (all of
 * them when none is required), filled by type. Path-like strings get the path
 * from the user's text, a shell command reads that file.
 */
export function synthesizeArguments(schema: Record<string, unknown>, path: string | undefined): Record<string, unknown> {
  const value = synthesize(schema, '', path ?? FALLBACK_PATH, 0);
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function synthesize(schema: unknown, name: string, path: string, depth: number): unknown {
  const node = (schema !== null && typeof schema === 'object' ? schema : {}) as Record<string, unknown>;
  if ('const' in node) return node.const;
  if (Array.isArray(node.enum) && node.enum.length > 0) return node.enum[0];

  const declared = Array.isArray(node.type) ? node.type.find((type) => type !== 'null') : node.type;
  const type = declared ?? (node.properties ? 'object' : 'string');
  switch (type) {
    case 'object': {
      if (depth > 4) return {};
      const properties = (node.properties ?? {}) as Record<string, unknown>;
      const required = Array.isArray(node.required) ? node.required.filter((key): key is string => typeof key === 'string') : [];
      const keys = required.length > 0 ? required : Object.keys(properties);
      return Object.fromEntries(keys.map((key) => [key, synthesize(properties[key], key, path, depth + 1)]));
    }
    case 'array':
      return COMMAND_LIKE.test(name) ? ['cat', path] : [];
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      if (COMMAND_LIKE.test(name)) return `cat ${path}`;
      return PATH_LIKE.test(name) ? path : PLACEHOLDER;
  }
}

function usageOf(conversation: Conversation, blocks: ScriptBlock[]): Script['usage'] {
  let outputTokens = 0;
  let reasoningTokens = 0;
  for (const block of blocks) {
    if (block.type === 'reasoning') {
      const count = tokens(block.text);
      reasoningTokens += count;
      outputTokens += count;
    } else if (block.type === 'text') {
      outputTokens += tokens(block.text);
    } else {
      outputTokens += tokens(block.name + JSON.stringify(block.arguments));
    }
  }
  return {
    inputTokens: Math.ceil(conversation.allText.length / CHARS_PER_TOKEN) + INPUT_OVERHEAD_TOKENS,
    outputTokens: Math.max(1, outputTokens),
    reasoningTokens,
    cachedInputTokens: 0,
  };
}

/** At least one token for any block, so usage is always positive. */
function tokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / CHARS_PER_TOKEN));
}

function hashHex(input: string): string {
  return createHash('sha256').update(input).digest('hex');
}
