import { randomBytes } from 'node:crypto';
import type { PingOneLogger } from '@typeorm-pingone/client';
import type { ResolvedCacheOptions } from './cache-options';
import { RedisBackend } from './redis-cache-backend';

/** What a cached response depends on: a write to any of these drops it. */
export type CacheTag = 'users' | 'groups' | 'populations' | 'memberships' | 'directory';

/**
 * One PingOne request, as the cache keys it: the identity that asks (an HMAC of API base, environment and credential,
 * see CachedDirectory) + request text, and the tags a write invalidates it by.
 */
export interface CacheKey {
  readonly text: string;
  readonly tags: readonly CacheTag[];
}

/** What a write to each kind of resource can change in other responses (counts, memberships, filters on them). */
const TOUCHES: Readonly<Record<CacheTag, readonly CacheTag[]>> = {
  users: ['users', 'memberships', 'populations', 'groups', 'directory'],
  groups: ['groups', 'memberships', 'users', 'directory'],
  populations: ['populations', 'users'],
  memberships: ['memberships', 'users', 'groups'],
  // roles, role assignments, applications, sessions, … (a user's or group's deletion takes its assignments along)
  directory: ['directory'],
};

/** The tags a write request (`POST /users/…/memberOfGroups`, `PUT /groups/…`) touches. */
export function tagsOfWrite(path: string): CacheTag[] {
  const tag: CacheTag | undefined = /memberOfGroups/.test(path)
    ? 'memberships'
    : /\/(roleAssignments|sessions|linkedAccounts)\b/.test(path)
      ? 'directory'
      : /^\/?users\b/.test(path)
        ? 'users'
        : /^\/?groups\b/.test(path)
          ? 'groups'
          : /^\/?populations\b/.test(path)
            ? 'populations'
            : undefined;
  return tag ? [...TOUCHES[tag]] : ['users', 'groups', 'populations', 'memberships', 'directory'];
}

/**
 * `resolve` names where a response lives given the current generations of its tags; the same name is used to store
 * what was then fetched, so a response fetched while a write happened is stored under the old generations, unseen.
 */
export interface Backend {
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

export interface CacheStats {
  hits: number;
  misses: number;
  /** entries that failed their authentication (planted, altered, another key) and were read as misses */
  rejected: number;
}

/**
 * The driver's read cache: PingOne's responses per request, so the planner and the local SQL run exactly as without
 * it. Any failure of the store (Redis away) reads as a miss and writes nothing: the cache never fails a query.
 */
export class ResponseCache {
  readonly stats: CacheStats = { hits: 0, misses: 0, rejected: 0 };
  /**
   * The key identities are fingerprinted with (PingOneClient.credentialFingerprint): the app's encryptionKey on
   * Redis, so instances of one app share; a random one in memory, which no other process sees.
   */
  get identityKey(): Buffer {
    return this.#identityKey;
  }

  // private: logging or inspecting the cache must never print the app's key
  readonly #identityKey: Buffer;
  readonly #backend: Backend;
  readonly #logger: PingOneLogger | undefined;

  constructor(
    readonly options: ResolvedCacheOptions,
    logger: PingOneLogger | undefined,
  ) {
    this.#logger = logger;
    const store = options.store;
    this.#identityKey = store === 'memory' ? randomBytes(32) : store.entryKey!;
    this.#backend = store === 'memory' ? new MemoryBackend(options) : new RedisBackend(store, options, logger, () => this.#rejected());
  }

  /** An entry failed to open: counted every time, logged once (an attacker planting entries can't flood the log). */
  #rejected(): void {
    if (this.stats.rejected++ > 0) return;
    this.#logger?.warn?.(
      'The read cache found an entry on Redis that fails its authentication (planted or altered by something with access to Redis, ' +
        'or written with another cache.store.encryptionKey): it was ignored and PingOne was asked instead. Further ones are counted, not logged. ' +
        'Check which clients may write to Redis (ACLs on the key prefix) and that every instance of this app has the same encryptionKey.',
    );
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
