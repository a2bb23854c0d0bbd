import { ProxyError } from '../../errors/proxy-error.js';

/** A client request field the codec cannot act on; Anthropic names the field at the head of the message. */
export function invalidField(param: string, message: string): ProxyError {
  return new ProxyError('invalid_request', `${param}: ${message}`, { param });
}
