import { inspect } from 'node:util';
import { redactPatterns } from './redact';
import type { NetworkFailureKind } from './http/network-failure';

export type PingOneErrorCode =
  | 'API_ERROR'
  | 'NETWORK_ERROR'
  | 'TIMEOUT'
  | 'OUTCOME_UNKNOWN'
  | 'CONFIG_ERROR'
  | 'AUTH_ERROR'
  | 'ABORTED'
  | 'INVALID_RESPONSE'
  | 'INVALID_ARGUMENT'
  | 'OFF_ORIGIN_LINK'
  | 'REQUEST_TOO_LARGE'
  | 'RESPONSE_TOO_LARGE';

const URL_HEAD = 160;
const URL_TAIL = 24;

/**
 * A URL short enough for a message: long ones (a filter of thousands of ids, a 1 MB value) keep their start and end
 * and say how much was cut, so a 414/431 doesn't produce a megabyte of error text. The full URL stays on `url`.
 */
export function urlForMessage(url: string): string {
  return cutText(url);
}

/** Any long text (URLs, filter values, ids) as a message shows it: its start and end, and how much was cut. */
export function cutText(text: string, head = URL_HEAD, tail = URL_TAIL): string {
  if (text.length <= head + tail + 40) return text;
  return `${text.slice(0, head)}…[${text.length - head - tail} characters cut]…${text.slice(-tail)}`;
}

/** One entry of PingOne's `details[]`. */
export interface PingOneErrorDetail {
  readonly code: string;
  readonly target?: string;
  readonly message: string;
  readonly innerError?: Readonly<Record<string, unknown>>;
}

/**
 * Base class of every error this package throws. `code` is the stable discriminant to branch on; messages say
 * what happened, why, and what to do. Secrets never appear in messages (callers redact registered secrets, and
 * credential shapes are scrubbed here once more); `cause` is hidden from `util.inspect` and JSON output, since it
 * may carry request internals such as the Authorization header.
 */
export class PingOneError extends Error {
  readonly code: PingOneErrorCode;

  constructor(code: PingOneErrorCode, message: string, options?: { cause?: unknown }) {
    super(redactPatterns(message));
    this.name = new.target.name;
    this.code = code;
    if (options && 'cause' in options) Object.defineProperty(this, 'cause', { value: options.cause, enumerable: false, writable: true });
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, ...Object.fromEntries(Object.entries(this).filter(([key]) => key !== 'cause')) };
  }

  [inspect.custom](): string {
    const own: [string, unknown][] = Object.entries(this);
    const fields = own
      .filter(([key]) => key !== 'cause')
      .map(([key, value]) => [key, key === 'url' && typeof value === 'string' ? urlForMessage(value) : value]);
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
  /** The response's informational headers (content-type, cache-control, correlation-id), as ApiResult has them. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(init: {
    status: number;
    apiCode?: string;
    errorId?: string;
    apiMessage?: string;
    details?: readonly PingOneErrorDetail[];
    method: string;
    url: string;
    correlationId?: string;
    retryAfterSeconds?: number;
    hint?: string;
    headers?: Readonly<Record<string, string>>;
  }) {
    // Callers pass strings already redacted; the constructor still scrubs credential shapes from each of them.
    const details = (init.details ?? []).map(redactDetail);
    const detail = details.map((d) => `${d.target ? `${d.target}: ` : ''}${d.message}`).join('; ');
    super(
      'API_ERROR',
      `PingOne ${init.method} ${urlForMessage(init.url)} failed with ${init.status}${init.apiCode ? ` ${init.apiCode}` : ''}: ` +
        `${init.apiMessage ?? 'no error body'}${detail ? ` (${detail})` : ''}` +
        `${init.hint ? `. ${init.hint}` : ''}${init.correlationId ? ` [correlation-id ${init.correlationId}]` : ''}`,
    );
    this.status = init.status;
    this.apiCode = init.apiCode === undefined ? undefined : redactPatterns(init.apiCode);
    this.apiMessage = init.apiMessage === undefined ? undefined : redactPatterns(init.apiMessage);
    this.errorId = init.errorId === undefined ? undefined : redactPatterns(init.errorId);
    this.details = details;
    this.method = init.method;
    this.url = redactPatterns(init.url);
    this.correlationId = init.correlationId === undefined ? undefined : redactPatterns(init.correlationId);
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.headers = Object.freeze({ ...(init.headers ?? {}) });
  }

  /** The detail codes, e.g. ['UNIQUENESS_VIOLATION'] */
  get detailCodes(): readonly string[] {
    return this.details.map((d) => d.code);
  }
}

