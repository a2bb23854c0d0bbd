/**
 * The Response object this dialect shows clients: the non-stream answer and
 * every lifecycle snapshot of a stream. `model` is the name the client asked
 * for; request settings are echoed as the real API does.
 */
import { ProxyError } from '../../errors/proxy-error.js';
import type { IrRequest } from '../../ir/request.js';
import type { IrUsage } from '../../ir/response.js';
import { openAiErrorObject } from '../openai-error.js';
import { type ResponseEnding, wireToolChoice, wireUsage } from './maps.js';
import type { ResponseOutputItem, ResponseStatus, WireResponse } from './wire.js';

export interface ResponseIdentity {
  id: string;
  createdAt: number;
  model: string;
}

export interface ResponseState {
  status: ResponseStatus;
  output: ResponseOutputItem[];
  usage?: IrUsage;
  incompleteReason?: ResponseEnding['incompleteReason'];
  error?: ProxyError;
}

export function responseObject(identity: ResponseIdentity, request: IrRequest, state: ResponseState): WireResponse {
  return {
    id: identity.id,
    object: 'response',
    created_at: identity.createdAt,
    status: state.status,
    error: state.error ? failureOf(state.error) : null,
    incomplete_details: state.incompleteReason ? { reason: state.incompleteReason } : null,
    model: identity.model,
    output: state.output,
    parallel_tool_calls: request.parallelToolCalls ?? true,
    tool_choice: request.toolChoice ? wireToolChoice(request.toolChoice) : 'auto',
    temperature: request.temperature ?? null,
    top_p: request.topP ?? null,
    max_output_tokens: request.maxOutputTokens ?? null,
    usage: state.usage ? wireUsage(state.usage) : null,
  };
}

/** `response.error` is `{code, message}`; the SDK types `code` as a closed set, and a proxy failure names its own. */
function failureOf(error: ProxyError): WireResponse['error'] {
  const detail = openAiErrorObject(error);
  return { code: (detail.code ?? 'server_error') as NonNullable<WireResponse['error']>['code'], message: detail.message };
}

export function nowInSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** The failure shown when the model itself stopped with an error (an IR `error` stop reason, e.g. Gemini's malformed call). */
export function modelStopError(): ProxyError {
  return new ProxyError('upstream', 'The model stopped with an error before finishing its answer');
}
