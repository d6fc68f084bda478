import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { SimulatorStore } from '../store/simulator-store';

export interface TokenResult {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers?: Record<string, string>;
}

function oauthError(status: number, error: string, description: string, headers?: Record<string, string>): TokenResult {
  return { status, body: { error, error_description: description }, ...(headers ? { headers } : {}) };
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function basicCredentials(headers: IncomingHttpHeaders): { id: string; secret: string } | undefined {
  const header = headers.authorization;
  if (!header?.toLowerCase().startsWith('basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
}

/**
 * `POST /{envId}/as/token` (and `/as/token` on a custom domain): the client_credentials grant with
 * client_secret_basic or client_secret_post, answering like an OAuth 2.0 server (RFC 6749 §5).
 */
export function issueToken(store: SimulatorStore, environmentId: string | undefined, headers: IncomingHttpHeaders, form: URLSearchParams, lifetimeSeconds: number): TokenResult {
  const grantType = form.get('grant_type');
  if (grantType === null) return oauthError(400, 'invalid_request', 'grant_type is required.');
  const basic = basicCredentials(headers);
  const posted = form.get('client_id') !== null ? { id: form.get('client_id')!, secret: form.get('client_secret') ?? '' } : undefined;
  if (basic && posted) return oauthError(400, 'invalid_request', 'Use one client authentication method, not both.');
  const credentials = basic ?? posted;
  const challenge = { 'www-authenticate': 'Basic realm="PingOne"' };
  if (!credentials) return oauthError(401, 'invalid_client', 'Client authentication is required.', challenge);
  const found = store.findClient(credentials.id, environmentId);
  const method = basic ? 'CLIENT_SECRET_BASIC' : 'CLIENT_SECRET_POST';
  if (!found || !sameSecret(found.client.clientSecret, credentials.secret)) {
    return oauthError(401, 'invalid_client', 'Request denied: invalid client credentials.', challenge);
  }
  if (found.client.tokenEndpointAuthMethod !== undefined && found.client.tokenEndpointAuthMethod !== method) {
    return oauthError(401, 'invalid_client', `Request denied: unsupported authentication method ${method}.`, challenge);
  }
  if (grantType !== 'client_credentials') {
    return oauthError(400, 'unsupported_grant_type', `The grant type '${grantType}' is not supported for this application.`);
  }
  const token = store.tokens.issue(found.environment.id, found.client.clientId, lifetimeSeconds);
  return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: lifetimeSeconds } };
}
