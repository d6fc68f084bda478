export interface RequestMatcher {
  readonly method?: string;
  readonly path?: string | RegExp;
}

/**
 * A custom error body for an injected failure. In every string, `{authorization}` becomes the request's
 * Authorization header, `{credential}` its credential part (bearer token or base64 Basic pair) and
 * `{client_secret}` a client_secret form field: a server or proxy that echoes credentials, for redaction tests.
 */
export type FaultBody = Readonly<Record<string, unknown>>;

export interface InjectedFailure extends RequestMatcher {
  readonly status: number;
  readonly retryAfterSeconds?: number;
  /** Replaces the status's usual PingOne error body (`id` is added when missing). */
  readonly body?: FaultBody;
}

export interface TokenFailure {
  readonly status: number;
  /** Replaces `{ error, error_description }`; placeholders as in FaultBody. */
  readonly body?: FaultBody;
}

export interface RateLimit {
  readonly requestsPerSecond: number;
  readonly retryAfterSeconds?: number;
}

/** Faults tests switch on (from code, or over HTTP through /__simulator/faults). */
export interface FaultControls {
  failNext(count: number, fault: InjectedFailure): void;
  cutNext(count: number, options?: RequestMatcher): void;
  setLatency(ms: number): void;
  setRateLimit(limit: RateLimit | undefined): void;
  failTokenEndpoint(count: number, status?: number, body?: FaultBody): void;
  expireAllTokens(): void;
  revokeToken(accessToken: string): void;
  /**
   * From now on, refuse a filter cell as a PingOne without it would (400 INVALID_FILTER): `('users', 'name.given co')`,
   * `('users', 'custom co')`, or a membership shape by name. `allowFilterCell` undoes it; `reset()` clears them all.
   */
  refuseFilterCell(resource: 'users' | 'groups' | 'populations' | 'memberships', cell: string): void;
  allowFilterCell(resource: 'users' | 'groups' | 'populations' | 'memberships', cell: string): void;
  reset(): void;
}

interface Pending<T> {
  remaining: number;
  readonly value: T;
}

function matches(matcher: RequestMatcher, method: string, path: string): boolean {
  if (matcher.method && matcher.method.toUpperCase() !== method) return false;
  if (matcher.path === undefined) return true;
  return typeof matcher.path === 'string' ? path.includes(matcher.path) : matcher.path.test(path);
}

/** The mutable fault state behind FaultControls; the server asks it what to do with each request. */
export class FaultState {
  latencyMs = 0;
  #failures: Pending<InjectedFailure>[] = [];
  #cuts: Pending<RequestMatcher>[] = [];
  #tokenFailures: Pending<TokenFailure>[] = [];
  #rateLimit: RateLimit | undefined;
  /** `<resource> <cell>` keys the filter validation refuses on top of its matrix */
  readonly refusedCells = new Set<string>();
  #windowStart = 0;
  #windowCount = 0;

  addFailure(count: number, fault: InjectedFailure): void {
    if (count > 0) this.#failures.push({ remaining: count, value: fault });
  }

  addCut(count: number, matcher: RequestMatcher = {}): void {
    if (count > 0) this.#cuts.push({ remaining: count, value: matcher });
  }

  addTokenFailure(count: number, status: number, body?: FaultBody): void {
    if (count > 0) this.#tokenFailures.push({ remaining: count, value: body === undefined ? { status } : { status, body } });
  }

  setRateLimit(limit: RateLimit | undefined): void {
    if (limit && !(limit.requestsPerSecond > 0)) throw new RangeError('setRateLimit: requestsPerSecond must be a positive number.');
    this.#rateLimit = limit;
    this.#windowStart = 0;
    this.#windowCount = 0;
  }

  takeFailure(method: string, path: string): InjectedFailure | undefined {
    return take(this.#failures, (f) => matches(f, method, path));
  }

  takeCut(method: string, path: string): boolean {
    return take(this.#cuts, (m) => matches(m, method, path)) !== undefined;
  }

  takeTokenFailure(): TokenFailure | undefined {
    return take(this.#tokenFailures, () => true);
  }

  /** Seconds to wait when the request exceeds the rate limit (a fixed one-second window), else undefined. */
  rateLimited(now = Date.now()): number | undefined {
    const limit = this.#rateLimit;
    if (!limit) return undefined;
    if (now - this.#windowStart >= 1000) {
      this.#windowStart = now;
      this.#windowCount = 0;
    }
    this.#windowCount++;
    if (this.#windowCount <= limit.requestsPerSecond) return undefined;
    return limit.retryAfterSeconds ?? Math.max(1, Math.ceil((this.#windowStart + 1000 - now) / 1000));
  }

  reset(): void {
    this.latencyMs = 0;
    this.#failures = [];
    this.#cuts = [];
    this.#tokenFailures = [];
    this.refusedCells.clear();
    this.setRateLimit(undefined);
  }
}

function take<T>(queue: Pending<T>[], accept: (value: T) => boolean): T | undefined {
  const entry = queue.find((e) => e.remaining > 0 && accept(e.value));
  if (!entry) return undefined;
  entry.remaining--;
  if (entry.remaining <= 0) queue.splice(queue.indexOf(entry), 1);
  return entry.value;
}

/** A fault body with its placeholders filled from the request (see FaultBody). */
export function renderFaultBody(
  body: FaultBody,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  requestBody: unknown,
): Record<string, unknown> {
  const authorization = [headers.authorization].flat()[0] ?? '';
  const credential = authorization.replace(/^\S+\s+/, '');
  const form = typeof requestBody === 'object' && requestBody !== null ? (requestBody as Record<string, unknown>) : {};
  const secret = typeof form.client_secret === 'string' ? form.client_secret : '';
  const fill = (value: unknown): unknown => {
    if (typeof value === 'string')
      return value
        .split('{authorization}')
        .join(authorization)
        .split('{credential}')
        .join(credential)
        .split('{client_secret}')
        .join(secret);
    if (Array.isArray(value)) return value.map(fill);
    if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v)]));
    return value;
  };
  return fill(body) as Record<string, unknown>;
}
