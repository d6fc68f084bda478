/**
 * What kind of network failure ended an exchange before any answer: each says what happened in words, so "could not
 * reach PingOne" never reads as "PingOne refused" (issue 30: with no network, initialize() blamed the credentials).
 */
export type NetworkFailureKind = 'dns' | 'connection-refused' | 'connection-reset' | 'unreachable' | 'tls' | 'other';

const DNS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA', 'ENODATA']);
const RESET = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE', 'ERR_HTTP2_STREAM_ERROR']);
const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EHOSTDOWN', 'EADDRNOTAVAIL']);
const TLS = new Set([
  'EPROTO',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_HANDSHAKE_TIMEOUT',
]);

export function networkFailureKind(code: string | undefined): NetworkFailureKind {
  if (code === undefined) return 'other';
  if (DNS.has(code)) return 'dns';
  if (code === 'ECONNREFUSED') return 'connection-refused';
  if (RESET.has(code)) return 'connection-reset';
  if (UNREACHABLE.has(code)) return 'unreachable';
  if (TLS.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) return 'tls';
  return 'other';
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the server';
  }
}

/** OpenSSL's reason ("wrong version number") out of its multi-line error text, or the message's first line. */
function tlsReason(message: string): string {
  return /SSL routines:[^:]*:([^:]+):/.exec(message)?.[1]?.trim() ?? message.split('\n')[0].trim();
}

/** One sentence for a failure: what happened (by kind), the system's code and words, and what usually causes it. */
export function describeNetworkFailure(
  code: string | undefined,
  message: string,
  url: string,
): { kind: NetworkFailureKind; reason: string } {
  const kind = networkFailureKind(code);
  const host = hostOf(url);
  const said = code ? `${code}: ${message.split('\n')[0].trim()}` : message.split('\n')[0].trim();
  switch (kind) {
    case 'dns':
      return {
        kind,
        reason: `the host name ${host.replace(/:\d+$/, '')} could not be resolved (DNS, ${said}): check the region / URL, and that this machine has DNS and internet access`,
      };
    case 'connection-refused':
      return {
        kind,
        reason: `the connection to ${host} was refused (${said}): nothing accepts connections there (wrong host or port, or a firewall rejects them)`,
      };
    case 'connection-reset':
      return {
        kind,
        reason: `the connection to ${host} was cut before the answer arrived (${said}): a proxy, firewall or the network dropped it`,
      };
    case 'unreachable':
      return { kind, reason: `the network cannot reach ${host} (${said}): check this machine's network and routes` };
    case 'tls':
      return {
        kind,
        reason: `the TLS (https) connection to ${host} failed (${code}: ${tlsReason(message)}): the server's certificate is not trusted or it does not speak TLS there; behind a proxy that inspects TLS, give Node its CA with NODE_EXTRA_CA_CERTS`,
      };
    default:
      return { kind, reason: said };
  }
}
