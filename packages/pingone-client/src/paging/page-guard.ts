import { createHash } from 'node:crypto';
import { PingOneError } from '../errors';
import type { Page } from './hal-page';

/** Default of the client option `maxPages`: 100,000 pages is 20 million users at PingOne's smaller page size of 200. */
export const DEFAULT_MAX_PAGES = 100_000;

/** Pages in a row that may bring no new id (PingOne may serve a short, even empty, page before the end). */
const STALE_PAGES = 3;

/**
 * Stops a list that never ends. A server (or a proxy) whose `next` links carry a fresh cursor on every page defeats
 * the "same link twice" check, so the pages themselves are watched, in memory that doesn't grow with the directory:
 * - a page whose ids are all on the page before it, or that repeats an earlier page exactly (a digest of its ids per
 *   page, not every id), brings nothing new: three such pages in a row end the list with INVALID_RESPONSE;
 * - the number of pages is capped: by `count` when the first page has it (every page but a few must bring at least
 *   one of the `count` items; 10 % more are allowed for resources created while paging), else by `maxPages`;
 * - with a `count`, so are the items: ten times `count` plus 10,000. PingOne warns its count may be wrong on some
 *   queries (bounded updatedAt filters on large environments), so the margin is wide; a server minting fresh ids
 *   under fresh cursors still stops after a few pages instead of after `count` pages of them.
 */
export class PageGuard {
  readonly #request: string;
  readonly #maxPages: number;
  readonly #links = new Set<string>();
  readonly #digests = new Set<string>();
  #previous = new Set<string>();
  #stale = 0;
  #pages = 0;
  #cap: number | undefined;
  #count: number | undefined;
  #items = 0;

  constructor(request: string, maxPages: number) {
    this.#request = request;
    this.#maxPages = maxPages;
  }

  /** Called with each page and its next link before the page is used. */
  check(page: Page<unknown>, next: string | undefined): void {
    this.#pages++;
    if (this.#pages === 1) {
      this.#count = page.count;
      this.#cap = page.count === undefined ? this.#maxPages : Math.min(this.#maxPages, Math.ceil(page.count * 1.1) + 10);
    }
    this.#items += page.items.length;
    if (next === undefined) return;
    const ids = page.items.map((item) => (item as { id: string }).id);
    const digest = createHash('sha256').update(ids.join('\n')).digest('base64url');
    const repeated = this.#digests.has(digest) || ids.every((id) => this.#previous.has(id));
    this.#stale = repeated ? this.#stale + 1 : 0;
    this.#digests.add(digest);
    this.#previous = new Set(ids);
    if (this.#links.has(next)) this.#fail(`returned the same next link twice (${next.length > 200 ? `${next.slice(0, 200)}…` : next})`);
    this.#links.add(next);
    if (this.#stale >= STALE_PAGES) {
      this.#fail(
        `went on paging for ${STALE_PAGES} pages that brought no new ids (page ${this.#pages} repeats what was already read, under a fresh cursor)`,
      );
    }
    if (this.#count !== undefined && this.#items > this.#count * 10 + 10_000) {
      this.#fail(`sent ${this.#items} items and offered more, far beyond its count of ${this.#count}`);
    }
    if (this.#pages >= this.#cap!) {
      const why =
        this.#cap === this.#maxPages
          ? `the client option maxPages (${this.#maxPages})`
          : `what its count of ${this.#count} items allows (${this.#cap} pages)`;
      this.#fail(`offered page ${this.#pages + 1}, more than ${why}`);
    }
  }

  #fail(what: string): never {
    throw new PingOneError(
      'INVALID_RESPONSE',
      `PingOne ${this.#request} ${what}; stopping to avoid an endless loop. A proxy or server answering instead of PingOne may mint a new cursor on every page. ` +
        'Check apiUrl and any proxy between this process and PingOne' +
        (what.includes('maxPages') ? ', or raise maxPages if the collection really is that large.' : '.'),
    );
  }
}
