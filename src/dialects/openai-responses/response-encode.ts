/** An IR answer → the Response object a client gets for a non-stream request. */
import type { CodecContext } from '../../ir/codec.js';
import type { IrRequest } from '../../ir/request.js';
import type { IrResponse } from '../../ir/response.js';
import { clientResponseId, itemStem } from './ids.js';
import { RESPONSE_ENDING } from './maps.js';
import { outputItems } from './output-items.js';
import { modelStopError, nowInSeconds, responseObject } from './response-object.js';
import type { WireResponse } from './wire.js';

export function encodeResponsesAnswer(response: IrResponse, request: IrRequest, context: CodecContext): WireResponse {
  const id = clientResponseId(response.id);
  const ending = RESPONSE_ENDING[response.stopReason];
  return responseObject({ id, createdAt: nowInSeconds(), model: context.clientModel }, request, {
    status: ending.status,
    output: outputItems(response.content, itemStem(id)),
    usage: response.usage,
    ...(ending.incompleteReason ? { incompleteReason: ending.incompleteReason } : {}),
    ...(ending.status === 'failed' ? { error: modelStopError() } : {}),
  });
}
