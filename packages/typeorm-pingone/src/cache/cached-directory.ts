import type { PingOneClient } from '@typeorm-pingone/client';
import type { CacheKey, CacheTag, ResponseCache } from './response-cache';

/** One page as RemoteDirectory yields it. */
export interface CachedPage<T> {
  readonly items: readonly T[];
  readonly count: number | undefined;
  readonly hasNext: boolean;
}

/** The pages of one list request read so far; `complete` once the last page was read. */
interface CachedList<T> {
  readonly pages: CachedPage<T>[];
  readonly complete: boolean;
}

/**
 * The cache in front of RemoteDirectory's requests. A hit is reported like a request (`… (cache hit)`), so EXPLAIN
 * ANALYZE and the logger show it where the request would have been.
 *
 * Every key starts with the client's credential fingerprint (API base, environment, credential; an HMAC), which
 * the client gives only once it holds a token: apps with other credentials or roles never share an entry, and a
 * credential PingOne refuses fails here, as its request would have, instead of reading another app's answers.
 */
export class CachedDirectory {
  constructor(
    private readonly cache: ResponseCache,
    private readonly client: PingOneClient,
  ) {}

  async #key(text: string, tags: readonly CacheTag[]): Promise<CacheKey> {
    return { text: `${await this.client.credentialFingerprint(this.cache.identityKey)} ${text}`, tags };
  }

  /** A single response (GET by id, a membership list). `undefined` (404) is cached too. */
  async one<T>(text: string, tags: readonly CacheTag[], live: () => Promise<T>, hit: () => void): Promise<T> {
    const key = await this.#key(text, tags);
    const { value: cached, slot } = await this.cache.read<{ value: T }>(key);
    if (cached) {
      hit();
      return (cached.value ?? undefined) as T;
    }
    const value = await live();
    await this.cache.write(slot, { value: value ?? null });
    return value;
  }

  /**
   * A list's pages: cached ones first; when the consumer wants more than was cached (it stopped early before), the
   * request is made again from its first page, the pages already yielded skipped, and the longer list stored.
   */
  async *pages<T>(
    text: string,
    tags: readonly CacheTag[],
    live: () => AsyncGenerator<CachedPage<T>>,
    hit: (page: number) => void,
  ): AsyncGenerator<CachedPage<T>> {
    const key = await this.#key(text, tags);
    const { value: cached, slot } = await this.cache.read<CachedList<T>>(key);
    let yielded = 0;
    if (cached) {
      for (const page of cached.pages) {
        hit(yielded);
        yielded++;
        yield page;
        if (!page.hasNext) return;
      }
      if (cached.complete) return;
    }
    const pages: CachedPage<T>[] = [];
    let complete = false;
    try {
      for await (const page of live()) {
        pages.push(page);
        if (pages.length > yielded) yield page;
        if (!page.hasNext) complete = true;
      }
      complete = true;
    } finally {
      if (pages.length > 0) await this.cache.write(slot, { pages, complete });
    }
  }
}
