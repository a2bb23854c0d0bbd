import { createHash } from 'node:crypto';
import type { RenderContext, Script, ScriptBlock } from '../../types.js';
import type { Json } from '../common.js';
import { DEFAULT_ECHO, echoes } from './echo.js';
import { MAX_INPUT_ID_LENGTH } from './ids.js';

// ---------------------------------------------------------------------------
// respond

/**
 * A deterministic wire id from the script's stem. Ids stay within the 64-char
 * input limit so that a faithful client replay is accepted; a stem too long
 * for that is replaced by a hash (quirks that lengthen ids belong elsewhere).
 */
function wireId(prefix: string, stem: string, suffix = ''): string {
  const clean = stem.replace(/[^A-Za-z0-9]/g, '');
  const id = `${prefix}_${clean}${suffix}`;
  if (clean.length > 0 && id.length <= MAX_INPUT_ID_LENGTH) return id;
  const hash = createHash('sha256').update(`${stem}${suffix}`).digest('hex');
  return `${prefix}_${hash}`.slice(0, MAX_INPUT_ID_LENGTH);
}

interface ReasoningItem {
  id: string;
  type: 'reasoning';
  summary: { type: 'summary_text'; text: string }[];
  encrypted_content: string;
}
interface FunctionCallItem {
  id: string;
  type: 'function_call';
  status: 'completed';
  arguments: string;
  call_id: string;
  name: string;
}
interface OutputText {
  type: 'output_text';
  annotations: [];
  logprobs: [];
  text: string;
}
interface MessageItem {
  id: string;
  type: 'message';
  status: 'completed';
  content: OutputText[];
  role: 'assistant';
}
type OutputItem = ReasoningItem | FunctionCallItem | MessageItem;

function outputText(text: string): OutputText {
  return { type: 'output_text', annotations: [], logprobs: [], text };
}

function renderItem(block: ScriptBlock, stem: string, index: number): OutputItem {
  const suffix = `_${index}`;
  switch (block.type) {
    case 'reasoning':
      return {
        id: wireId('rs', stem, suffix),
        type: 'reasoning',
        summary: [{ type: 'summary_text', text: block.text }],
        // Real OpenAI returns encrypted_content only when the request's
        // `include` asks for `reasoning.encrypted_content`; the emulator always
        // returns it (the script's signature) so every client can replay.
        encrypted_content: block.signature,
      };
    case 'tool_call':
      return {
        id: wireId('fc', stem, suffix),
        type: 'function_call',
        status: 'completed',
        arguments: JSON.stringify(block.arguments),
        call_id: block.callId,
        name: block.name,
      };
    case 'text':
      // On a truncated answer the real API may mark the last message
      // `incomplete`; the reference is silent, so items stay `completed`.
      return {
        id: wireId('msg', stem, suffix),
        type: 'message',
        status: 'completed',
        content: [outputText(block.text)],
        role: 'assistant',
      };
  }
}

function renderUsage(script: Script): Json {
  const { inputTokens, outputTokens, reasoningTokens, cachedInputTokens } = script.usage;
  return {
    input_tokens: inputTokens,
    input_tokens_details: { cached_tokens: cachedInputTokens },
    output_tokens: outputTokens,
    output_tokens_details: { reasoning_tokens: reasoningTokens },
    total_tokens: inputTokens + outputTokens,
  };
}

/** The Response object at a point of its life: in progress (no output yet) or finished. */
function renderResponse(
  script: Script,
  context: RenderContext,
  output: OutputItem[],
  phase: 'in_progress' | 'final',
): Json {
  const echo = echoes.get(context) ?? DEFAULT_ECHO;
  const incomplete = phase === 'final' && script.stop === 'max_tokens';
  return {
    id: wireId('resp', script.id),
    object: 'response',
    created_at: script.created,
    status: phase === 'in_progress' ? 'in_progress' : incomplete ? 'incomplete' : 'completed',
    background: false,
    error: null,
    incomplete_details: incomplete ? { reason: 'max_output_tokens' } : null,
    instructions: echo.instructions,
    max_output_tokens: echo.max_output_tokens,
    model: script.endpoint,
    output,
    parallel_tool_calls: echo.parallel_tool_calls,
    previous_response_id: null,
    prompt_cache_key: echo.prompt_cache_key,
    reasoning: echo.reasoning,
    store: echo.store,
    temperature: echo.temperature,
    text: echo.text,
    tool_choice: echo.tool_choice,
    tools: echo.tools,
    top_p: echo.top_p,
    truncation: echo.truncation,
    usage: phase === 'in_progress' ? null : renderUsage(script),
    metadata: echo.metadata,
  };
}

