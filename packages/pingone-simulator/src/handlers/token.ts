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
  const posted = form.get('client_id') !== null ? { id: form.get('client_id')!, secret: form.get('client_secret') } : undefined;
  if (basic && posted?.secret) return oauthError(400, 'invalid_request', 'Use one client authentication method, not both.');
  const credentials = basic ?? posted;
  const challenge = { 'www-authenticate': 'Basic realm="PingOne"' };
  if (!credentials) return oauthError(401, 'invalid_client', 'Client authentication is required.', challenge);
  const found = store.findClient(credentials.id, environmentId);
  const method = basic ? 'CLIENT_SECRET_BASIC' : credentials.secret ? 'CLIENT_SECRET_POST' : 'NONE';
  const publicClient = found?.client.tokenEndpointAuthMethod === 'NONE';
  if (!found || (!publicClient && !sameSecret(found.client.clientSecret, credentials.secret ?? ''))) {
    return oauthError(401, 'invalid_client', 'Request denied: invalid client credentials.', challenge);
  }
  if ((found.client.tokenEndpointAuthMethod !== undefined && found.client.tokenEndpointAuthMethod !== method) || (method === 'NONE' && !publicClient)) {
    return oauthError(401, 'invalid_client', `Request denied: unsupported authentication method ${method}.`, challenge);
  }
  const grants = found.client.grantTypes ?? ['client_credentials'];
  if (!(grants as readonly string[]).includes(grantType)) {
    return oauthError(400, 'unsupported_grant_type', `The grant type '${grantType}' is not supported for this application.`);
  }
  const env = found.environment.id;
  const clientId = found.client.clientId;
  if (grantType === 'authorization_code') {
    const redeemed = store.grants.redeem(form.get('code') ?? '', clientId, form.get('redirect_uri') ?? '', form.get('code_verifier') ?? '');
    if (typeof redeemed === 'string') return oauthError(400, 'invalid_grant', redeemed);
    const refresh = store.grants.issueRefresh({ environmentId: env, clientId, userId: redeemed.userId, scope: redeemed.scope });
    return { status: 200, body: { access_token: store.tokens.issue(env, clientId, lifetimeSeconds), token_type: 'Bearer', expires_in: lifetimeSeconds, refresh_token: refresh, scope: redeemed.scope } };
  }
  if (grantType === 'refresh_token') {
    const grant = store.grants.refresh(form.get('refresh_token') ?? '', clientId);
    if (!grant) return oauthError(400, 'invalid_grant', 'The refresh token is invalid, expired or revoked. Sign in again.');
    return { status: 200, body: { access_token: store.tokens.issue(env, clientId, lifetimeSeconds), token_type: 'Bearer', expires_in: lifetimeSeconds, refresh_token: form.get('refresh_token'), scope: grant.scope } };
  }
  const token = store.tokens.issue(env, clientId, lifetimeSeconds);
  return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: lifetimeSeconds } };
}

/** `/{envId}/as/revoke` (RFC 7009): revokes a refresh or access token; answers 200 whether or not it existed. */
export function revokeToken(store: SimulatorStore, form: URLSearchParams): TokenResult {
  const token = form.get('token');
  if (!token) return oauthError(400, 'invalid_request', 'token is required.');
  if (!store.grants.revokeRefresh(token)) store.tokens.revoke(token);
  return { status: 200, body: {} };
}
