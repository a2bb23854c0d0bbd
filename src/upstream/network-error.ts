import { ProxyError } from '../errors/proxy-error.js';
import { errorCode } from './retry.js';

/** undici's timeout errors, by code: which limit ran out, in the words of the config. */
const TIMEOUTS: Record<string, string> = {
  UND_ERR_CONNECT_TIMEOUT: 'Could not connect to the Databricks workspace within upstream.connectTimeoutMs',
  UND_ERR_HEADERS_TIMEOUT: 'The Databricks workspace did not start answering within upstream.headersTimeoutMs',
  UND_ERR_BODY_TIMEOUT: 'The Databricks workspace sent nothing for longer than upstream.idleTimeoutMs',
};

/**
 * A failure to talk to the workspace (no HTTP answer, or an answer cut
 * short), as the ProxyError a client should see: `timeout` (504) when a limit
 * ran out, `upstream` (502) when the connection failed. A caller that went
 * away gets 499 (nginx's "client closed request"): nobody reads it, but the
 * request's log line says what happened. Undefined for anything else.
 * undici's messages name no header, so no credential can leak through them.
 */
export function networkFailure(error: unknown): ProxyError | undefined {
  if (error instanceof ProxyError) return error;
  if (error instanceof Error && error.name === 'AbortError') {
    return new ProxyError('upstream', 'The client closed the request', { status: 499, cause: error });
  }
  const code = errorCode(error);
  if (code === undefined) return undefined;
  const timeout = TIMEOUTS[code];
  if (timeout) return new ProxyError('timeout', timeout, { cause: error });
  if (!code.startsWith('UND_ERR') && !/^E[A-Z]+$/.test(code)) return undefined;
  const detail = error instanceof Error ? error.message : code;
  return new ProxyError('upstream', `Could not reach the Databricks workspace: ${detail}`, { cause: error });
}
