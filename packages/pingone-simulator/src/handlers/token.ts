import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Environment, WorkerClient } from '../store/environment';
import type { SimulatorStore } from '../store/simulator-store';
import { assertionIssuer, checkClientAssertion, JWT_BEARER_ASSERTION } from './client-assertion';

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
  try {
    return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
  } catch {
    return undefined; // a malformed escape names no client: answered as missing authentication
  }
}

type AuthMethod = NonNullable<WorkerClient['tokenEndpointAuthMethod']>;
type Authenticated = { readonly environment: Environment; readonly client: WorkerClient };

/** What a JWT client assertion is checked against: the audiences this endpoint accepts, and the strict mode. */
export interface AssertionContext {
  /** full URLs: the token endpoint, the issuer (`…/as`) and the endpoint being called */
  readonly audiences: readonly string[];
  readonly strict: boolean;
}

/**
 * Client authentication at the token and revocation endpoints. PingOne applies the application's configured
 * `tokenEndpointAuthMethod` (pingone-api.md §2): an app set to CLIENT_SECRET_BASIC must send the Basic header, one
 * set to CLIENT_SECRET_POST the form fields, CLIENT_SECRET_JWT or PRIVATE_KEY_JWT an RFC 7523 client assertion
 * (client-assertion.ts), a NONE (public, native) app only `client_id`. Anything else is 401 invalid_client with
 * "unsupported authentication method", the message Ping's Go SDK matches on.
 */
export function authenticateClient(
  store: SimulatorStore,
  environmentId: string | undefined,
  headers: IncomingHttpHeaders,
  form: URLSearchParams,
  jwt: AssertionContext,
): Authenticated | TokenResult {
  const basic = basicCredentials(headers);
  const postedId = form.get('client_id');
  const postedSecret = form.get('client_secret');
  const assertion = form.get('client_assertion');
  const assertionType = form.get('client_assertion_type');
  if ([basic !== undefined, postedSecret !== null, assertion !== null].filter(Boolean).length > 1)
    return oauthError(400, 'invalid_request', 'Use one client authentication method, not several.');
  if ((assertion === null) !== (assertionType === null))
    return oauthError(400, 'invalid_request', 'client_assertion and client_assertion_type go together.');
  if (assertionType !== null && assertionType !== JWT_BEARER_ASSERTION)
    return oauthError(400, 'invalid_request', `client_assertion_type must be ${JWT_BEARER_ASSERTION}.`);
  const challenge = { 'www-authenticate': 'Basic realm="PingOne"' };
  const assertedId = assertion !== null ? assertionIssuer(assertion) : undefined;
  if (assertion !== null && (assertedId === undefined || (postedId !== null && postedId !== assertedId))) {
    return oauthError(
      401,
      'invalid_client',
      'Request denied: the client assertion names no client, or another client than client_id.',
      challenge,
    );
  }
  const credentials =
    basic ??
    (assertedId !== undefined
      ? { id: assertedId, secret: undefined }
      : postedId !== null
        ? { id: postedId, secret: postedSecret ?? undefined }
        : undefined);
  if (!credentials) return oauthError(401, 'invalid_client', 'Client authentication is required.', challenge);
  const found = store.findClient(credentials.id, environmentId);
  if (!found) return oauthError(401, 'invalid_client', 'Request denied: invalid client credentials.', challenge);
  const configured = found.client.tokenEndpointAuthMethod ?? 'CLIENT_SECRET_BASIC';
  const presented: AuthMethod = basic
    ? 'CLIENT_SECRET_BASIC'
    : assertion !== null
      ? configured === 'CLIENT_SECRET_JWT'
        ? 'CLIENT_SECRET_JWT'
        : 'PRIVATE_KEY_JWT'
      : credentials.secret !== undefined
        ? 'CLIENT_SECRET_POST'
        : 'NONE';
  if (presented !== configured) {
    return oauthError(
      401,
      'invalid_client',
      `Request denied: unsupported authentication method ${presented}. This application uses ${configured}.`,
      challenge,
    );
  }
  if (assertion !== null) {
    const refused = checkClientAssertion(assertion, found.client, jwt.audiences, jwt.strict);
    return refused ? oauthError(401, 'invalid_client', `Request denied: ${refused}`, challenge) : found;
  }
  if (configured !== 'NONE' && !sameSecret(found.client.clientSecret, credentials.secret ?? '')) {
    return oauthError(401, 'invalid_client', 'Request denied: invalid client credentials.', challenge);
  }
  return found;
}

