import { inspect } from 'node:util';

export type PingOneErrorCode =
  | 'API_ERROR' | 'NETWORK_ERROR' | 'TIMEOUT' | 'OUTCOME_UNKNOWN' | 'CONFIG_ERROR' | 'AUTH_ERROR' | 'ABORTED' | 'INVALID_RESPONSE';

/** One entry of PingOne's `details[]`. */
export interface PingOneErrorDetail {
  readonly code: string;
  readonly target?: string;
  readonly message: string;
  readonly innerError?: Readonly<Record<string, unknown>>;
}

/**
 * Base class of every error this package throws. `code` is the stable discriminant to branch on; messages say
 * what happened, why, and what to do. Secrets never appear in messages, and `cause` is hidden from
 * `util.inspect` output in case it carries request internals.
 */
export class PingOneError extends Error {
  readonly code: PingOneErrorCode;

  constructor(code: PingOneErrorCode, message: string, options?: { cause?: unknown }) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    if (options && 'cause' in options) Object.defineProperty(this, 'cause', { value: options.cause, enumerable: false, writable: true });
  }

  [inspect.custom](): string {
    const fields = Object.entries(this).filter(([key]) => key !== 'cause');
    const extra = fields.length > 0 ? ` ${inspect(Object.fromEntries(fields), { depth: 4 })}` : '';
    return `${this.name} [${this.code}]: ${this.message}${extra}`;
  }
}

/** PingOne answered with an error status. Branch on `status` class and `apiCode`, as PingOne advises. */
export class PingOneApiError extends PingOneError {
  readonly status: number;
  readonly apiCode: string | undefined;
  /** PingOne's own top-level message, without this client's request line and hints (fit to show an end user). */
  readonly apiMessage: string | undefined;
  readonly errorId: string | undefined;
  readonly details: readonly PingOneErrorDetail[];
  readonly method: string;
  readonly url: string;
  readonly correlationId: string | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(init: {
    status: number; apiCode?: string; errorId?: string; apiMessage?: string; details?: readonly PingOneErrorDetail[];
    method: string; url: string; correlationId?: string; retryAfterSeconds?: number; hint?: string;
  }) {
    const detail = init.details?.map((d) => `${d.target ? `${d.target}: ` : ''}${d.message}`).join('; ');
    super(
      'API_ERROR',
      `PingOne ${init.method} ${init.url} failed with ${init.status}${init.apiCode ? ` ${init.apiCode}` : ''}: ` +
        `${init.apiMessage ?? 'no error body'}${detail ? ` (${detail})` : ''}` +
        `${init.hint ? `. ${init.hint}` : ''}${init.correlationId ? ` [correlation-id ${init.correlationId}]` : ''}`,
    );
    this.status = init.status;
    this.apiCode = init.apiCode;
    this.apiMessage = init.apiMessage;
    this.errorId = init.errorId;
    this.details = init.details ?? [];
    this.method = init.method;
    this.url = init.url;
    this.correlationId = init.correlationId;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }

  /** The detail codes, e.g. ['UNIQUENESS_VIOLATION'] */
  get detailCodes(): readonly string[] {
    return this.details.map((d) => d.code);
  }
}

/** The request failed before PingOne answered (DNS, refused or reset connection, TLS). */
export class PingOneNetworkError extends PingOneError {
  readonly method: string;
  readonly url: string;
  constructor(method: string, url: string, reason: string, cause?: unknown) {
    super('NETWORK_ERROR', `PingOne ${method} ${url} failed: ${reason}. Check network access to PingOne (proxy, DNS, firewall); the request was retried where that is safe.`, { cause });
    this.method = method;
    this.url = url;
  }
}

export class PingOneTimeoutError extends PingOneError {
  readonly method: string;
  readonly url: string;
  readonly timeoutMs: number;
  constructor(method: string, url: string, timeoutMs: number, cause?: unknown) {
    super('TIMEOUT', `PingOne ${method} ${url} got no complete answer within ${timeoutMs} ms. Raise timeoutMs, or check PingOne's status.`, { cause });
    this.method = method;
    this.url = url;
    this.timeoutMs = timeoutMs;
  }
}

/**
 * A non-idempotent request (POST) was sent but its answer was lost (timeout or cut connection): PingOne may or may
 * not have applied it. It is deliberately not retried; read back (e.g. by username) before repeating it.
 */
export class PingOneOutcomeUnknownError extends PingOneError {
  readonly method: string;
  readonly url: string;
  constructor(method: string, url: string, cause: unknown) {
    super('OUTCOME_UNKNOWN', `PingOne ${method} ${url} was sent but its answer was lost, so it may or may not have been applied. It was not retried, to avoid applying it twice: read the resource back (for a user, look it up by username) before repeating the request.`, { cause });
    this.method = method;
    this.url = url;
  }
}

export class PingOneConfigError extends PingOneError {
  constructor(message: string) {
    super('CONFIG_ERROR', `PingOne client configuration: ${message}`);
  }
}

/** Getting an access token failed: wrong client id/secret, wrong auth method, or the token endpoint is down. */
export class PingOneAuthError extends PingOneError {
  readonly status: number | undefined;
  readonly oauthError: string | undefined;
  constructor(message: string, init: { status?: number; oauthError?: string; cause?: unknown } = {}) {
    super('AUTH_ERROR', message, { cause: init.cause });
    this.status = init.status;
    this.oauthError = init.oauthError;
  }
}

export class PingOneAbortError extends PingOneError {
  constructor(method: string, url: string) {
    super('ABORTED', `PingOne ${method} ${url} was aborted by the caller's AbortSignal.`);
  }
}
