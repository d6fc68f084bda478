import { PagedList, type Page } from '../paging/paged-list';

/**
 * The union of several lists (one filter split into several requests), de-duplicated by `id`: a resource matching
 * terms of two parts is yielded once. `count` is left out when there are several parts, since the parts may overlap.
 */
export class CombinedPagedList<T> extends PagedList<T> {
  readonly #parts: readonly PagedList<T>[];

  constructor(plural: string, parts: readonly PagedList<T>[]) {
    super(plural, () => Promise.reject(new Error('CombinedPagedList fetches through its parts')));
    this.#parts = parts;
  }

  /** How many requests (first pages) the filter was split into. */
  get parts(): number {
    return this.#parts.length;
  }

  override async *pages(): AsyncGenerator<Page<T>, void, undefined> {
    const seen = new Set<unknown>();
    for (const [index, part] of this.#parts.entries()) {
      const last = index === this.#parts.length - 1;
      for await (const page of part.pages()) {
        const items = page.items.filter((item) => {
          const id = typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined;
          if (id === undefined) return true;
          if (seen.has(id)) return false;
          seen.add(id);
          return true;
        });
        yield { items, count: this.#parts.length === 1 ? page.count : undefined, size: items.length, hasNext: page.hasNext || !last };
      }
    }
  }
}
