import type { RenderContext, Script, ScriptUsage } from '../../types.js';
import { jsonFragments, wordPieces } from '../common.js';

// ---------------------------------------------------------------------------
// Rendering

function finishReason(script: Script): 'stop' | 'tool_calls' | 'length' {
  switch (script.stop) {
    case 'end_turn':
      return 'stop';
    case 'tool_use':
      return 'tool_calls';
    case 'max_tokens':
      return 'length';
  }
}

/**
 * OpenAI convention: prompt_tokens includes cached tokens. The `*_details`
 * objects are OpenAI's; the reference documents only prompt/completion/total
 * for Databricks chat, so details are added only when non-zero.
 */
function usageOf(usage: ScriptUsage): Record<string, unknown> {
  const out: Record<string, unknown> = {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
  if (usage.cachedInputTokens > 0) out.prompt_tokens_details = { cached_tokens: usage.cachedInputTokens };
  if (usage.reasoningTokens > 0) out.completion_tokens_details = { reasoning_tokens: usage.reasoningTokens };
  return out;
}

/**
 * Claude reasoning is shown as Databricks' list content (§5.1). How GPT and
 * Gemini expose reasoning on Databricks chat is not documented, so for them
 * it is not shown at all (the usage still counts reasoning tokens).
 */
function showsReasoning(context: RenderContext, script: Script): boolean {
  return context.endpoint.family === 'claude' && script.blocks.some((b) => b.type === 'reasoning');
}

function toolCalls(script: Script): { id: string; type: 'function'; function: { name: string; arguments: string } }[] {
  return script.blocks.flatMap((b) =>
    b.type === 'tool_call'
      ? [{ id: b.callId, type: 'function' as const, function: { name: b.name, arguments: JSON.stringify(b.arguments) } }]
      : [],
  );
}

export function respond(script: Script, context: RenderContext): unknown {
  const calls = toolCalls(script);
  const text = script.blocks.map((b) => (b.type === 'text' ? b.text : '')).join('');
  let content: unknown;
  if (showsReasoning(context, script)) {
    const items: Record<string, unknown>[] = [];
    for (const block of script.blocks) {
      if (block.type === 'reasoning') {
        items.push({ type: 'reasoning', summary: [{ type: 'summary_text', text: block.text, signature: block.signature }] });
      } else if (block.type === 'text') {
        const last = items[items.length - 1];
        if (last?.type === 'text') last.text = `${last.text as string}${block.text}`;
        else items.push({ type: 'text', text: block.text });
      }
    }
    content = items;
  } else {
    // OpenAI's convention: null content when the turn is only tool calls.
    content = text === '' && calls.length > 0 ? null : text;
  }
  const message: Record<string, unknown> = { role: 'assistant', content };
  if (calls.length > 0) message.tool_calls = calls;
  return {
    id: `chatcmpl-${script.id}`,
    object: 'chat.completion',
    created: script.created,
    // Echoes the endpoint name; whether Databricks returns the upstream model id is not documented.
    model: script.endpoint,
    choices: [{ index: 0, message, finish_reason: finishReason(script) }],
    usage: usageOf(script.usage),
  };
}

/**
 * Stream shape:
 * - first chunk `delta:{role:'assistant', content:''}`;
 * - text as string `delta.content` pieces; Claude reasoning as
 *   `delta.content` arrays of reasoning items (documented: delta.content may
 *   be a list). How the signature travels in a stream is not documented: it
 *   comes on a last reasoning item with empty text, right after the block's
 *   text (mirroring Anthropic's signature_delta);
 * - tool calls as OpenAI does: `{index, id, type, function:{name, arguments:''}}`,
 *   then `{index, function:{arguments}}` fragments;
 * - one finish chunk with `finish_reason` AND `usage`. Databricks documents
 *   usage on the final chunk (ai-bridge PR #176), so that is the only usage
 *   chunk, with or without `stream_options.include_usage`; no OpenAI-style
 *   trailing `choices:[]` chunk is sent. Clients that read usage from any
 *   chunk (the openai SDK does) get it either way, and a client that waits for
 *   a usage chunk after finish_reason is exercised against the documented
 *   Databricks shape;
 * - `data: [DONE]` last (UNVERIFIED whether Databricks sends it; clients must
 *   tolerate both).
 */
export function stream(script: Script, context: RenderContext): string[] {
  const id = `chatcmpl-${script.id}`;
  const frames: string[] = [];
  const chunk = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}): void => {
    const data = {
      id,
      object: 'chat.completion.chunk',
      created: script.created,
      model: script.endpoint,
      choices: [{ index: 0, delta, finish_reason: (extra.finish_reason as string | undefined) ?? null }],
      ...(extra.usage ? { usage: extra.usage } : {}),
    };
    frames.push(`data: ${JSON.stringify(data)}\n\n`);
  };

  chunk({ role: 'assistant', content: '' });
  const reasoningShown = showsReasoning(context, script);
  let toolIndex = 0;
  for (const block of script.blocks) {
    switch (block.type) {
      case 'reasoning':
        if (!reasoningShown) break;
        for (const piece of wordPieces(block.text)) {
          chunk({ content: [{ type: 'reasoning', summary: [{ type: 'summary_text', text: piece }] }] });
        }
        chunk({ content: [{ type: 'reasoning', summary: [{ type: 'summary_text', text: '', signature: block.signature }] }] });
        break;
      case 'text':
        for (const piece of wordPieces(block.text)) chunk({ content: piece });
        break;
      case 'tool_call': {
        const index = toolIndex++;
        chunk({ tool_calls: [{ index, id: block.callId, type: 'function', function: { name: block.name, arguments: '' } }] });
        for (const fragment of jsonFragments(JSON.stringify(block.arguments))) {
          chunk({ tool_calls: [{ index, function: { arguments: fragment } }] });
        }
        break;
      }
    }
  }
  chunk({}, { finish_reason: finishReason(script), usage: usageOf(script.usage) });
  frames.push('data: [DONE]\n\n');
  return frames;
}
