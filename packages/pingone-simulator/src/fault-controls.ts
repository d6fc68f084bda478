export interface RequestMatcher {
  readonly method?: string;
  readonly path?: string | RegExp;
}

export interface InjectedFailure extends RequestMatcher {
  readonly status: number;
  readonly retryAfterSeconds?: number;
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
  failTokenEndpoint(count: number, status?: number): void;
  expireAllTokens(): void;
  revokeToken(accessToken: string): void;
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
  #tokenFailures: Pending<number>[] = [];
  #rateLimit: RateLimit | undefined;
  #windowStart = 0;
  #windowCount = 0;

  addFailure(count: number, fault: InjectedFailure): void {
    if (count > 0) this.#failures.push({ remaining: count, value: fault });
  }

  addCut(count: number, matcher: RequestMatcher = {}): void {
    if (count > 0) this.#cuts.push({ remaining: count, value: matcher });
  }

  addTokenFailure(count: number, status: number): void {
    if (count > 0) this.#tokenFailures.push({ remaining: count, value: status });
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

  takeTokenFailure(): number | undefined {
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
