/**
 * Folds a complete IR event sequence into a whole answer, so that a
 * `generateContent` answer is read by the very code that reads a stream and
 * the two can never disagree.
 */
import { ProxyError } from '../../errors/proxy-error.js';
import { EMPTY_USAGE, type IrOutputPart, type IrResponse } from '../../ir/response.js';
import type { IrStreamEvent } from '../../ir/stream.js';

export function foldAnswer(events: IrStreamEvent[]): IrResponse {
  const answer: IrResponse = { id: '', model: '', content: [], stopReason: 'end_turn', usage: EMPTY_USAGE };
  const byIndex = new Map<number, IrOutputPart>();
  for (const event of events) {
    switch (event.type) {
      case 'start':
        answer.id = event.id;
        answer.model = event.model;
        if (event.usage) answer.usage = event.usage;
        break;
      case 'block_start': {
        const part = partOf(event.block);
        if (part) {
          byIndex.set(event.index, part);
          answer.content.push(part);
        }
        break;
      }
      case 'delta':
        applyDelta(byIndex.get(event.index), event.delta);
        break;
      case 'usage':
        answer.usage = event.usage;
        break;
      case 'finish':
        answer.stopReason = event.stopReason;
        if (event.stopSequence !== undefined) answer.stopSequence = event.stopSequence;
        break;
      case 'error':
        throw event.error;
      case 'block_stop':
        break;
    }
  }
  if (!events.some((event) => event.type === 'finish')) throw new ProxyError('upstream', 'the upstream answer did not finish');
  return answer;
}

function partOf(block: Extract<IrStreamEvent, { type: 'block_start' }>['block']): IrOutputPart | undefined {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: '' };
    case 'reasoning':
      return { type: 'reasoning', text: '', ...(block.provider ? { provider: block.provider } : {}), ...(block.id ? { id: block.id } : {}) };
    case 'redacted_reasoning':
      return { type: 'reasoning', text: '', redacted: block.data, ...(block.provider ? { provider: block.provider } : {}) };
    case 'tool_call':
      return { type: 'tool_call', id: block.id, name: block.name, arguments: '', ...(block.signature ? { signature: block.signature } : {}) };
  }
}

function applyDelta(part: IrOutputPart | undefined, delta: Extract<IrStreamEvent, { type: 'delta' }>['delta']): void {
  if (!part) return;
  if (delta.type === 'text' && part.type === 'text') part.text += delta.text;
  else if (delta.type === 'reasoning' && part.type === 'reasoning') part.text += delta.text;
  else if (delta.type === 'signature' && part.type === 'reasoning') part.signature = delta.signature;
  else if (delta.type === 'tool_args' && part.type === 'tool_call') part.arguments += delta.json;
}
