import type { IrOutputPart, IrResponse } from './response.js';
import type { IrStreamEvent } from './stream.js';

/**
 * A whole answer as the well-formed IR stream that would have carried it
 * (see stream.ts): `start`, each part as one block with a single delta per
 * field, the usage, then `finish`. For clients that asked for a stream when
 * the upstream could only answer whole (src/repairs/request/structured-output-stream.ts).
 */
export function responseEvents(response: IrResponse): IrStreamEvent[] {
  const events: IrStreamEvent[] = [{ type: 'start', id: response.id, model: response.model }];
  response.content.forEach((part, index) => events.push(...partEvents(part, index)));
  events.push({ type: 'usage', usage: response.usage });
  events.push({
    type: 'finish',
    stopReason: response.stopReason,
    ...(response.stopSequence !== undefined ? { stopSequence: response.stopSequence } : {}),
  });
  return events;
}

function partEvents(part: IrOutputPart, index: number): IrStreamEvent[] {
  const stop: IrStreamEvent = { type: 'block_stop', index };
  switch (part.type) {
    case 'text':
      return [{ type: 'block_start', index, block: { type: 'text' } }, ...textDelta(index, part.text), stop];
    case 'tool_call':
      return [
        { type: 'block_start', index, block: { type: 'tool_call', id: part.id, name: part.name, ...(part.signature ? { signature: part.signature } : {}) } },
        { type: 'delta', index, delta: { type: 'tool_args', json: part.arguments } },
        stop,
      ];
    case 'reasoning': {
      const provider = part.provider ? { provider: part.provider } : {};
      if (part.redacted !== undefined) return [{ type: 'block_start', index, block: { type: 'redacted_reasoning', data: part.redacted, ...provider } }, stop];
      return [
        { type: 'block_start', index, block: { type: 'reasoning', ...provider, ...(part.id !== undefined ? { id: part.id } : {}) } },
        ...(part.text ? [{ type: 'delta', index, delta: { type: 'reasoning', text: part.text } } as const] : []),
        ...(part.signature ? [{ type: 'delta', index, delta: { type: 'signature', signature: part.signature } } as const] : []),
        stop,
      ];
    }
  }
}

/** Empty text needs no delta: the block's start and stop say it all. */
function textDelta(index: number, text: string): IrStreamEvent[] {
  return text ? [{ type: 'delta', index, delta: { type: 'text', text } }] : [];
}
