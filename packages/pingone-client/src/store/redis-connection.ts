import { Redis } from 'ioredis';
import type { PingOneLogger } from '../config/client-options';
import { redactUrl } from '../redact';

export type RedisArgument = string | number | Buffer;

const PROBE_INTERVAL_MS = 1000;

/**
 * One Redis connection shared by everything in this process that names the same URL (the client's limiter and
 * token cache, the driver's read cache), so an outage is noticed, and warned about, once. The only module that
 * imports ioredis: the rest of the project sees `run()`, `available` and `ready()`.
 *
 * Commands never wait for a lost connection (no offline queue, one attempt, a short command timeout): callers treat a
 * failed command as "Redis is away" and carry on without it, so an outage slows nothing and fails no query.
 */
export class RedisConnection {
  readonly url: string;
  readonly #redis: Redis;
  readonly #logger: PingOneLogger | undefined;
  readonly #firstReady: Promise<boolean>;
  #available = false;
  #warned = false;
  #refs = 1;
  #closed = false;
  #probe: NodeJS.Timeout | undefined;

  constructor(url: string, options: { commandTimeoutMs: number; connectTimeoutMs: number; logger: PingOneLogger | undefined }) {
    this.url = url;
    this.#logger = options.logger;
    this.#redis = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs,
      connectTimeout: options.connectTimeoutMs,
      // Keep trying in the background; each instance resumes sharing by itself when Redis is back.
      retryStrategy: (times) => Math.min(250 * times, 2000),
    });
    this.#firstReady = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.#lost('no answer within the connect timeout');
        resolve(false);
      }, options.connectTimeoutMs);
      this.#redis.once('ready', () => {
        clearTimeout(timer);
        resolve(true);
      });
      this.#redis.once('end', () => {
        clearTimeout(timer);
        resolve(false);
      });
    });
    this.#redis.on('ready', () => this.#back());
    this.#redis.on('error', (error: Error) => this.#lost(error.message));
    this.#redis.on('close', () => this.#lost('connection closed'));
  }

  /** The URL without its password, as messages show it. */
  get shownUrl(): string {
    return redactUrl(this.url);
  }

  /** True while commands can be sent. */
  get available(): boolean {
    return this.#available && !this.#closed;
  }

  /** Resolves once the first connection attempt ended (true: connected), within the connect timeout. */
  ready(): Promise<boolean> {
    return this.#firstReady;
  }

  /** One Redis command; rejects at once when Redis is away (and marks it away). */
  async run(command: string, ...args: RedisArgument[]): Promise<unknown> {
    if (!this.available) throw new Error(`Redis ${this.shownUrl} is not connected`);
    try {
      return await this.#redis.call(command, ...args);
    } catch (error) {
      // A command error (wrong type, script error) is not an outage; a lost or timed-out connection is.
      if (!/ERR|WRONGTYPE|NOSCRIPT/.test(error instanceof Error ? error.message : ''))
        this.#lost(error instanceof Error ? error.message : String(error));
      throw error;
    }
  }

  /** The ioredis client itself, for rate-limiter-flexible (its `storeClient`); nothing else should use it. */
  get storeClient(): unknown {
    return this.#redis;
  }

  #back(): void {
    if (this.#probe) clearInterval(this.#probe);
    this.#probe = undefined;
    const wasWarned = this.#warned;
    this.#available = true;
    this.#warned = false;
    if (wasWarned)
      this.#logger?.info?.(`Redis ${this.shownUrl} is reachable again: the shared rate limit, token and read cache are back in use.`);
  }

  /**
   * A command that timed out leaves the connection open, so no 'ready' event will ever say Redis answers again: ask it
   * (PING each second) while the connection stands; a lost connection's reconnect says it through 'ready' instead.
   */
  #probeWhileConnected(): void {
    if (this.#probe || this.#closed) return;
    this.#probe = setInterval(() => {
      if (this.#closed || this.#redis.status !== 'ready') return;
      this.#redis.ping().then(
        () => {
          if (!this.#closed && !this.#available) this.#back();
        },
        () => undefined,
      );
    }, PROBE_INTERVAL_MS);
    this.#probe.unref();
  }

  #lost(reason: string): void {
    if (this.#closed) return;
    this.#available = false;
    this.#probeWhileConnected();
    if (this.#warned) return;
    this.#warned = true;
    const message =
      `Redis ${this.shownUrl} is unreachable (${reason.slice(0, 200)}): this process now limits its PingOne requests by itself ` +
      '(rateLimit.requestsPerSecond for this process alone, no longer shared), fetches its own worker token and reads PingOne without the read cache, ' +
      'until Redis answers again (it is retried in the background; no query fails because of it). Check the Redis server and the network to it.';
    if (this.#logger?.warn) this.#logger.warn(message);
    else process.emitWarning(message, { code: 'PINGONE_REDIS_UNAVAILABLE' });
  }

  retain(): this {
    this.#refs++;
    return this;
  }

  /** Drops one user; the last one closes the connection (without waiting for an unreachable server). */
  close(): void {
    if (--this.#refs > 0 || this.#closed) return;
    this.#closed = true;
    if (this.#probe) clearInterval(this.#probe);
    OPEN.delete(this.url);
    this.#redis.disconnect();
  }
}

const OPEN = new Map<string, RedisConnection>();

/** The process's connection to `url` (opened on first use); pair each call with one `close()`. */
export function openRedisConnection(
  url: string,
  options: { commandTimeoutMs: number; connectTimeoutMs: number; logger: PingOneLogger | undefined },
): RedisConnection {
  const open = OPEN.get(url);
  if (open) return open.retain();
  const connection = new RedisConnection(url, options);
  OPEN.set(url, connection);
  return connection;
}
