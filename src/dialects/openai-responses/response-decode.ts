/** A Databricks Responses answer (non-stream) → the IR answer. */
import { ProxyError } from '../../errors/proxy-error.js';
import { type CodecContext, FAMILY_SIGNER } from '../../ir/codec.js';
import type { SignatureProvider } from '../../ir/signatures.js';
import { EMPTY_USAGE, type IrOutputPart, type IrResponse } from '../../ir/response.js';
import { isRecord, type JsonObject, records, stringOr } from '../common/json.js';
import { completedStopReason, irUsage, stopReasonForIncomplete } from './maps.js';
import { summaryText } from './summary.js';
import { errorOf, failureOf } from './upstream-error.js';

interface Reading {
  content: IrOutputPart[];
  callIds: Set<string>;
  seen: { toolCall: boolean; refusal: boolean };
  provider: SignatureProvider | undefined;
}

type ItemReader = (item: JsonObject, reading: Reading) => void;

/** Output item type → its IR parts; hosted-tool items and anything else have none. */
const ITEM_READERS: Record<string, ItemReader> = {
  message: (item, reading) => {
    for (const part of records(item.content)) {
      const text = part.type === 'refusal' ? stringOr(part.refusal) : part.type === 'output_text' ? stringOr(part.text) : undefined;
      if (part.type === 'refusal') reading.seen.refusal = true;
      if (text) reading.content.push({ type: 'text', text });
    }
  },
  reasoning: (item, reading) => {
    const text = summaryText(item.summary);
    const signature = stringOr(item.encrypted_content) || undefined;
    if (text === '' && signature === undefined) return;
    const id = stringOr(item.id);
    reading.content.push({
      type: 'reasoning',
      text,
      ...(signature !== undefined ? { signature } : {}),
      ...(reading.provider ? { provider: reading.provider } : {}),
      ...(id ? { id } : {}),
    });
  },
  function_call: (item, reading) => {
    const callId = stringOr(item.call_id) || stringOr(item.id);
    const name = stringOr(item.name);
    // The same call listed twice is one call.
    if (!callId || !name || reading.callIds.has(callId)) return;
    reading.callIds.add(callId);
    reading.seen.toolCall = true;
    reading.content.push({ type: 'tool_call', id: callId, name, arguments: stringOr(item.arguments) || '{}' });
  },
};

export function decodeResponsesAnswer(body: unknown, context: CodecContext): IrResponse {
  if (!isRecord(body)) throw new ProxyError('upstream', 'The upstream answered with something that is not a Response');
  if (body.status === 'failed') throw failureOf(body);
  if (!Array.isArray(body.output)) throw errorOf(body) ?? new ProxyError('upstream', 'The upstream answered with a Response without output');
  const reading: Reading = { content: [], callIds: new Set(), seen: { toolCall: false, refusal: false }, provider: FAMILY_SIGNER[context.family] };
  for (const item of records(body.output)) {
    const type = stringOr(item.type);
    if (type !== undefined && Object.hasOwn(ITEM_READERS, type)) (ITEM_READERS[type] as ItemReader)(item, reading);
  }
  const incomplete = body.status === 'incomplete';
  return {
    id: stringOr(body.id) ?? '',
    model: stringOr(body.model) ?? context.endpoint,
    content: reading.content,
    stopReason: incomplete ? stopReasonForIncomplete(isRecord(body.incomplete_details) ? body.incomplete_details.reason : undefined) : completedStopReason(reading.seen),
    usage: isRecord(body.usage) ? irUsage(body.usage) : EMPTY_USAGE,
  };
}
