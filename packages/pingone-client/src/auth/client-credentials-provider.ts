import { inspect } from 'node:util';
import { PingOneAuthError, PingOneError } from '../errors';
import type { PingOneLogger } from '../config/client-options';
import { send, TransportError } from '../http/transport';
import { transportFailureError } from '../http/transport-failure-error';
import { computeRetryDelay, RETRYABLE_STATUSES } from '../http/retry-policy';
import type { SecretRedactor } from '../redact';
import type { TokenProvider } from './token-provider';
import type { SharedTokenStore } from './token-store-shared';
import { assertionFields, type AssertionCredentials } from './client-assertion';

export interface ClientCredentialsSettings {
  readonly tokenUrl: string;
  readonly clientId: string;
  /** the worker's secret (none with private_key_jwt) */
  readonly clientSecret: string | undefined;
  readonly method: 'client_secret_basic' | 'client_secret_post' | 'client_secret_jwt' | 'private_key_jwt';
  /** with client_secret_jwt or private_key_jwt: how each request's client assertion is signed */
  readonly assertion?: AssertionCredentials;
  readonly timeoutMs: number;
  readonly userAgent: string;
  readonly redactor: SecretRedactor;
  readonly logger: PingOneLogger | undefined;
  /** Refresh this long before expiry, so a token never expires in flight. Default 60 s. */
  readonly skewMs?: number;
  /** Shares the token with other processes (rateLimit.store.shareWorkerToken). */
  readonly shared?: SharedTokenStore;
}

const TOKEN_ATTEMPTS = 4;

/**
 * OAuth client credentials for a worker app (pingone-api.md §2), authenticated the way the app is configured: the
 * Basic header, form fields, or an RFC 7523 client assertion (client_secret_jwt, private_key_jwt; a new one for every
 * attempt). The token is cached until `skewMs` before it expires; concurrent callers share one refresh in flight; a
 * rejected token is dropped and fetched anew once.
 */
export class ClientCredentialsProvider implements TokenProvider {
  readonly #settings: ClientCredentialsSettings;
  #token: { value: string; expiresAt: number } | undefined;
  #inFlight: Promise<string> | undefined;

  constructor(settings: ClientCredentialsSettings) {
    this.#settings = settings;
    if (settings.clientSecret !== undefined) settings.redactor.addBasic(settings.clientId, settings.clientSecret);
  }

  toJSON(): Record<string, unknown> {
    return { tokenUrl: this.#settings.tokenUrl, clientId: this.#settings.clientId, method: this.#settings.method };
  }

  [inspect.custom](): string {
    return `ClientCredentialsProvider ${inspect(this.toJSON())}`;
  }

  async getToken(): Promise<string> {
    const skew = this.#settings.skewMs ?? 60_000;
    if (this.#token && this.#token.expiresAt - skew > Date.now()) return this.#token.value;
    // One fetch for everyone waiting; the token request itself is not tied to any one caller's AbortSignal.
    this.#inFlight ??= this.#obtain(skew).finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  invalidate(token: string): void {
    if (this.#token?.value === token) this.#token = undefined;
    void this.#settings.shared?.drop(token);
  }

  /** Another process's token when one is shared and still fresh, else a new one (then shared). */
  async #obtain(skew: number): Promise<string> {
    const shared = await this.#settings.shared?.load();
    if (shared && shared.expiresAt - skew > Date.now()) {
      this.#settings.redactor.add(shared.value);
      this.#token = shared;
      return shared.value;
    }
    const value = await this.#fetch();
    if (this.#token) await this.#settings.shared?.save(this.#token, skew);
    return value;
  }

  async #fetch(): Promise<string> {
    const { tokenUrl, clientId, clientSecret, method, assertion } = this.#settings;
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
      'user-agent': this.#settings.userAgent,
    };
    if (method === 'client_secret_basic') {
      headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret ?? '')}`).toString('base64')}`;
    }
    const formFor = async (): Promise<URLSearchParams> => {
      const form = new URLSearchParams({ grant_type: 'client_credentials' });
      if (assertion)
        for (const [k, v] of Object.entries(await assertionFields(assertion, tokenUrl, this.#settings.redactor))) form.set(k, v);
      else if (method === 'client_secret_post') {
        form.set('client_id', clientId);
        form.set('client_secret', clientSecret ?? '');
      }
      return form;
    };
    for (let attempt = 1; ; attempt++) {
      const started = Date.now();
      let failure: PingOneError;
      try {
        const response = await send({
          method: 'POST',
          url: tokenUrl,
          headers,
          body: (await formFor()).toString(),
          timeoutMs: this.#settings.timeoutMs,
        });
        this.#settings.logger?.debug?.(
          `PingOne token POST ${tokenUrl} → ${response.status} in ${Date.now() - started} ms (attempt ${attempt})`,
        );
        const body = parseJson(response.body);
        if (response.status === 200 && typeof body.access_token === 'string') {
          const lifetime = typeof body.expires_in === 'number' ? body.expires_in : 3600;
          this.#settings.redactor.add(body.access_token);
          this.#token = { value: body.access_token, expiresAt: Date.now() + lifetime * 1000 };
          return body.access_token;
        }
        // Everything the token endpoint says is redacted: a misbehaving proxy or server may echo the credentials.
        const oauthError = typeof body.error === 'string' ? this.#settings.redactor.redact(body.error) : undefined;
        const description = typeof body.error_description === 'string' ? this.#settings.redactor.redact(body.error_description) : undefined;
        failure = new PingOneAuthError(
          `Getting an access token from ${tokenUrl} failed with ${response.status}${oauthError ? ` ${oauthError}` : ''}${description ? `: ${description}` : ''}. ` +
            (response.status === 401 || oauthError === 'invalid_client'
              ? `Check the worker app's client id and ${assertion?.method === 'private_key_jwt' ? "private key (its public half must be in the app's JWKS, with the same kid)" : 'secret'}, that it lives in this environment, and that its token endpoint auth method is ${method}.`
              : "PingOne's auth service may be unavailable; try again later."),
          { status: response.status, ...(oauthError ? { oauthError } : {}) },
        );
        if (!RETRYABLE_STATUSES.has(response.status)) throw failure;
      } catch (error) {
        if (error instanceof PingOneAuthError && !RETRYABLE_STATUSES.has(error.status ?? 0)) throw error;
        // Not reaching the token endpoint is a network failure or a timeout, named as such: nothing was refused.
        failure =
          error instanceof PingOneError
            ? error
            : error instanceof TransportError
              ? transportFailureError(error, 'POST', tokenUrl, this.#settings.timeoutMs)
              : new PingOneAuthError(
                  `Getting an access token from ${tokenUrl} failed: ${error instanceof Error ? error.message : String(error)}.`,
                  { cause: error },
                );
      }
      if (attempt >= TOKEN_ATTEMPTS) throw failure;
      await new Promise((r) =>
        setTimeout(
          r,
          computeRetryDelay(attempt, undefined, {
            maxAttempts: TOKEN_ATTEMPTS,
            baseDelayMs: 250,
            maxDelayMs: 4000,
            maxRetryAfterMs: 4000,
            maxElapsedMs: 30_000,
          }),
        ),
      );
    }
  }
}

function parseJson(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