function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactPatterns(value);
  if (depth > 8 || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [redactPatterns(k), redactValue(v, depth + 1)]));
}

function redactDetail(d: PingOneErrorDetail): PingOneErrorDetail {
  return redactValue(d) as PingOneErrorDetail;
}

/**
 * The request failed before PingOne answered: `failure` says how (DNS, refused or reset connection, unreachable
 * network, TLS). Nothing was refused by PingOne: it never saw the request, or its answer never arrived.
 */
export class PingOneNetworkError extends PingOneError {
  readonly method: string;
  readonly url: string;
  readonly failure: NetworkFailureKind;
  constructor(method: string, url: string, reason: string, cause?: unknown, failure: NetworkFailureKind = 'other') {
    super(
      'NETWORK_ERROR',
      `PingOne ${method} ${urlForMessage(url)} failed before PingOne answered: ${reason}. The request was retried where that is safe.`,
      { cause },
    );
    this.method = method;
    this.url = url;
    this.failure = failure;
  }
}

export class PingOneTimeoutError extends PingOneError {
  readonly method: string;
  readonly url: string;
  readonly timeoutMs: number;
  constructor(method: string, url: string, timeoutMs: number, cause?: unknown) {
    super(
      'TIMEOUT',
      `PingOne ${method} ${urlForMessage(url)} got no complete answer within ${timeoutMs} ms. Raise timeoutMs, or check PingOne's status.`,
      { cause },
    );
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
    super(
      'OUTCOME_UNKNOWN',
      `PingOne ${method} ${urlForMessage(url)} was sent but its answer was lost, so it may or may not have been applied. It was not retried, to avoid applying it twice: read the resource back (for a user, look it up by username) before repeating the request.`,
      { cause },
    );
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
    this.oauthError = init.oauthError === undefined ? undefined : redactPatterns(init.oauthError);
  }
}

export class PingOneAbortError extends PingOneError {
  constructor(method: string, url: string) {
    super('ABORTED', `PingOne ${method} ${urlForMessage(url)} was aborted by the caller's AbortSignal.`);
  }
}

/**
 * A value that can't be a PingOne id (`..`, `a/b`, a NUL, a lone surrogate, 5,000 characters) was given where one
 * goes into a request path: refused before anything is sent. A driver reads it as "no such row".
 */
export class PingOneInvalidIdError extends PingOneError {
  /** what was expected, e.g. "id" or "group id" */
  readonly what: string;

  constructor(id: unknown, what: string, why: string) {
    const shown = typeof id === 'string' ? JSON.stringify(cutText(id, 40, 8)) : typeof id;
    super(
      'INVALID_ARGUMENT',
      `Refusing to send a request for the ${what} ${shown}: ${why}. PingOne ids are UUIDs; pass the resource's id as PingOne returned it.`,
    );
    this.what = what;
  }
}

/**
 * A response body over the client option maxResponseBytes (by its content-length, or while it streamed in): the
 * connection was closed without reading the rest, so a 700 MB (or endless) answer costs at most the limit in memory.
 */
export class PingOneResponseTooLargeError extends PingOneError {
  readonly method: string;
  readonly url: string;
  readonly maxResponseBytes: number;

  constructor(method: string, url: string, limit: number, received: number, declared: number | undefined) {
    const size =
      declared !== undefined
        ? `declared ${declared} bytes (content-length)`
        : `sent more than ${limit} bytes (reading stopped at ${received})`;
    super(
      'RESPONSE_TOO_LARGE',
      `PingOne ${method} ${urlForMessage(url)} answered with a body that ${size}, over the client option maxResponseBytes (${limit} bytes); the connection was closed without reading the rest. ` +
        "PingOne's largest page (1000 users of at most 16 KB) is far below the default of 64 MiB, so a proxy, a wrong apiUrl or a misbehaving server is answering. " +
        'Check apiUrl and any proxy; raise maxResponseBytes only if such answers are expected.',
    );
    this.method = method;
    this.url = url;
    this.maxResponseBytes = limit;
  }
}
