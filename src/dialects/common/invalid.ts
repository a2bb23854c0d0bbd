import { ProxyError } from '../../errors/proxy-error.js';

/** A client request shape an OpenAI dialect (Chat, Responses) cannot act on, naming the offending field (OpenAI's `param`). */
export function invalid(message: string, param: string): never {
  throw new ProxyError('invalid_request', message, { param });
}
