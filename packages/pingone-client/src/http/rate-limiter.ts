import { asError } from '../as-error';

/** What the request layer asks of a limiter, in-process or shared between processes (shared-rate-limiter.ts). */
export interface RequestLimiter {
  /** Waits for a start (rate) and a slot (concurrency); call the returned function when the request ended. */
  acquire(signal?: AbortSignal): Promise<() => void>;
  /** PingOne answered 429 with Retry-After: no request of this limiter starts for `ms`. */
  backOff(ms: number): void;
  close(): void;
}

/**
 * A client-side limiter: request starts are paced at `requestsPerSecond` by a token bucket, and at most
 * `maxConcurrent` requests are in flight. The bucket holds only a tenth of a second's worth, so no one-second window
 * (how servers count) ever sees more than 1.1 × the rate. Waiters are served in order; an aborted waiter leaves.
 */
export class RateLimiter implements RequestLimiter {
  readonly #rate: number;
  readonly #maxConcurrent: number;
  readonly #capacity: number;
  #tokens: number;
  #last = Date.now();
  #inFlight = 0;
  readonly #queue: { resolve: (release: () => void) => void; reject: (e: unknown) => void }[] = [];
  #timer: NodeJS.Timeout | undefined;
  #pausedUntil = 0;

  constructor(requestsPerSecond: number, maxConcurrent: number) {
    this.#rate = requestsPerSecond;
    this.#maxConcurrent = maxConcurrent;
    this.#capacity = Math.max(1, Math.ceil(requestsPerSecond / 10));
    this.#tokens = this.#capacity;
  }

  acquire(signal?: AbortSignal): Promise<() => void> {
    return new Promise((resolve, reject) => {
      // The abort listener goes once the waiter is served: a long-lived signal must not collect one per request.
      const onAbort = () => {
        const index = this.#queue.indexOf(waiter);
        if (index >= 0) {
          this.#queue.splice(index, 1);
          reject(asError(signal?.reason));
        }
      };
      const waiter = {
        resolve: (release: () => void) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
        reject,
      };
      this.#queue.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#drain();
    });
  }

  /** After a 429: every waiter (not only the request that got it) holds back until Retry-After has passed. */
  backOff(ms: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, Date.now() + ms);
    this.#tokens = 0;
  }

  close(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #refill(): void {
    const now = Date.now();
    this.#tokens = Math.min(this.#capacity, this.#tokens + ((now - this.#last) / 1000) * this.#rate);
    this.#last = now;
  }

  #drain(): void {
    this.#refill();
    const paused = this.#pausedUntil - Date.now();
    if (paused > 0) {
      if (this.#queue.length > 0 && this.#timer === undefined) {
        this.#timer = setTimeout(() => {
          this.#timer = undefined;
          this.#drain();
        }, paused);
      }
      return;
    }
    while (this.#queue.length > 0 && this.#inFlight < this.#maxConcurrent && this.#tokens >= 1) {
      this.#tokens -= 1;
      this.#inFlight++;
      const waiter = this.#queue.shift()!;
      let released = false;
      waiter.resolve(() => {
        if (released) return;
        released = true;
        this.#inFlight--;
        this.#drain();
      });
    }
    if (this.#queue.length > 0 && this.#inFlight < this.#maxConcurrent && this.#timer === undefined) {
      const wait = Math.ceil(((1 - this.#tokens) / this.#rate) * 1000);
      this.#timer = setTimeout(
        () => {
          this.#timer = undefined;
          this.#drain();
        },
        Math.max(1, wait),
      );
    }
  }
}
