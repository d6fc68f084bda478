import { PingOneConfigError, resolveRedisStore, type RedisStoreOptions, type ResolvedRedisStore } from '@typeorm-pingone/client';
import { PingOneDriverError } from '../errors';
import { shownOption } from '../mapping/validate-driver-options';

/** PingOneDataSource's `cache` option: a read cache of PingOne's responses (docs/several-instances.md). */
export interface PingOneCacheOptions {
  /** How long a response is reused. Default 30 000 ms. */
  readonly ttlMs?: number;
  /**
   * `'memory'` (default): this process only. A Redis store: every instance shares the cache and its invalidations;
   * its `encryptionKey` (required, 32 bytes) encrypts and authenticates every entry (docs/several-instances.md).
   */
  readonly store?:
    'memory' | (Omit<RedisStoreOptions, 'shareWorkerToken' | 'encryptionKey'> & { readonly encryptionKey: string | Uint8Array });
  /** The most responses kept (the oldest are dropped). Default 1000. */
  readonly maxEntries?: number;
}

export interface ResolvedCacheOptions {
  readonly ttlMs: number;
  readonly maxEntries: number;
  readonly store: 'memory' | ResolvedRedisStore;
}

const KEYS = ['ttlMs', 'store', 'maxEntries'];
const TYPEORM_KEYS = ['type', 'duration', 'options', 'alwaysEnabled', 'tableName', 'provider', 'ignoreErrors'];

const refuse = (message: string): never => {
  throw new PingOneDriverError('UNSUPPORTED_OPTION', `PingOneDataSource option 'cache': ${message}`);
};

function whole(value: unknown, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    refuse(`'${name}' must be a whole number between ${min} and ${max}; got ${shownOption(value)}.`);
  return value as number;
}

/**
 * Checks and freezes `cache`. Off unless given; `true` means the defaults (30 s, in-process, 1000 responses).
 * TypeORM's own shape ({ type, duration, … }, a table or Redis holding query results) is refused with the equivalent:
 * this driver caches PingOne's responses instead, so pushdown and local SQL run the same with or without it.
 */
export function resolveCacheOptions(cache: unknown): ResolvedCacheOptions | undefined {
  if (cache === undefined || cache === false) return undefined;
  if (cache === true) return Object.freeze({ ttlMs: 30_000, maxEntries: 1000, store: 'memory' as const });
  if (typeof cache !== 'object' || cache === null || Array.isArray(cache))
    refuse(`it must be true, false or { ttlMs, store, maxEntries }; got ${shownOption(cache)}.`);
  const options = cache as Record<string, unknown>;
  const typeorm = Object.keys(options).filter((k) => TYPEORM_KEYS.includes(k));
  if (typeorm.length > 0) {
    refuse(
      `${typeorm.map((k) => `'${k}'`).join(', ')} belong to TypeORM's query-result cache, which this driver replaces with a cache of PingOne's responses. ` +
        "Write cache: { ttlMs: 30000 } (this process) or cache: { ttlMs: 30000, store: { redis: 'redis://host:6379' } } (every instance).",
    );
  }
  for (const key of Object.keys(options)) if (!KEYS.includes(key)) refuse(`unknown option 'cache.${key}'. Options: ${KEYS.join(', ')}.`);
  const ttlMs = whole(options.ttlMs, 'cache.ttlMs', 1, 86_400_000, 30_000);
  const maxEntries = whole(options.maxEntries, 'cache.maxEntries', 1, 1_000_000, 1000);
  let store: 'memory' | ResolvedRedisStore = 'memory';
  if (options.store !== undefined && options.store !== 'memory') {
    if (typeof options.store === 'string')
      refuse(`'cache.store' must be 'memory' or { redis: 'redis://host:6379', encryptionKey }; got ${shownOption(options.store)}.`);
    try {
      store = resolveRedisStore(options.store as RedisStoreOptions, 'cache.store', 'cache');
    } catch (error) {
      if (error instanceof PingOneConfigError) refuse(error.message.replace(/^PingOne client configuration: /, ''));
      throw error;
    }
  }
  return Object.freeze({ ttlMs, maxEntries, store });
}
