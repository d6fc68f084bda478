import { inspect } from 'node:util';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { PingOneAuthError } from '../errors';
import { valueText } from '../value-text';
import type { PingOneLogger } from '../config/client-options';
import { send, TransportError } from '../http/transport';
import { transportFailureError } from '../http/transport-failure-error';
import type { SecretRedactor } from '../redact';
import { LoopbackCallback } from './loopback-callback';
import type { TokenProvider } from './token-provider';
import type { StoredTokens, TokenStore } from './token-store';
import { assertionFields, type AssertionCredentials } from './client-assertion';

/** GETANDREFRESH: sign in when needed, then refresh; REFRESH: only refresh stored tokens; OFF: only use stored tokens. */
export type InitiateOAuth = 'GETANDREFRESH' | 'REFRESH' | 'OFF';

export interface AuthorizationCodeSettings {
  /** `https://auth.pingone.<tld>/<envId>/as` or `https://<custom domain>/as` */
  readonly authorizationServer: string;
  readonly clientId: string;
  readonly clientSecret: string | undefined;
  /** How the application authenticates at the token and revocation endpoints (its setting in PingOne). */
  readonly tokenEndpointAuthMethod: 'none' | 'client_secret_basic' | 'client_secret_post' | 'client_secret_jwt' | 'private_key_jwt';
  /** with client_secret_jwt or private_key_jwt: how each call's client assertion is signed */
  readonly assertion?: AssertionCredentials;
  readonly scopes: readonly string[];
  readonly initiate: InitiateOAuth;
  readonly store: TokenStore;
  readonly callbackUrl: string | undefined;
  /** Shows the sign-in page. Default: the system browser, or the URL printed where none can be opened. */
  readonly openBrowser: ((url: string) => void | Promise<void>) | undefined;
  readonly signInTimeoutMs: number;
  readonly timeoutMs: number;
  readonly userAgent: string;
  readonly redactor: SecretRedactor;
  readonly logger: PingOneLogger | undefined;
}

const SKEW_MS = 60_000;

function defaultOpenBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'cmd' : 'xdg-open';
  const args = process.platform === 'win32' ? ['/c', 'start', '', url] : [url];
  process.stderr.write(`Sign in to PingOne: ${url}\n`);
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', () => undefined); // no browser here: the printed URL is the way
    child.unref();
  } catch {
    // the URL is printed above
  }
}

/**
 * The authorization code flow with PKCE (S256) for a person signing in through PingOne, as the seed connector's
 * `AuthScheme=OAuth` with `InitiateOAuth=GETANDREFRESH` does: browser sign-in, code on a loopback redirect with
 * `state` checked, tokens stored where the user says, refresh before expiry, revoke on sign-out.
 *
 * Every call to the token and revocation endpoints authenticates the way the application is configured in PingOne
 * (NONE: `client_id` only; CLIENT_SECRET_BASIC: the Basic header; CLIENT_SECRET_POST: form fields; CLIENT_SECRET_JWT
 * and PRIVATE_KEY_JWT: an RFC 7523 client assertion), since PingOne answers any other method with 401 invalid_client. PingOne rotates refresh tokens and, with replay protection on
 * (its default), revokes the whole sign-in when a spent one is presented again, so the newest refresh token is
 * stored as soon as it arrives and the old one is never sent again.
 */
export class AuthorizationCodeProvider implements TokenProvider {
  readonly #s: AuthorizationCodeSettings;
  #tokens: StoredTokens;
  #inFlight: Promise<string> | undefined;