const isResult = (value: Authenticated | TokenResult): value is TokenResult => 'status' in value;

export interface TokenSettings {
  readonly lifetimeSeconds: number;
  readonly refreshTokenRotation: boolean;
  readonly assertions: AssertionContext;
}

/**
 * `POST /{envId}/as/token` (and `/as/token` on a custom domain): client_credentials, authorization_code (PKCE) and
 * refresh_token grants, answering like an OAuth 2.0 server (RFC 6749 §5). Refresh tokens rotate on every use.
 */
export function issueToken(
  store: SimulatorStore,
  environmentId: string | undefined,
  headers: IncomingHttpHeaders,
  form: URLSearchParams,
  settings: TokenSettings,
): TokenResult {
  const grantType = form.get('grant_type');
  if (grantType === null) return oauthError(400, 'invalid_request', 'grant_type is required.');
  const found = authenticateClient(store, environmentId, headers, form, settings.assertions);
  if (isResult(found)) return found;
  const grants = found.client.grantTypes ?? ['client_credentials'];
  if (!(grants as readonly string[]).includes(grantType)) {
    return oauthError(400, 'unsupported_grant_type', `The grant type '${grantType}' is not supported for this application.`);
  }
  const env = found.environment.id;
  const clientId = found.client.clientId;
  const lifetime = settings.lifetimeSeconds;
  if (grantType === 'authorization_code') {
    const redeemed = store.grants.redeem(form.get('code') ?? '', clientId, form.get('redirect_uri') ?? '', form.get('code_verifier') ?? '');
    if (typeof redeemed === 'string') return oauthError(400, 'invalid_grant', redeemed);
    const refresh = store.grants.issueRefresh({ environmentId: env, clientId, userId: redeemed.userId, scope: redeemed.scope });
    const access = store.tokens.issue(env, clientId, lifetime, store.grants.chainOf(refresh));
    return {
      status: 200,
      body: { access_token: access, token_type: 'Bearer', expires_in: lifetime, refresh_token: refresh, scope: redeemed.scope },
    };
  }
  if (grantType === 'refresh_token') {
    const presented = form.get('refresh_token') ?? '';
    const chain = store.grants.chainOf(presented);
    const outcome = store.grants.refresh(presented, clientId, settings.refreshTokenRotation);
    if (!outcome.ok) {
      if (outcome.replay && chain !== undefined) store.tokens.revokeChain(chain);
      return oauthError(
        400,
        'invalid_grant',
        outcome.replay
          ? 'The refresh token was already used. Replay protection revoked it and every token of this sign-in. Sign in again, and always keep the newest refresh token.'
          : 'The refresh token is invalid, expired or revoked. Sign in again.',
      );
    }
    const access = store.tokens.issue(env, clientId, lifetime, outcome.grant.chain);
    return {
      status: 200,
      body: {
        access_token: access,
        token_type: 'Bearer',
        expires_in: lifetime,
        refresh_token: outcome.refreshToken,
        scope: outcome.grant.scope,
      },
    };
  }
  const token = store.tokens.issue(env, clientId, lifetime);
  return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: lifetime } };
}

/**
 * `/{envId}/as/revoke` (RFC 7009): authenticates the client like the token endpoint, then revokes a refresh token
 * (with its chain and the access tokens of that sign-in) or an access token. Answers 200 whether or not the token
 * existed; tokens of other clients are left alone (RFC 7009 §2.1).
 */
export function revokeToken(
  store: SimulatorStore,
  environmentId: string | undefined,
  headers: IncomingHttpHeaders,
  form: URLSearchParams,
  assertions: AssertionContext,
): TokenResult {
  const found = authenticateClient(store, environmentId, headers, form, assertions);
  if (isResult(found)) return found;
  const token = form.get('token');
  if (!token) return oauthError(400, 'invalid_request', 'token is required.');
  const clientId = found.client.clientId;
  const chain = store.grants.chainOf(token);
  if (chain !== undefined && store.grants.revokeRefresh(token, clientId)) store.tokens.revokeChain(chain);
  else if (store.tokens.clientOf(token) === clientId) store.tokens.revoke(token);
  return { status: 200, body: {} };
}
