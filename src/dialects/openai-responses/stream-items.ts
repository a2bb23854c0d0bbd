/**
 * The events of one output item in a client stream, in the order strict
 * clients demand (wire-formats §6.3): `output_item.added` first; for a
 * message, `content_part.added` before any text delta; for reasoning, a
 * summary part opened before its first delta (and only if there is text:
 * encrypted-only reasoning has summary []); every `*.done` carrying the
 * concatenated deltas; `output_item.done` last, with the finished item.
 */
import type { IrBlockStart, IrDelta } from '../../ir/stream.js';
import type { SignatureProvider } from '../../ir/signatures.js';
import { itemId } from './ids.js';
import { functionCallItem, ITEM_PREFIX, messageItem, outputText, reasoningItem } from './output-items.js';
import { encryptedContentOf } from './reasoning-carrier.js';
import type { ResponseOutputItem, Unsequenced, WireItemEvent } from './wire.js';

export type ItemEvent = Unsequenced<WireItemEvent>;

interface ItemBase {
  id: string;
  outputIndex: number;
}

interface OpenMessage extends ItemBase {
  kind: 'message';
  text: string;
}

interface OpenReasoning extends ItemBase {
  kind: 'reasoning';
  text: string;
  summaryStarted: boolean;
  provider?: SignatureProvider;
  signature?: string;
  redacted?: string;
}

interface OpenFunctionCall extends ItemBase {
  kind: 'function_call';
  call: { id: string; name: string; signature?: { provider: SignatureProvider; value: string } };
  args: string;
}

export type OpenItem = OpenMessage | OpenReasoning | OpenFunctionCall;

/** The item for an IR block, or undefined for a block with nothing a client could see or send back. */
export function openItem(block: IrBlockStart, stem: string, outputIndex: number): OpenItem | undefined {
  const base = (kind: 'text' | 'reasoning' | 'tool_call'): ItemBase => ({ id: itemId(ITEM_PREFIX[kind], stem, outputIndex), outputIndex });
  switch (block.type) {
    case 'text':
      return { kind: 'message', ...base('text'), text: '' };
    case 'reasoning':
      return { kind: 'reasoning', ...base('reasoning'), text: '', summaryStarted: false, ...(block.provider ? { provider: block.provider } : {}) };
    case 'redacted_reasoning': {
      const reasoning: OpenReasoning = { kind: 'reasoning', ...base('reasoning'), text: '', summaryStarted: false, redacted: block.data, ...(block.provider ? { provider: block.provider } : {}) };
      return encryptedContentOf(reasoning) === undefined ? undefined : reasoning;
    }
    case 'tool_call':
      return { kind: 'function_call', ...base('tool_call'), call: { id: block.id, name: block.name, ...(block.signature ? { signature: block.signature } : {}) }, args: '' };
  }
}

export function addedEvents(item: OpenItem): ItemEvent[] {
  const at = { output_index: item.outputIndex };
  switch (item.kind) {
    case 'message':
      return [
        { type: 'response.output_item.added', ...at, item: messageItem(item.id, '', 'in_progress') },
        { type: 'response.content_part.added', item_id: item.id, ...at, content_index: 0, part: outputText('') },
      ];
    case 'reasoning':
      return [{ type: 'response.output_item.added', ...at, item: reasoningItem(item.id, '', undefined) }];
    case 'function_call':
      return [{ type: 'response.output_item.added', ...at, item: functionCallItem(item.id, item.call, '', 'in_progress') }];
  }
}

/** The events for one IR delta; a delta that does not fit the item (text on a tool call, say) is dropped. */
export function deltaEvents(item: OpenItem, delta: IrDelta): ItemEvent[] {
  const scope = { item_id: item.id, output_index: item.outputIndex };
  if (item.kind === 'message' && delta.type === 'text' && delta.text !== '') {
    item.text += delta.text;
    return [{ type: 'response.output_text.delta', ...scope, content_index: 0, delta: delta.text, logprobs: [] }];
  }
  if (item.kind === 'reasoning' && delta.type === 'reasoning' && delta.text !== '' && item.redacted === undefined) {
    item.text += delta.text;
    const events: ItemEvent[] = item.summaryStarted ? [] : [{ type: 'response.reasoning_summary_part.added', ...scope, summary_index: 0, part: { type: 'summary_text', text: '' } }];
    item.summaryStarted = true;
    return [...events, { type: 'response.reasoning_summary_text.delta', ...scope, summary_index: 0, delta: delta.text }];
  }
  if (item.kind === 'reasoning' && delta.type === 'signature') item.signature = delta.signature;
  if (item.kind === 'function_call' && delta.type === 'tool_args' && delta.json !== '') {
    item.args += delta.json;
    return [{ type: 'response.function_call_arguments.delta', ...scope, delta: delta.json }];
  }
  return [];
}

/** The closing events and the finished item. */
export function closeEvents(item: OpenItem): { events: ItemEvent[]; done: ResponseOutputItem } {
  const at = { output_index: item.outputIndex };
  const scope = { item_id: item.id, ...at };
  switch (item.kind) {
    case 'message': {
      const done = messageItem(item.id, item.text, 'completed');
      return {
        done,
        events: [
          { type: 'response.output_text.done', ...scope, content_index: 0, text: item.text, logprobs: [] },
          { type: 'response.content_part.done', ...scope, content_index: 0, part: outputText(item.text) },
          { type: 'response.output_item.done', ...at, item: done },
        ],
      };
    }
    case 'reasoning': {
      const done = reasoningItem(item.id, item.text, encryptedContentOf(item));
      const summary: ItemEvent[] = item.summaryStarted
        ? [
            { type: 'response.reasoning_summary_text.done', ...scope, summary_index: 0, text: item.text },
            { type: 'response.reasoning_summary_part.done', ...scope, summary_index: 0, part: { type: 'summary_text', text: item.text } },
          ]
        : [];
      return { done, events: [...summary, { type: 'response.output_item.done', ...at, item: done }] };
    }
    case 'function_call': {
      // A call whose arguments never came takes none: "{}" is what every client can parse.
      const filler: ItemEvent[] = item.args === '' ? [{ type: 'response.function_call_arguments.delta', ...scope, delta: '{}' }] : [];
      const args = item.args || '{}';
      const done = functionCallItem(item.id, item.call, args, 'completed');
      return {
        done,
        events: [
          ...filler,
          { type: 'response.function_call_arguments.done', ...scope, name: item.call.name, arguments: args },
          { type: 'response.output_item.done', ...at, item: done },
        ],
      };
    }
  }
}
