import { randomUUID } from 'node:crypto';
import type { SignatureProvider } from '../../ir/signatures.js';
import { signatureForDialect } from '../../ir/signatures.js';

/**
 * What Anthropic clients see of ids and signatures that may come from
 * another dialect's upstream.
 */

/** Message ids start with `msg_`; an id from another upstream (`chatcmpl-…`, `resp_…`) gets the prefix. */
export function clientMessageId(id: string | undefined): string {
  if (!id) return `msg_${randomUUID().replaceAll('-', '')}`;
  return id.startsWith('msg_') ? id : `msg_${id}`;
}

/**
 * A thinking block's signature as the client replays it: tagged when another
 * provider signed it, so that a later request can route it back there. No
 * signature at all (a model that does not sign) is sent as "": the SDK
 * accepts it, the reasoning stays visible, and on replay the decoder reads
 * "" as unsigned reasoning, which no upstream is sent.
 */
export function clientSignature(provider: SignatureProvider | undefined, signature: string | undefined): string {
  return signature ? signatureForDialect(provider, signature, 'anthropic') : '';
}
