import { inspect } from 'node:util';
import { PingOneConfigError } from '../errors';
import { redactUrl } from '../redact';
import type { RedisStoreOptions } from './client-options';
import { checkOptionTypes, shownValue, type OptionShape } from './option-shape';

const STORE_KEYS = ['redis', 'keyPrefix', 'shareWorkerToken', 'encryptionKey', 'commandTimeoutMs', 'connectTimeoutMs'];

/** The type of each Redis store option (checked before any is read). */
export const STORE_SHAPE: OptionShape = {
  redis: 'secret',
  keyPrefix: 'string',
  shareWorkerToken: { object: { encryptionKey: 'key' } },
  encryptionKey: 'key',
  commandTimeoutMs: 'number',
  connectTimeoutMs: 'number',
};

/**
 * What a store is for: the client's rate limit (sharing the worker token allowed, or not for other credentials), or
 * the driver's read cache and transaction journal, whose entries and records are sealed with `encryptionKey`
 * (required).
 */
export type StorePurpose = 'rate-limit' | 'rate-limit-no-token' | 'cache' | 'journal';

/** A checked Redis store. The URL's password and the token key are private fields: JSON and inspect never show them. */
export class ResolvedRedisStore {
  readonly keyPrefix: string;
  readonly commandTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly #url: string;
  readonly #tokenKey: Buffer | undefined;
  readonly #entryKey: Buffer | undefined;

  constructor(
    url: string,
    keyPrefix: string,
    commandTimeoutMs: number,
    connectTimeoutMs: number,
    keys: { token?: Buffer | undefined; entries?: Buffer | undefined },
  ) {
    this.#url = url;
    this.keyPrefix = keyPrefix;
    this.commandTimeoutMs = commandTimeoutMs;
    this.connectTimeoutMs = connectTimeoutMs;
    this.#tokenKey = keys.token;
    this.#entryKey = keys.entries;
    Object.freeze(this);
  }

  /** `encryptionKey` of a cache or journal store: seals the cache's entries (keyed by identity) and the journal's records. */
  get entryKey(): Buffer | undefined {
    return this.#entryKey;
  }

  get url(): string {
    return this.#url;
  }

  get tokenKey(): Buffer | undefined {
    return this.#tokenKey;
  }

  toJSON(): Record<string, unknown> {
    return {
      redis: redactUrl(this.#url),
      keyPrefix: this.keyPrefix,
      shareWorkerToken: this.#tokenKey !== undefined,
      commandTimeoutMs: this.commandTimeoutMs,
    };
  }

  [inspect.custom](): string {
    return `RedisStore ${inspect(this.toJSON())}`;
  }
}

export type ResolvedLimitStore = 'memory' | ResolvedRedisStore;

function fail(message: string): never {
  throw new PingOneConfigError(message);
}

function milliseconds(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 10 || value > 60_000)
    fail(`'${name}' must be a whole number of milliseconds between 10 and 60000; got ${shownValue(value)}.`);
  return value;
}

/** A 32-byte AES key from a Buffer/Uint8Array or a base64/hex string; the message never shows the value. */
function encryptionKey(value: unknown, where: string): Buffer {
  const hint = `'${where}' must be 32 bytes: a Buffer or Uint8Array, or a base64 or hex string (e.g. crypto.randomBytes(32).toString('base64')), the same in every instance and kept in your secret store`;
  let key: Buffer | undefined;
  if (value instanceof Uint8Array) key = Buffer.from(value);
  else if (typeof value === 'string') key = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (!key || key.length !== 32) fail(`${hint}; got ${key ? `${key.length} bytes` : typeof value}.`);
  return key;
}

