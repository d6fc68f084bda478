import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RedisConnection } from '../store/redis-connection';
import { RateLimiter, type RequestLimiter } from './rate-limiter';
import { asError } from '../as-error';

/** How the shared limit is cut into wall-clock slots (exported for the docs and tests). */
export interface SlotPlan {
  /** length of one slot, ms */
  readonly slotMs: number;
  /** request starts allowed per slot, across every process */
  readonly perSlot: number;
  /** the steady rate this gives, requests per second */
  readonly steadyRate: number;
}

/** Room for the spread between a request's start and its arrival at PingOne (event-loop and network jitter). */
const JITTER_MARGIN = 0.02;

/**
 * Every process counts request starts in the same wall-clock slots (`floor(now / slotMs)`, one Redis counter per slot,
 * through rate-limiter-flexible). A one-second window of PingOne overlaps at most `floor(1000 / slotMs) + 1` slots
 * (a slot that ends inside it and the ones that start in it), so `perSlot` × that never exceeds the configured rate:
 * no one-second window, however it falls, sees more than `requestsPerSecond` starts. The price is about one slot a
 * second (e.g. 20/s gives a steady 18.6/s).
 */
export function planSlots(requestsPerSecond: number): SlotPlan {
  const perSlot = Math.max(1, Math.floor(requestsPerSecond / 20));
  const slotsPerSecond = Math.floor(requestsPerSecond / perSlot) - 1;
  const slotMs = (1000 / slotsPerSecond) * (1 + JITTER_MARGIN);
  return { slotMs, perSlot, steadyRate: (perSlot * 1000) / slotMs };
}

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (reason: unknown) => void;
  readonly signal: AbortSignal | undefined;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(1, ms)));

/**
 * The rate limit shared by every process on one Redis: starts are paced through Redis, concurrency (`maxConcurrent`)
 * stays per process, and a 429 blocks every process until its Retry-After has passed. The only module that imports
 * rate-limiter-flexible. While Redis is away (RedisConnection warns once) the process paces itself with the
 * in-process limiter at the same rate, and goes back to the shared one when Redis answers again.
 */
export class SharedRateLimiter implements RequestLimiter {
  readonly plan: SlotPlan;
  readonly #connection: RedisConnection;
  readonly #key: string;
  readonly #slots: RateLimiterRedis;
  readonly #backoff: RateLimiterRedis;
  readonly #concurrency: RateLimiter;
  readonly #fallback: RateLimiter;
  readonly #queue: Waiter[] = [];
  #pumping = false;

  constructor(connection: RedisConnection, key: string, requestsPerSecond: number, maxConcurrent: number) {
    this.#connection = connection;
    this.#key = key;
    this.plan = planSlots(requestsPerSecond);
    const common = { storeClient: connection.storeClient, rejectIfRedisNotReady: true, keyPrefix: key };
    this.#slots = new RateLimiterRedis({ ...common, points: this.plan.perSlot, duration: 2 });
    this.#backoff = new RateLimiterRedis({ ...common, keyPrefix: `${key}:backoff`, points: 1, duration: 1 });
    // Concurrency only (the rate bound is far above anything configurable), and the in-process fallback pace.
    this.#concurrency = new RateLimiter(1e9, maxConcurrent);
    this.#fallback = new RateLimiter(requestsPerSecond, Number.MAX_SAFE_INTEGER);
  }

  async acquire(signal?: AbortSignal): Promise<() => void> {
    const release = await this.#concurrency.acquire(signal);
    try {
      await this.#start(signal);
      return release;
    } catch (error) {
      release();
      throw error;
    }
  }

  backOff(ms: number): void {
    this.#fallback.backOff(ms);
    if (!this.#connection.available) return;
    this.#backoff.block('all', Math.max(1, Math.ceil(ms / 1000))).catch(() => undefined);
  }

  close(): void {
    this.#concurrency.close();
    this.#fallback.close();
    for (const waiter of this.#queue.splice(0)) waiter.reject(new Error('the PingOne client was closed'));
  }

  async #start(signal: AbortSignal | undefined): Promise<void> {
    if (!(await this.#connection.ready()) || !this.#connection.available) return this.#startLocally(signal);
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const index = this.#queue.indexOf(waiter);
        if (index >= 0) {
          this.#queue.splice(index, 1);
          reject(asError(signal?.reason));
        }
      };
      const waiter: Waiter = {
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        reject,
        signal,
      };
      this.#queue.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
      void this.#pump();
    });
  }

  async #startLocally(signal: AbortSignal | undefined): Promise<void> {
    (await this.#fallback.acquire(signal))();
  }

  /** One poller per process: the head of the queue asks Redis for a start; the others wait their turn in order. */
  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#queue.length > 0) {
        if (!this.#connection.available) {
          for (const waiter of this.#queue.splice(0)) this.#startLocally(waiter.signal).then(waiter.resolve, waiter.reject);
          return;
        }
        const wait = await this.#tryStart();
        if (wait === 0) this.#queue.shift()?.resolve();
        else if (wait > 0) await sleep(wait);
        else {
          // Redis failed this once (a timeout, a dropped connection): this request goes by the in-process pace.
          const waiter = this.#queue.shift();
          if (waiter) this.#startLocally(waiter.signal).then(waiter.resolve, waiter.reject);
        }
      }
    } finally {
      this.#pumping = false;
    }
  }

  /** 0: a start was granted; > 0: ms until the next chance; < 0: Redis failed (the loop then falls back). */
  async #tryStart(): Promise<number> {
    try {
      const blocked = await this.#backoff.get('all');
      if (blocked && blocked.consumedPoints > 1) return blocked.msBeforeNext;
      const slot = Math.floor(Date.now() / this.plan.slotMs);
      await this.#slots.consume(`${slot}`, 1);
      return 0;
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) {
        const next = (Math.floor(Date.now() / this.plan.slotMs) + 1) * this.plan.slotMs;
        return Math.max(1, next - Date.now());
      }
      return -1;
    }
  }

  /** For tests and logs. */
  toJSON(): Record<string, unknown> {
    return { store: 'redis', redis: this.#connection.shownUrl, key: this.#key, ...this.plan };
  }
}
