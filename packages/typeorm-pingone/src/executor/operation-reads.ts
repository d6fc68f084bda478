import type { ResourceName } from '../mapping/attribute-catalog';
import type { Resource } from './remote-directory';

/**
 * What the statements of one TypeORM operation read from PingOne: whole lists (users, groups, populations, a group's
 * members) by their request, and every resource those lists and GETs returned, by id. TypeORM splits one operation
 * into several statements (`take`/`skip` with joins: the DISTINCT ids, then the rows; getManyAndCount: then the
 * count; relation loads: one statement per relation), and each would read the same lists again: a later statement
 * (or another step of the same statement, at the same time) takes the list already read or being read.
 *
 * The query runner keeps one for the statements it runs back to back (read-handoff.ts), never across a write.
 */
export class OperationReads {
  readonly #lists = new Map<string, Promise<unknown>>();
  readonly #settled = new Map<string, unknown>();
  /** `environment resource` → id → resource (nested, so remembering a page builds no key per item) */
  readonly #byId = new Map<string, Map<string, Resource>>();

  /** The list of `key`, read by `read` once: later asks share it. `reused` tells whether this ask made no request. */
  list<T>(key: string, read: () => Promise<T>): { readonly items: Promise<T>; readonly reused: boolean } {
    const known = this.#lists.get(key) as Promise<T> | undefined;
    if (known) return { items: known, reused: true };
    const items = read().then(
      (list) => {
        this.#settled.set(key, list);
        return list;
      },
      (error: unknown) => {
        this.#lists.delete(key); // a failed read is not an answer: the next ask tries again
        throw error;
      },
    );
    this.#lists.set(key, items);
    return { items, reused: false };
  }

  /** The list of `key` if it was read completely. */
  settled<T>(key: string): T | undefined {
    return this.#settled.get(key) as T | undefined;
  }

  /** A resource some list or GET of this operation returned. */
  known(environment: string, resource: ResourceName, id: string): Resource | undefined {
    return this.#byId.get(`${environment} ${resource}`)?.get(id);
  }

  remember(environment: string, resource: ResourceName, items: Iterable<Resource>): void {
    const key = `${environment} ${resource}`;
    const byId = this.#byId.get(key) ?? new Map<string, Resource>();
    this.#byId.set(key, byId);
    for (const item of items) byId.set(item.id, item);
  }
}
