import { inspect } from 'node:util';
import type { ResolvedConfig } from '../config/resolve-config';
import {
  PingOneAbortError,
  PingOneNetworkError,
  PingOneOutcomeUnknownError,
  PingOneResponseTooLargeError,
  PingOneTimeoutError,
  type PingOneError,
} from '../errors';
import { redactUrl, type SecretRedactor } from '../redact';
import type { TokenProvider } from '../auth/token-provider';
import type { RequestLimiter } from './rate-limiter';
import type { CancelScope } from './cancel-scope';
import { computeRetryDelay, IDEMPOTENT_METHODS, mayRetry, parseRetryAfter, RETRYABLE_STATUSES } from './retry-policy';
import { send, TransportError, type RawRequest, type RawResponse } from './transport';
import { assertUrlWithinBudget, cutText } from './url-budget';
import { assertApiOrigin } from '../paging/link-origin';
import type { ServerClock } from './server-clock';
import { asError } from '../as-error';
import { apiError, header, isInvalidToken, parseApiBody, resultHeaders } from './api-response';

export interface RequestOptions {
  readonly signal?: AbortSignal;
  /** Per-attempt timeout for this call, overriding the client's `timeoutMs`. */
  readonly timeoutMs?: number;
}

export interface ApiCall {
  readonly method: RawRequest['method'];
  /** An absolute URL (a `_links` href) or a path below `/environments/{environmentId}`. */
  readonly url: string;
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  readonly body?: unknown;
  readonly contentType?: string;
}

export interface ApiResult {
  readonly status: number;
  readonly body: unknown;
  /** The response's informational headers (content-type, cache-control, correlation-id), lower-cased; never cookies. */
  readonly headers: Readonly<Record<string, string>>;
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(asError(signal.reason));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(asError(signal?.reason));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The caller stops waiting when its signal aborts; the work itself goes on (a token fetch is shared by every
 * waiting request, so one caller's Ctrl-C must not cancel it for the others).
 */
function untilAborted<T>(work: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return work;
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(asError(signal.reason));
    const onAbort = () => reject(asError(signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(asError(error));
      },
    );
  });
}

/**
 * Sends management API requests: client-side limits, bearer token (one refresh on 401 INVALID_TOKEN), retries
 * of transient failures for idempotent methods, errors mapped to PingOneError subclasses, one log line per attempt.
 */
export class ApiRequester {
  // Private fields (not TypeScript `private`), so no serializer walking a client reaches the config's secret.
  readonly #config: ResolvedConfig;
  readonly #tokens: TokenProvider;
  readonly #limiter: RequestLimiter | undefined;
  readonly #redactor: SecretRedactor;
  readonly #cancelScope: CancelScope | undefined;
  readonly #clock: ServerClock | undefined;

  constructor(
    config: ResolvedConfig,
    tokens: TokenProvider,
    limiter: RequestLimiter | undefined,
    redactor: SecretRedactor,
    cancelScope?: CancelScope,
    clock?: ServerClock,
  ) {
    this.#config = config;
    this.#clock = clock;
    this.#tokens = tokens;
    this.#limiter = limiter;
    this.#redactor = redactor;
    this.#cancelScope = cancelScope;
  }

  private get config(): ResolvedConfig {
    return this.#config;
  }
  private get tokens(): TokenProvider {
    return this.#tokens;
  }
  private get limiter(): RequestLimiter | undefined {
    return this.#limiter;
  }
  private get redactor(): SecretRedactor {
    return this.#redactor;
  }
  private get cancelScope(): CancelScope | undefined {
    return this.#cancelScope;
  }

