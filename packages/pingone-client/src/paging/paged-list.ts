import { PingOneError } from '../errors';

export interface Page<T> {
  readonly items: readonly T[];
  /** Total matching items, when PingOne sends it (it may be absent or approximate on large collections). */
  readonly count: number | undefined;
  /** Items in this page as PingOne reports it. */
  readonly size: number | undefined;
  /** Whether PingOne offered a next page (`_links.next`). Pages may be shorter than `limit` even when it does. */
  readonly hasNext: boolean;
}

/** Fetches one page: the first when `href` is undefined, else the `_links.next.href` PingOne returned. */
export type PageFetcher = (href: string | undefined) => Promise<{ readonly body: unknown }>;

/**
 * PingOne's HAL collection (`{_links:{self,next?}, _embedded:{<plural>:[…]}, count?, size?}`) normalised in one
 * place. The end is where `_links.next` is absent, never where `size < limit` (pingone-api.md §5).
 */
export function readHalPage<T>(body: unknown, plural: string): Page<T> & { readonly next: string | undefined } {
  // An empty list is `_embedded.<plural>: []` (pingone-api.md §5); a body without `_embedded` is not a collection,
  // and reading it as one would turn a proxy's `{}` into "no rows".
  if (typeof body !== 'object' || body === null || Array.isArray(body) || typeof (body as { _embedded?: unknown })._embedded !== 'object' || (body as { _embedded?: unknown })._embedded === null) {
    const shape = body === undefined ? 'no body' : Array.isArray(body) ? 'an array' : typeof body === 'object' && body !== null ? `an object without _embedded (keys: ${Object.keys(body).slice(0, 5).join(', ') || 'none'})` : `a ${typeof body}`;
    throw new PingOneError('INVALID_RESPONSE', `PingOne returned ${shape} where a collection of ${plural} (a HAL body with _embedded.${plural}) was expected. A proxy or a wrong apiUrl may be answering instead of PingOne.`);
  }
  const hal = body as {
    _links?: { next?: { href?: unknown } }; _embedded: Record<string, unknown>; count?: unknown; size?: unknown;
  };
  const items = hal._embedded[plural] ?? [];
  if (!Array.isArray(items)) throw new PingOneError('INVALID_RESPONSE', `PingOne returned a collection whose _embedded.${plural} is not an array.`);
  const next = typeof hal._links?.next?.href === 'string' ? hal._links.next.href : undefined;
  return {
    items: items as T[],
    count: typeof hal.count === 'number' ? hal.count : undefined,
    size: typeof hal.size === 'number' ? hal.size : undefined,
    hasNext: next !== undefined,
    next,
  };
}

interface PageWithNext<T> {
  readonly page: Page<T>;
  readonly next: string | undefined;
}

/** The next page's items, or undefined at the end; the page object itself is not kept by the caller. */
async function itemsOf<T>(pages: AsyncGenerator<Page<T>, void, undefined>): Promise<readonly T[] | undefined> {
  const next = await pages.next();
  return next.done ? undefined : next.value.items;
}

/**
 * A lazily paged collection: iterate items with `for await`, or pages with `pages()`. Nothing is fetched until
 * iteration starts, and breaking out of the loop fetches no further page.
 */
export class PagedList<T> implements AsyncIterable<T> {
  readonly #fetch: PageFetcher;
  readonly #plural: string;

  constructor(plural: string, fetch: PageFetcher) {
    this.#plural = plural;
    this.#fetch = fetch;
  }

  /*
   * A generator keeps its locals while it awaits, and the wait for the next page is when V8's scavenges run: a page
   * still held then (its items, or the whole parsed body) survives them and is promoted, to be freed only by a
   * full collection. So each page is read in a function of its own and the reference to it is cleared before the
   * next request.
   */
  async *pages(): AsyncGenerator<Page<T>, void, undefined> {
    let href: string | undefined;
    const seen = new Set<string>();
    do {
      let page: PageWithNext<T> | undefined = await this.#read(href);
      const next = page.next;
      yield page.page;
      page = undefined;
      if (next !== undefined && seen.has(next)) {
        throw new PingOneError('INVALID_RESPONSE', `PingOne returned the same next link twice (${next}); stopping to avoid an endless loop.`);
      }
      if (next !== undefined) seen.add(next);
      href = next;
    } while (href !== undefined);
  }

  async #read(href: string | undefined): Promise<PageWithNext<T>> {
    const { next, ...page } = readHalPage<T>((await this.#fetch(href)).body, this.#plural);
    return { page, next };
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    const pages = this.pages();
    try {
      for (;;) {
        let items: readonly T[] | undefined = await itemsOf(pages);
        if (items === undefined) return;
        for (let i = 0; i < items.length; i++) yield items[i]!;
        items = undefined;
      }
    } finally {
      await pages.return(undefined);
    }
  }

  /** All items (or the first `max`), fetching only the pages needed. */
  async toArray(options: { max?: number } = {}): Promise<T[]> {
    const max = options.max ?? Infinity;
    const out: T[] = [];
    if (max <= 0) return out;
    for await (const item of this) {
      out.push(item);
      if (out.length >= max) break;
    }
    return out;
  }
}
