import { readHalPage, type Page } from './hal-page';
import { DEFAULT_MAX_PAGES, PageGuard } from './page-guard';

export { readHalPage, type Page } from './hal-page';

/** Fetches one page: the first when `href` is undefined, else the `_links.next.href` PingOne returned. */
export type PageFetcher = (href: string | undefined) => Promise<{ readonly body: unknown }>;

/** What a list's errors name, and how many pages it may take at most (see PageGuard). */
export interface PagedListLimits {
  /** the first request, e.g. `GET https://api.pingone.eu/v1/environments/…/users?limit=1000` */
  readonly request: string;
  readonly maxPages: number;
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
  readonly #limits: PagedListLimits;

  constructor(plural: string, fetch: PageFetcher, limits?: PagedListLimits) {
    this.#plural = plural;
    this.#fetch = fetch;
    this.#limits = limits ?? { request: `GET of a list of ${plural}`, maxPages: DEFAULT_MAX_PAGES };
  }

  /*
   * A generator keeps its locals while it awaits, and the wait for the next page is when V8's scavenges run: a page
   * still held then (its items, or the whole parsed body) survives them and is promoted, to be freed only by a
   * full collection. So each page is read and handed on by a generator of its own (#onePage), whose locals are gone
   * once it returned, before the next request.
   */
  async *pages(): AsyncGenerator<Page<T>, void, undefined> {
    let href: string | undefined;
    const guard = new PageGuard(this.#limits.request, this.#limits.maxPages);
    do {
      href = yield* this.#onePage(href, guard);
    } while (href !== undefined);
  }

  /** Reads the page at `href`, yields it, and returns the link to the next one. */
  async *#onePage(href: string | undefined, guard: PageGuard): AsyncGenerator<Page<T>, string | undefined, undefined> {
    const { page, next } = await this.#read(href);
    // Before the page is used: a list that would never end fails at the page that shows it.
    guard.check(page, next);
    yield page;
    return next;
  }

  async #read(href: string | undefined): Promise<PageWithNext<T>> {
    const { next, ...page } = readHalPage<T>((await this.#fetch(href)).body, this.#plural, this.#limits.request);
    return { page, next };
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    const pages = this.pages();
    try {
      for (;;) {
        let items: readonly T[] | undefined = await itemsOf(pages);
        if (items === undefined) return;
        for (let i = 0; i < items.length; i++) yield items[i];
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
