import type { Script, ScriptBlock } from '../../types.js';
import { jsonFragments, wordPieces } from '../common.js';
import { anthropicToolUseId } from './ids.js';

// ---------------------------------------------------------------------------
// Rendering

/**
 * Usage in Anthropic's convention: `input_tokens` excludes cache reads and
 * writes, so it is the script's input minus both (the script counts input
 * the OpenAI way, cached included). Reads and writes come from the prompt
 * cache (prompt-cache.ts).
 */
function usageOf(script: Script): {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
} {
  const cached = Math.max(0, Math.min(script.usage.cachedInputTokens, script.usage.inputTokens));
  const written = Math.max(0, Math.min(script.usage.cacheWriteTokens ?? 0, script.usage.inputTokens - cached));
  return {
    input_tokens: script.usage.inputTokens - cached - written,
    output_tokens: script.usage.outputTokens,
    cache_creation_input_tokens: written,
    cache_read_input_tokens: cached,
  };
}

function contentBlock(block: ScriptBlock): Record<string, unknown> {
  switch (block.type) {
    case 'reasoning':
      return { type: 'thinking', thinking: block.text, signature: block.signature };
    case 'text':
      return { type: 'text', text: block.text };
    case 'tool_call':
      return { type: 'tool_use', id: anthropicToolUseId(block.callId), name: block.name, input: block.arguments };
  }
}

/**
 * `model` echoes the endpoint name: whether Databricks returns the endpoint
 * name or the underlying Anthropic model id here is not documented.
 */
export function respond(script: Script): unknown {
  return {
    id: `msg_${script.id}`,
    type: 'message',
    role: 'assistant',
    model: script.endpoint,
    content: script.blocks.map(contentBlock),
    stop_reason: script.stop, // StopReason uses Anthropic's own names
    stop_sequence: null,
    usage: usageOf(script),
  };
}

function frame(data: { type: string } & Record<string, unknown>): string {
  return `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
}

export function stream(script: Script): string[] {
  const usage = usageOf(script);
  const frames: string[] = [];
  frames.push(
    frame({
      type: 'message_start',
      message: {
        id: `msg_${script.id}`,
        type: 'message',
        role: 'assistant',
        model: script.endpoint,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        // Recorded streams start with a small output count; 1 is the smallest.
        usage: { ...usage, output_tokens: 1 },
      },
    }),
  );
  frames.push(frame({ type: 'ping' }));

  script.blocks.forEach((block, index) => {
    const delta = (d: Record<string, unknown>): void => {
      frames.push(frame({ type: 'content_block_delta', index, delta: d }));
    };
    switch (block.type) {
      case 'reasoning':
        frames.push(frame({ type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } }));
        for (const piece of wordPieces(block.text)) delta({ type: 'thinking_delta', thinking: piece });
        // Recorded: the signature comes as one signature_delta right before the block stops.
        delta({ type: 'signature_delta', signature: block.signature });
        break;
      case 'text':
        frames.push(frame({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } }));
        for (const piece of wordPieces(block.text)) delta({ type: 'text_delta', text: piece });
        break;
      case 'tool_call': {
        frames.push(
          frame({
            type: 'content_block_start',
            index,
            content_block: { type: 'tool_use', id: anthropicToolUseId(block.callId), name: block.name, input: {} },
          }),
        );
        const json = Object.keys(block.arguments).length === 0 ? '' : JSON.stringify(block.arguments);
        // Recorded: a call without arguments streams exactly one `partial_json: ""`.
        const fragments = json === '' ? [''] : jsonFragments(json);
        for (const partial of fragments) delta({ type: 'input_json_delta', partial_json: partial });
        break;
      }
    }
    frames.push(frame({ type: 'content_block_stop', index }));
  });

  frames.push(
    frame({
      type: 'message_delta',
      delta: { stop_reason: script.stop, stop_sequence: null },
      // Cumulative, and repeating input and cache counts as the recorded streams do.
      usage: {
        input_tokens: usage.input_tokens,
        cache_creation_input_tokens: usage.cache_creation_input_tokens,
        cache_read_input_tokens: usage.cache_read_input_tokens,
        output_tokens: usage.output_tokens,
      },
    }),
  );
  frames.push(frame({ type: 'message_stop' }));
  return frames;
}
