import { createHash } from 'node:crypto';
import { openRedisConnection, type PingOneLogger, type RedisConnection, type ResolvedRedisStore } from '@typeorm-pingone/client';
import type { ResolvedCacheOptions } from './cache-options';

/** What a cached response depends on: a write to any of these drops it. */
export type CacheTag = 'users' | 'groups' | 'populations' | 'memberships';

/** One PingOne request, as the cache keys it: environment + request text, and the tags a write invalidates it by. */
export interface CacheKey {
  readonly text: string;
  readonly tags: readonly CacheTag[];
}

/** What a write to each kind of resource can change in other responses (counts, memberships, filters on them). */
const TOUCHES: Readonly<Record<CacheTag, readonly CacheTag[]>> = {
  users: ['users', 'memberships', 'populations', 'groups'],
  groups: ['groups', 'memberships', 'users'],
  populations: ['populations', 'users'],
  memberships: ['memberships', 'users', 'groups'],
};

/** The tags a write request (`POST /users/…/memberOfGroups`, `PUT /groups/…`) touches. */
export function tagsOfWrite(path: string): CacheTag[] {
  const tag: CacheTag | undefined = /memberOfGroups/.test(path) ? 'memberships'
    : /^\/?users\b/.test(path) ? 'users' : /^\/?groups\b/.test(path) ? 'groups' : /^\/?populations\b/.test(path) ? 'populations' : undefined;
  return tag ? [...TOUCHES[tag]] : ['users', 'groups', 'populations', 'memberships'];
}

/**
 * `resolve` names where a response lives given the current generations of its tags; the same name is used to store
 * what was then fetched, so a response fetched while a write happened is stored under the old generations, unseen.
 */
interface Backend {
  resolve(key: CacheKey): Promise<string | undefined>;
  get(slot: string): Promise<unknown>;
  set(slot: string, value: unknown): Promise<void>;
  bump(tags: readonly CacheTag[]): Promise<void>;
  close(): void;
}

/** In this process: a bounded map (oldest out first), one generation counter per tag. */
class MemoryBackend implements Backend {
  readonly #entries = new Map<string, { value: unknown; expires: number }>();
  readonly #generations = new Map<CacheTag, number>();
  constructor(private readonly options: ResolvedCacheOptions) {}

  #signature(tags: readonly CacheTag[]): string {
    return tags.map((t) => this.#generations.get(t) ?? 0).join('.');
  }

  async resolve(key: CacheKey): Promise<string> {
    return `${this.#signature(key.tags)} ${key.text}`;
  }

  async get(slot: string): Promise<unknown> {
    const entry = this.#entries.get(slot);
    if (!entry || entry.expires <= Date.now()) return undefined;
    this.#entries.delete(slot);
    this.#entries.set(slot, entry); // most recently used last
    return entry.value;
  }

  async set(slot: string, value: unknown): Promise<void> {
    this.#entries.delete(slot);
    this.#entries.set(slot, { value, expires: Date.now() + this.options.ttlMs });
    while (this.#entries.size > this.options.maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
  }

  async bump(tags: readonly CacheTag[]): Promise<void> {
    for (const tag of tags) this.#generations.set(tag, (this.#generations.get(tag) ?? 0) + 1);
  }

  close(): void {
    this.#entries.clear();
  }
}

/**
 * Shared by every instance on one Redis. Each tag has a generation counter in Redis; an entry's key contains the
 * generations of its tags, read on every lookup (one MGET). A write increments the counters (INCR, atomic and seen by
 * the next lookup of every instance), so a read in another process right after a write never gets the old response:
 * unlike a pub/sub message, nothing can arrive late. Entries expire after ttlMs; an index keeps at most maxEntries.
 */
class RedisBackend implements Backend {
  readonly #connection: RedisConnection;
  readonly #prefix: string;
  /** tags whose invalidation could not reach Redis: bumped before the next lookup, and no lookup until then */
  readonly #owed = new Set<CacheTag>();

  constructor(store: ResolvedRedisStore, private readonly options: ResolvedCacheOptions, logger: PingOneLogger | undefined) {
    this.#connection = openRedisConnection(store.url, { commandTimeoutMs: store.commandTimeoutMs, connectTimeoutMs: store.connectTimeoutMs, logger });
    this.#prefix = `${store.keyPrefix}cache:`;
  }

  async resolve(key: CacheKey): Promise<string | undefined> {
    if (!(await this.#connection.ready()) || !this.#connection.available) return undefined;
    if (this.#owed.size > 0) {
      await this.bump([...this.#owed]);
      if (this.#owed.size > 0) return undefined;
    }
    const generations = (await this.#connection.run('MGET', ...key.tags.map((t) => `${this.#prefix}gen:${t}`))) as (string | null)[];
    const hash = createHash('sha256').update(key.text).digest('base64url').slice(0, 32);
    return `${this.#prefix}${generations.map((g) => g ?? '0').join('.')}:${hash}`;
  }

  async get(entryKey: string): Promise<unknown> {
    if (!this.#connection.available) return undefined;
    const stored = await this.#connection.run('GET', entryKey);
    return typeof stored === 'string' ? (JSON.parse(stored) as unknown) : undefined;
  }

  async set(entryKey: string, value: unknown): Promise<void> {
    if (!this.#connection.available) return;
    const index = `${this.#prefix}index`;
    await this.#connection.run('SET', entryKey, JSON.stringify(value), 'PX', this.options.ttlMs);
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

export interface CacheStats {
  hits: number;
  misses: number;
}

/**
 * The driver's read cache: PingOne's responses per request, so the planner and the local SQL run exactly as without
 * it. Any failure of the store (Redis away) reads as a miss and writes nothing: the cache never fails a query.
 */
export class ResponseCache {
  readonly stats: CacheStats = { hits: 0, misses: 0 };
  readonly #backend: Backend;

  constructor(readonly options: ResolvedCacheOptions, logger: PingOneLogger | undefined) {
    this.#backend = options.store === 'memory' ? new MemoryBackend(options) : new RedisBackend(options.store, options, logger);
  }

  /** The cached response (or undefined), and where to store a fresh one (undefined: don't, the store is away). */
  async read<T>(key: CacheKey): Promise<{ value: T | undefined; slot: string | undefined }> {
    let slot: string | undefined;
    let value: unknown;
    try {
      slot = await this.#backend.resolve(key);
      value = slot === undefined ? undefined : await this.#backend.get(slot);
    } catch {
      value = undefined;
    }
    if (value === undefined) this.stats.misses++;
    else this.stats.hits++;
    return { value: value as T | undefined, slot };
  }

  async write(slot: string | undefined, value: unknown): Promise<void> {
    if (slot !== undefined) await this.#backend.set(slot, value).catch(() => undefined);
  }

  /** After a write of this driver (in any instance on the same store): responses depending on these tags are gone. */
  async invalidate(tags: readonly CacheTag[]): Promise<void> {
    await this.#backend.bump(tags).catch(() => undefined);
  }

  close(): void {
    this.#backend.close();
  }
}
