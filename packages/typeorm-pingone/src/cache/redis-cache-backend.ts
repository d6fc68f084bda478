import { createHmac } from 'node:crypto';
import {
  openRedisConnection,
  openSealedValue,
  sealValue,
  type PingOneLogger,
  type RedisConnection,
  type ResolvedRedisStore,
} from '@typeorm-pingone/client';
import type { ResolvedCacheOptions } from './cache-options';
import type { Backend, CacheKey, CacheTag } from './response-cache';

const VERSION = 'c1';

/**
 * The largest sealed entry written or read (16 MiB of text, about 12 MiB of JSON: some ten thousand users). Larger
 * answers are not shared through Redis (reading them back would take longer than a Redis command should); a larger
 * value found there (planted) is refused after reading at most this much of it (GETRANGE), so no one who can write to
 * Redis can make every instance read half a gigabyte.
 */
export const MAX_SEALED_ENTRY_CHARS = 16 * 1024 * 1024;

/** What an entry holds once opened: when it was stored (its age is checked here, not only by Redis's expiry) and the response. */
interface Sealed {
  readonly at: number;
  readonly value: unknown;
}

/**
 * Shared by every instance on one Redis. Each tag has a generation counter in Redis; an entry's key contains the
 * generations of its tags, read on every lookup (one MGET). A write increments the counters (INCR, atomic and seen by
 * the next lookup of every instance), so a read in another process right after a write never gets the old response:
 * unlike a pub/sub message, nothing can arrive late. Entries expire after ttlMs; an index keeps at most maxEntries.
 *
 * Whoever can reach Redis is not trusted with the directory: an entry's key is an HMAC (under the app's
 * `encryptionKey`) of the identity and request, and its value AES-256-GCM ciphertext bound to that key. A planted,
 * altered, moved or expired-but-kept entry fails to open and is a miss (`onRejected`), never rows.
 */
export class RedisBackend implements Backend {
  readonly #connection: RedisConnection;
  readonly #prefix: string;
  readonly #key: Buffer;
  /** tags whose invalidation could not reach Redis: bumped before the next lookup, and no lookup until then */
  readonly #owed = new Set<CacheTag>();

  constructor(
    store: ResolvedRedisStore,
    private readonly options: ResolvedCacheOptions,
    logger: PingOneLogger | undefined,
    private readonly onRejected: () => void,
  ) {
    if (!store.entryKey) throw new Error('a Redis read cache needs cache.store.encryptionKey (checked by resolveCacheOptions)');
    this.#key = store.entryKey;
    this.#connection = openRedisConnection(store.url, {
      commandTimeoutMs: store.commandTimeoutMs,
      connectTimeoutMs: store.connectTimeoutMs,
      logger,
    });
    this.#prefix = `${store.keyPrefix}cache:`;
  }

  async resolve(key: CacheKey): Promise<string | undefined> {
    if (!(await this.#connection.ready()) || !this.#connection.available) return undefined;
    if (this.#owed.size > 0) {
      await this.bump([...this.#owed]);
      if (this.#owed.size > 0) return undefined;
    }
    const generations = (await this.#connection.run('MGET', ...key.tags.map((t) => `${this.#prefix}gen:${t}`))) as (string | null)[];
    const name = createHmac('sha256', this.#key).update(key.text).digest('base64url');
    return `${this.#prefix}${generations.map((g) => (typeof g === 'string' && /^\d{1,15}$/.test(g) ? g : '0')).join('.')}:${name}`;
  }

  async get(entryKey: string): Promise<unknown> {
    if (!this.#connection.available) return undefined;
    // GETRANGE of an absent key is '' (no entry); one character past the bound tells an oversized value apart.
    const stored = await this.#connection.run('GETRANGE', entryKey, 0, MAX_SEALED_ENTRY_CHARS);
    if (stored === null || stored === undefined || stored === '') return undefined;
    const opened = typeof stored === 'string' && stored.length <= MAX_SEALED_ENTRY_CHARS ? this.#open(entryKey, stored) : undefined;
    if (opened === undefined) this.onRejected();
    return opened;
  }

  #open(entryKey: string, stored: string): unknown {
    const text = openSealedValue(this.#key, entryKey, stored, VERSION);
    if (text === undefined) return undefined;
    const sealed = JSON.parse(text) as Sealed;
    const age = Date.now() - sealed.at;
    // Redis's own expiry can be lifted (PERSIST) by whoever reaches it; the sealed time can't.
    return age >= 0 && age < this.options.ttlMs ? sealed.value : undefined;
  }

  async set(entryKey: string, value: unknown): Promise<void> {
    if (!this.#connection.available) return;
    const index = `${this.#prefix}index`;
    const sealed: Sealed = { at: Date.now(), value };
    const entry = sealValue(this.#key, entryKey, JSON.stringify(sealed), VERSION);
    if (entry.length > MAX_SEALED_ENTRY_CHARS) return;
    await this.#connection.run('SET', entryKey, entry, 'PX', this.options.ttlMs);
    await this.#connection.run('ZADD', index, Date.now(), entryKey);
    const over = Number(await this.#connection.run('ZCARD', index)) - this.options.maxEntries;
    if (over > 0) {
      const dropped = ((await this.#connection.run('ZPOPMIN', index, over)) as string[]).filter((_, i) => i % 2 === 0);
      if (dropped.length > 0) await this.#connection.run('DEL', ...dropped);
    }
  }

  async bump(tags: readonly CacheTag[]): Promise<void> {
    for (const tag of tags) {
      try {
        await this.#connection.run('INCR', `${this.#prefix}gen:${tag}`);
        this.#owed.delete(tag);
      } catch {
        this.#owed.add(tag);
      }
    }
  }

  close(): void {
    this.#connection.close();
  }
}
