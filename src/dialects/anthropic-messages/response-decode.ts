import { ProxyError } from '../../errors/proxy-error.js';
import { EMPTY_USAGE, type IrOutputPart, type IrResponse } from '../../ir/response.js';
import { arrayOf, isObject, stringOf } from './json.js';
import { errorKindFromAnthropic, stopReasonFromAnthropic } from './maps.js';
import { usageFromAnthropic } from './usage.js';

/**
 * A Databricks Anthropic Message → IR. Server-tool blocks (and any block type
 * this codec does not know) are skipped: no other dialect can carry them.
 */
export function decodeMessagesResponse(body: unknown): IrResponse {
  if (!isObject(body)) throw new ProxyError('upstream', 'The upstream answered with a body that is not a Message');
  if (body.type === 'error') {
    const error = isObject(body.error) ? body.error : {};
    throw new ProxyError(errorKindFromAnthropic(error.type), stringOf(error.message) ?? 'The upstream answered with an error');
  }
  const response: IrResponse = {
    id: stringOf(body.id) ?? '',
    model: stringOf(body.model) ?? '',
    content: arrayOf(body.content).flatMap((block) => decodeBlock(block) ?? []),
    stopReason: stopReasonFromAnthropic(body.stop_reason),
    usage: usageFromAnthropic(body.usage, EMPTY_USAGE),
  };
  const stopSequence = stringOf(body.stop_sequence);
  if (stopSequence !== undefined) response.stopSequence = stopSequence;
  return response;
}

function decodeBlock(block: unknown): IrOutputPart | undefined {
  if (!isObject(block)) return undefined;
  switch (block.type) {
    case 'text':
      return { type: 'text', text: stringOf(block.text) ?? '' };
    case 'thinking': {
      // `display: "omitted"` gives empty text with a signature: still replayable thinking.
      const signature = stringOf(block.signature);
      return { type: 'reasoning', text: stringOf(block.thinking) ?? '', ...(signature ? { signature } : {}), provider: 'anthropic' };
    }
    case 'redacted_thinking':
      return { type: 'reasoning', text: '', redacted: stringOf(block.data) ?? '', provider: 'anthropic' };
    case 'tool_use':
      return {
        type: 'tool_call',
        id: stringOf(block.id) ?? '',
        name: stringOf(block.name) ?? '',
        arguments: JSON.stringify(isObject(block.input) ? block.input : {}),
      };
    default:
      return undefined;
  }
}
