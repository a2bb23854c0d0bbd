/** OpenSSL's words when the other side does not speak TLS at all (an http:// server addressed as https://). */
const NOT_TLS = /wrong version number|packet length too long|http request|EPROTO/i;
/** Node's words when a certificate cannot be verified: usually a corporate proxy's own CA. */
const UNVERIFIED = /self[- ]signed certificate|unable to (?:get|verify) (?:local )?(?:issuer|the first) certificate|UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|CERT_HAS_EXPIRED|certificate has expired|ERR_TLS_CERT_ALTNAME_INVALID/i;

/**
 * A TLS failure reaching the workspace, said with its likely cause and fix
 * instead of OpenSSL's record-layer message; undefined for anything else.
 */
export function explainTlsFailure(message: string, host: string | undefined): string | undefined {
  const where = host ? `the workspace at ${host}` : 'the workspace';
  if (NOT_TLS.test(message)) {
    const plain = host?.replace(/^https:/, 'http:');
    return (
      `${where} does not speak TLS (https) on that port: its URL is probably ${plain ?? 'http://...'} (a local emulator or a plain-HTTP gateway), or the port is wrong. ` +
      'A host written without a scheme is taken as https://. Fix: correct the scheme in --host, DATABRICKS_HOST or the profile\'s host.'
    );
  }
  if (UNVERIFIED.test(message)) {
    return (
      `the TLS certificate of ${where} could not be verified (${message.split('\n')[0]}): a corporate proxy or a private CA signs it. ` +
      'Fix: export NODE_EXTRA_CA_CERTS=/path/to/your-ca-bundle.pem (the CA your IT provides) and start dbx-proxy again.'
    );
  }
  return undefined;
}

/** A host as the SDK takes it: one written without a scheme is https://. */
export function workspaceUrl(host: string | undefined): string | undefined {
  if (!host) return undefined;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(host) ? host.replace(/\/+$/, '') : `https://${host.replace(/\/+$/, '')}`;
}