function renderItems(script: Script): OutputItem[] {
  return script.blocks.map((block, index) => renderItem(block, script.id, index));
}

export function respond(script: Script, context: RenderContext): unknown {
  return renderResponse(script, context, renderItems(script), 'final');
}

// ---------------------------------------------------------------------------
// stream

/** Splits prose into pieces of two words each (whitespace kept): several deltas per text. */
function textPieces(text: string): string[] {
  const words = text.match(/\S+\s*|\s+/g) ?? [];
  const pieces: string[] = [];
  for (let i = 0; i < words.length; i += 2) pieces.push(words.slice(i, i + 2).join(''));
  return pieces;
}

/** Splits JSON arguments into pieces of a few code points (never splitting a surrogate pair). */
function argumentPieces(text: string, size = 8): string[] {
  const chars = Array.from(text);
  const pieces: string[] = [];
  for (let i = 0; i < chars.length; i += size) pieces.push(chars.slice(i, i + size).join(''));
  return pieces;
}

export function stream(script: Script, context: RenderContext): string[] {
  const frames: string[] = [];
  let sequence = 0;
  const emit = (type: string, fields: Json): void => {
    const data = { type, sequence_number: sequence++, ...fields };
    frames.push(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
  };

  const items = renderItems(script);
  const inProgress = renderResponse(script, context, [], 'in_progress');
  emit('response.created', { response: inProgress });
  emit('response.in_progress', { response: inProgress });

  items.forEach((item, output_index) => {
    const item_id = item.id;
    switch (item.type) {
      case 'reasoning': {
        const text = item.summary[0]?.text ?? '';
        // `.added` carries no encrypted_content here: the reference notes it
        // may be missing there and must be taken from `.done` (wire-formats §7).
        emit('response.output_item.added', { output_index, item: { id: item_id, type: 'reasoning', summary: [] } });
        const summary_index = 0;
        emit('response.reasoning_summary_part.added', {
          item_id,
          output_index,
          summary_index,
          part: { type: 'summary_text', text: '' },
        });
        for (const delta of textPieces(text)) {
          emit('response.reasoning_summary_text.delta', { item_id, output_index, summary_index, delta });
        }
        emit('response.reasoning_summary_text.done', { item_id, output_index, summary_index, text });
        emit('response.reasoning_summary_part.done', {
          item_id,
          output_index,
          summary_index,
          part: { type: 'summary_text', text },
        });
        emit('response.output_item.done', { output_index, item });
        break;
      }
      case 'function_call': {
        emit('response.output_item.added', {
          output_index,
          item: { ...item, status: 'in_progress', arguments: '' },
        });
        for (const delta of argumentPieces(item.arguments)) {
          emit('response.function_call_arguments.delta', { item_id, output_index, delta });
        }
        emit('response.function_call_arguments.done', {
          item_id,
          output_index,
          name: item.name,
          arguments: item.arguments,
        });
        emit('response.output_item.done', { output_index, item });
        break;
      }
      case 'message': {
        emit('response.output_item.added', {
          output_index,
          item: { id: item_id, type: 'message', status: 'in_progress', content: [], role: 'assistant' },
        });
        item.content.forEach((part, content_index) => {
          emit('response.content_part.added', { item_id, output_index, content_index, part: outputText('') });
          for (const delta of textPieces(part.text)) {
            emit('response.output_text.delta', { item_id, output_index, content_index, delta, logprobs: [] });
          }
          emit('response.output_text.done', { item_id, output_index, content_index, text: part.text, logprobs: [] });
          emit('response.content_part.done', { item_id, output_index, content_index, part });
        });
        emit('response.output_item.done', { output_index, item });
        break;
      }
    }
  });

  const final = renderResponse(script, context, items, 'final');
  emit(final.status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response: final });
  return frames;
}
