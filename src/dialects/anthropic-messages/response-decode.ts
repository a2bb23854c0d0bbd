import { ProxyError } from '../../errors/proxy-error.js';
import { EMPTY_USAGE, type IrOutputPart, type IrResponse } from '../../ir/response.js';
import { arrayOf, isRecord, stringOr } from '../common/json.js';
import { errorKindFromAnthropic, stopReasonFromAnthropic } from './maps.js';
import { usageFromAnthropic } from './usage.js';

/**
 * A Databricks Anthropic Message → IR. Server-tool blocks (and any block type
 * this codec does not know) are skipped: no other dialect can carry them.
 */
export function decodeMessagesResponse(body: unknown): IrResponse {
  if (!isRecord(body)) throw new ProxyError('upstream', 'The upstream answered with a body that is not a Message');
  if (body.type === 'error') {
    const error = isRecord(body.error) ? body.error : {};
    throw new ProxyError(errorKindFromAnthropic(error.type), stringOr(error.message) ?? 'The upstream answered with an error');
  }
  const response: IrResponse = {
    id: stringOr(body.id) ?? '',
    model: stringOr(body.model) ?? '',
    content: arrayOf(body.content).flatMap((block) => decodeBlock(block) ?? []),
    stopReason: stopReasonFromAnthropic(body.stop_reason),
    usage: usageFromAnthropic(body.usage, EMPTY_USAGE),
  };
  const stopSequence = stringOr(body.stop_sequence);
  if (stopSequence !== undefined) response.stopSequence = stopSequence;
  return response;
}

function decodeBlock(block: unknown): IrOutputPart | undefined {
  if (!isRecord(block)) return undefined;
  switch (block.type) {
    case 'text':
      return { type: 'text', text: stringOr(block.text) ?? '' };
    case 'thinking': {
      // `display: "omitted"` gives empty text with a signature: still replayable thinking.
      const signature = stringOr(block.signature);
      return { type: 'reasoning', text: stringOr(block.thinking) ?? '', ...(signature ? { signature } : {}), provider: 'anthropic' };
    }
    case 'redacted_thinking':
      return { type: 'reasoning', text: '', redacted: stringOr(block.data) ?? '', provider: 'anthropic' };
    case 'tool_use':
      return {
        type: 'tool_call',
        id: stringOr(block.id) ?? '',
        name: stringOr(block.name) ?? '',
        arguments: JSON.stringify(isRecord(block.input) ? block.input : {}),
      };
    default:
      return undefined;
  }
}