  toJSON(): Record<string, unknown> {
    return { environmentId: this.#config.environmentId };
  }

  [inspect.custom](): string {
    return `ApiRequester { environmentId: '${this.#config.environmentId}' }`;
  }

  /** The request budget in URL characters (client option maxUrlLength). */
  get maxUrlLength(): number {
    return this.config.maxUrlLength;
  }

  /** A path from the API root (`/roles`, `/environments`, `/organizations/{id}/licenses`) as an absolute URL. */
  rootUrl(path: string): string {
    return `${this.config.apiUrl}${path}`;
  }

  /** The most pages one list may take (client option maxPages; see PageGuard). */
  get maxPages(): number {
    return this.config.maxPages;
  }

  /** A request's URL as messages show it: without credentials, long ones cut. */
  shownUrl(call: Pick<ApiCall, 'url' | 'query'>): string {
    return cutText(redactUrl(this.url(call)));
  }

  url(call: Pick<ApiCall, 'url' | 'query'>): string {
    const absolute = /^[a-z][a-z0-9+.-]*:/i.test(call.url);
    if (absolute) assertApiOrigin(call.url, this.config.apiUrl);
    const base = absolute ? call.url : `${this.config.apiUrl}/environments/${this.config.environmentId}${call.url}`;
    const params = Object.entries(call.query ?? {}).filter((e): e is [string, string | number] => e[1] !== undefined);
    if (params.length === 0) return base;
    const query = params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');
    return `${base}${base.includes('?') ? '&' : '?'}${query}`;
  }

  async request(call: ApiCall, given: RequestOptions = {}): Promise<ApiResult> {
    // A per-request signal (never the scope's own) so listeners added by the limiter and got leave with the request.
    const signals = [...(given.signal ? [given.signal] : []), ...(this.cancelScope ? [this.cancelScope.signal] : [])];
    const options: RequestOptions = signals.length === 0 ? given : { ...given, signal: AbortSignal.any(signals) };
    const url = this.url(call);
    const redacted = redactUrl(url);
    assertUrlWithinBudget(call.method, url, redacted, this.config.maxUrlLength);
    const shownUrl = cutText(redacted);
    const started = Date.now();
    const body = call.body === undefined ? undefined : JSON.stringify(call.body);
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      if (options.signal?.aborted) throw new PingOneAbortError(call.method, shownUrl);
      let response: RawResponse;
      let token: string;
      let sentAt: number;
      const release = this.limiter
        ? await this.limiter.acquire(options.signal).catch(() => {
            throw new PingOneAbortError(call.method, shownUrl);
          })
        : undefined;
      const attemptStarted = Date.now();
      try {
        token = await untilAborted(this.tokens.getToken(options.signal ? { signal: options.signal } : {}), options.signal).catch(
          (error: unknown) => {
            throw options.signal?.aborted ? new PingOneAbortError(call.method, shownUrl) : error;
          },
        );
        sentAt = this.#clock?.now() ?? 0;
        response = await send({
          method: call.method,
          url,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            'user-agent': this.config.userAgent,
            // PingOne's bodiless operations (password forceChange, account unlock) are told apart by content type alone
            ...(body !== undefined || call.contentType !== undefined ? { 'content-type': call.contentType ?? 'application/json' } : {}),
          },
          ...(body !== undefined ? { body } : {}),
          timeoutMs: options.timeoutMs ?? this.config.timeoutMs,
          maxResponseBytes: this.config.maxResponseBytes,
          ...(options.signal ? { signal: options.signal } : {}),
        });
      } catch (error) {
        release?.();
        if (!(error instanceof TransportError)) throw error;
        const failure = this.#transportFailure(error, call.method, shownUrl, options);
        this.#log(
          'warn',
          `PingOne ${call.method} ${shownUrl} → ${error.failure.kind} after ${Date.now() - attemptStarted} ms (attempt ${attempt})`,
        );
        const delay = computeRetryDelay(attempt, undefined, this.config.retry);
        if (failure.retryable && mayRetry(attempt, Date.now() - started, delay, this.config.retry)) {
          await abortableSleep(delay, options.signal).catch(() => {
            throw new PingOneAbortError(call.method, shownUrl);
          });
          continue;
        }
        throw failure.error;
      }
      release?.();
      this.#clock?.observe(header(response, 'date'), sentAt, this.#clock.now());
      this.#log(
        response.status >= 400 ? 'warn' : 'debug',
        `PingOne ${call.method} ${shownUrl} → ${response.status} in ${Date.now() - attemptStarted} ms (attempt ${attempt})`,
        {
          status: response.status,
          correlationId: header(response, 'correlation-id'),
        },
      );
      if (response.status === 401 && !refreshed && isInvalidToken(response.body)) {
        // The token expired or was revoked early: fetch a new one and repeat once (this is not a retry).
        this.tokens.invalidate(token);
        refreshed = true;
        attempt--;
        continue;
      }
      if (response.status < 400)
        return {
          status: response.status,
          body: parseApiBody(response, call.method, shownUrl, this.redactor),
          headers: resultHeaders(response),
        };
      const retryAfterMs = parseRetryAfter(response.headers['retry-after']);
      const delay = computeRetryDelay(attempt, retryAfterMs, this.config.retry);
      // A 429 means PingOne refused the request unprocessed, so even a POST may be sent again.
      const repeatable = IDEMPOTENT_METHODS.has(call.method) || response.status === 429;
      // PingOne counts per environment and source IP: every request of this limiter (every process, with a shared store) waits it out.
      if (response.status === 429) this.limiter?.backOff(delay);
      if (repeatable && RETRYABLE_STATUSES.has(response.status) && mayRetry(attempt, Date.now() - started, delay, this.config.retry)) {
        await abortableSleep(delay, options.signal).catch(() => {
          throw new PingOneAbortError(call.method, shownUrl);
        });
        continue;
      }
      throw apiError(response, call.method, shownUrl, retryAfterMs, this.redactor);
    }
  }

  #transportFailure(
    error: TransportError,
    method: string,
    url: string,
    options: RequestOptions,
  ): { error: PingOneError; retryable: boolean } {
    const f = error.failure;
    if (f.kind === 'aborted') return { error: new PingOneAbortError(method, url), retryable: false };
    if (f.kind === 'too-large')
      return { error: new PingOneResponseTooLargeError(method, url, f.limit, f.received, f.declared), retryable: false };
    const safe = IDEMPOTENT_METHODS.has(method) || !f.sent;
    if (!safe) return { error: new PingOneOutcomeUnknownError(method, url, f.cause), retryable: false };
    const wrapped =
      f.kind === 'timeout'
        ? new PingOneTimeoutError(method, url, options.timeoutMs ?? this.config.timeoutMs, f.cause)
        : new PingOneNetworkError(method, url, this.redactor.redact(f.reason), f.cause, f.network);
    return { error: wrapped, retryable: true };
  }

  #log(level: 'debug' | 'warn', message: string, fields?: Record<string, unknown>): void {
    const logger = this.config.logger;
    if (!logger) return;
    const line = this.redactor.redact(message);
    if (level === 'warn') logger.warn?.(line, fields);
    else logger.debug?.(line, fields);
  }
}