  constructor(settings: AuthorizationCodeSettings) {
    this.#s = settings;
    this.#tokens = settings.store.load() ?? {};
    if (settings.clientSecret) settings.redactor.addBasic(settings.clientId, settings.clientSecret);
    settings.redactor.add(this.#tokens.accessToken);
    settings.redactor.add(this.#tokens.refreshToken);
  }

  toJSON(): Record<string, unknown> {
    return { authorizationServer: this.#s.authorizationServer, clientId: this.#s.clientId, initiate: this.#s.initiate };
  }

  [inspect.custom](): string {
    return `AuthorizationCodeProvider ${inspect(this.toJSON())}`;
  }

  async getToken(): Promise<string> {
    const t = this.#tokens;
    if (t.accessToken && (t.accessTokenExpiresAt ?? 0) - SKEW_MS > Date.now()) return t.accessToken;
    this.#inFlight ??= this.#obtain().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  invalidate(token: string): void {
    if (this.#tokens.accessToken === token) this.#tokens = { ...this.#tokens, accessToken: undefined, accessTokenExpiresAt: 0 };
  }

  /** Revokes the refresh token at PingOne and forgets every stored token. */
  async signOut(): Promise<void> {
    const refresh = this.#tokens.refreshToken;
    this.#tokens = {};
    this.#s.store.clear();
    if (!refresh) return;
    const revoked = await this.#post('revoke', { token: refresh, token_type_hint: 'refresh_token' });
    if (revoked.status === 401) throw this.#clientRejected('Revoking the sign-in', revoked);
  }

  async #obtain(): Promise<string> {
    if (this.#tokens.refreshToken && this.#s.initiate !== 'OFF') {
      const refreshed = await this.#post('token', { grant_type: 'refresh_token', refresh_token: this.#tokens.refreshToken });
      if (refreshed.status === 200) return this.#accept(refreshed.body);
      if (refreshed.status === 401) throw this.#clientRejected('Refreshing the sign-in', refreshed);
      if (refreshed.body.error === 'invalid_grant') {
        // Spent for good (expired, revoked, or revoked with its sign-in after a replay): never send it again.
        this.#tokens = {};
        this.#s.store.clear();
      }
      if (this.#s.initiate !== 'GETANDREFRESH') {
        throw new PingOneAuthError(
          `The stored PingOne sign-in can no longer be refreshed (${this.#text(refreshed.body.error_description ?? refreshed.body.error ?? refreshed.status)}). Sign in again: run with InitiateOAuth=GETANDREFRESH, or delete the stored tokens.`,
          { status: refreshed.status, oauthError: this.#text(refreshed.body.error ?? '') },
        );
      }
    }
    if (this.#s.initiate !== 'GETANDREFRESH') {
      throw new PingOneAuthError(
        `No usable PingOne sign-in is stored${this.#s.initiate === 'OFF' ? ' (InitiateOAuth=OFF uses stored tokens only)' : ''}. Sign in first with InitiateOAuth=GETANDREFRESH.`,
      );
    }
    return this.#signIn();
  }

  async #signIn(): Promise<string> {
    const verifier = randomBytes(32).toString('base64url');
    const state = randomBytes(16).toString('base64url');
    const callback = await LoopbackCallback.listen(this.#s.callbackUrl, state, this.#s.signInTimeoutMs);
    const url = new URL(`${this.#s.authorizationServer}/authorize`);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: this.#s.clientId,
      redirect_uri: callback.redirectUri,
      scope: this.#s.scopes.join(' '),
      state,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    this.#s.logger?.info?.(`PingOne sign-in: opening ${url.origin}${url.pathname}`);
    const codePromise = callback.code();
    codePromise.catch(() => undefined); // handled below; the redirect may arrive while the browser call is still running
    await (this.#s.openBrowser ?? defaultOpenBrowser)(url.toString());
    let code: string;
    try {
      code = await codePromise;
    } catch (error) {
      throw new PingOneAuthError(`${this.#text(error instanceof Error ? error.message : error)} Try signing in again.`, { cause: error });
    }
    const exchanged = await this.#post('token', {
      grant_type: 'authorization_code',
      code,
      redirect_uri: callback.redirectUri,
      code_verifier: verifier,
    });
    if (exchanged.status === 401) throw this.#clientRejected('Exchanging the sign-in code', exchanged);
    if (exchanged.status !== 200) {
      throw new PingOneAuthError(
        `Exchanging the sign-in code failed with ${exchanged.status} ${this.#text(exchanged.body.error ?? '')}: ${this.#text(exchanged.body.error_description ?? '')}. Sign in again.`,
        { status: exchanged.status },
      );
    }
    return this.#accept(exchanged.body);
  }

  /** A value from a token endpoint answer, fit for a message: it may echo a credential. */
  #text(value: unknown): string {
    return this.#s.redactor.redact(String(value));
  }

  #accept(body: Record<string, unknown>): string {
    const accessToken = typeof body.access_token === 'string' ? body.access_token : undefined;
    if (!accessToken) throw new PingOneAuthError('PingOne answered the token request without an access token.');
    const refreshToken = typeof body.refresh_token === 'string' ? body.refresh_token : this.#tokens.refreshToken;
    this.#s.redactor.add(accessToken);
    this.#s.redactor.add(refreshToken);
    const lifetime = typeof body.expires_in === 'number' ? body.expires_in : 3600;
    this.#tokens = { accessToken, accessTokenExpiresAt: Date.now() + lifetime * 1000, ...(refreshToken ? { refreshToken } : {}) };
    this.#s.store.save(this.#tokens);
    return accessToken;
  }

  /** 401 invalid_client: the configured method or secret doesn't match the application in PingOne. */
  #clientRejected(what: string, response: { status: number; body: Record<string, unknown> }): PingOneAuthError {
    const method = this.#s.tokenEndpointAuthMethod;
    return new PingOneAuthError(
      `${what} failed with 401 ${valueText(response.body.error ?? '')}: ${this.#s.redactor.redact(valueText(response.body.error_description ?? ''))}. ` +
        `The client authenticated with ${method}; set interactive.tokenEndpointAuthMethod to the application's Token Endpoint Authentication Method in PingOne (none for a native app, client_secret_basic, client_secret_post or client_secret_jwt with the web app's secret, private_key_jwt with its private key).`,
      { status: response.status, oauthError: valueText(response.body.error ?? '') },
    );
  }