/** Checks a Redis store's options (the client's rateLimit.store, the driver's cache.store). */
export function resolveRedisStore(store: RedisStoreOptions, where: string, purpose: StorePurpose): ResolvedRedisStore {
  const sealed = purpose === 'cache' || purpose === 'journal';
  const known = STORE_KEYS.filter((k) => (sealed ? k !== 'shareWorkerToken' : k !== 'encryptionKey'));
  if (typeof store !== 'object' || store === null || Array.isArray(store))
    fail(`'${where}' must be 'memory' or { redis: 'redis://host:6379' }.`);
  for (const key of Object.keys(store)) {
    if (!known.includes(key)) fail(`unknown option '${where}.${key}'. Known options: ${known.join(', ')}.`);
  }
  checkOptionTypes(store as unknown as Record<string, unknown>, STORE_SHAPE, `${where}.`);
  if (typeof store.redis !== 'string')
    fail(`'${where}.redis' is required: the URL of the Redis every instance reaches, e.g. redis://10.0.0.5:6379 (rediss:// for TLS).`);
  let url: URL;
  try {
    url = new URL(store.redis);
  } catch {
    fail(`'${where}.redis' is not a URL; write it as redis://[:password@]host:port[/db], e.g. redis://127.0.0.1:6379.`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:')
    fail(`'${where}.redis' must start with redis:// or rediss:// (TLS); got ${url.protocol}//.`);
  const prefix = store.keyPrefix ?? 'typeorm-pingone:';
  if (typeof prefix !== 'string' || prefix === '' || /\s/.test(prefix))
    fail(`'${where}.keyPrefix' must be a non-empty string without spaces, e.g. 'my-app:pingone:'.`);
  let tokenKey: Buffer | undefined;
  if (store.shareWorkerToken !== undefined) {
    if (purpose !== 'rate-limit') {
      fail(
        `'${where}.shareWorkerToken' shares a worker app's client-credentials token; this client gets its tokens another way (accessToken, tokenProvider or interactive). Remove shareWorkerToken.`,
      );
    }
    if (typeof store.shareWorkerToken !== 'object' || store.shareWorkerToken === null)
      fail(`'${where}.shareWorkerToken' must be { encryptionKey }.`);
    tokenKey = encryptionKey(store.shareWorkerToken.encryptionKey, `${where}.shareWorkerToken.encryptionKey`);
  }
  let entryKey: Buffer | undefined;
  if (sealed) {
    if (store.encryptionKey === undefined) {
      const what =
        purpose === 'cache'
          ? 'every cache entry on Redis is encrypted and authenticated with it (AES-256-GCM), so whoever can reach Redis can neither read your directory data nor plant an answer'
          : 'every transaction journal record on Redis is encrypted and authenticated with it (AES-256-GCM), so whoever can reach Redis can neither read the before-images nor forge a record that recovery would write to PingOne';
      fail(
        `'${where}.encryptionKey' is required: ${what}. Give the same 32-byte key to every instance, e.g. crypto.randomBytes(32).toString('base64'), kept in your secret store.`,
      );
    }
    entryKey = encryptionKey(store.encryptionKey, `${where}.encryptionKey`);
  }
  const timeouts = [
    milliseconds(store.commandTimeoutMs, `${where}.commandTimeoutMs`, 500),
    milliseconds(store.connectTimeoutMs, `${where}.connectTimeoutMs`, 2000),
  ] as const;
  return new ResolvedRedisStore(store.redis, prefix, ...timeouts, { token: tokenKey, entries: entryKey });
}

export function resolveLimitStore(
  store: unknown,
  requestsPerSecond: number,
  credentials: 'client-credentials' | 'other',
): ResolvedLimitStore {
  if (store === undefined || store === 'memory') return 'memory';
  if (typeof store === 'string') fail(`'rateLimit.store' must be 'memory' or { redis: 'redis://host:6379' }; got ${shownValue(store)}.`);
  if (requestsPerSecond < 3) {
    fail(
      `'rateLimit.requestsPerSecond' is ${requestsPerSecond}: a limit shared through Redis needs at least 3 requests per second (it is kept in wall-clock slots, and one slot per second is held back so no one-second window ever exceeds it). Raise it, or keep the in-process limiter ('memory').`,
    );
  }
  return resolveRedisStore(
    store as RedisStoreOptions,
    'rateLimit.store',
    credentials === 'client-credentials' ? 'rate-limit' : 'rate-limit-no-token',
  );
}