  /**
   * Client authentication as the application is configured: form fields, the Basic header (RFC 6749 §2.3.1), or a
   * client assertion whose audience is the endpoint called (RFC 7523; PingOne accepts the endpoint's full URL).
   */
  async #authenticate(fields: Record<string, string>, url: string): Promise<{ form: URLSearchParams; headers: Record<string, string> }> {
    const { clientId, clientSecret, tokenEndpointAuthMethod: method, assertion } = this.#s;
    if (assertion)
      return { form: new URLSearchParams({ ...fields, ...(await assertionFields(assertion, url, this.#s.redactor)) }), headers: {} };
    if (method === 'client_secret_basic') {
      const encode = (v: string) => encodeURIComponent(v).replace(/%20/g, '+');
      const basic = Buffer.from(`${encode(clientId)}:${encode(clientSecret ?? '')}`).toString('base64');
      this.#s.redactor.add(basic);
      return { form: new URLSearchParams(fields), headers: { authorization: `Basic ${basic}` } };
    }
    const secret: Record<string, string> = method === 'client_secret_post' ? { client_secret: clientSecret ?? '' } : {};
    return { form: new URLSearchParams({ ...fields, client_id: clientId, ...secret }), headers: {} };
  }

  async #post(endpoint: 'token' | 'revoke', fields: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
    const url = `${this.#s.authorizationServer}/${endpoint}`;
    const { form, headers } = await this.#authenticate(fields, url);
    try {
      const response = await send({
        method: 'POST',
        url,
        headers: {
          ...headers,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
          'user-agent': this.#s.userAgent,
        },
        body: form.toString(),
        timeoutMs: this.#s.timeoutMs,
      });
      this.#s.logger?.debug?.(`PingOne ${endpoint} POST ${url} → ${response.status}`);
      let body: Record<string, unknown> = {};
      try {
        body = response.body ? (JSON.parse(response.body) as Record<string, unknown>) : {};
      } catch {
        // not JSON: the status says enough
      }
      return { status: response.status, body };
    } catch (error) {
      if (error instanceof TransportError) throw transportFailureError(error, 'POST', url, this.#s.timeoutMs);
      throw new PingOneAuthError(`Could not reach PingOne's auth server at ${url}. Check network access.`, { cause: error });
    }
  }
}
