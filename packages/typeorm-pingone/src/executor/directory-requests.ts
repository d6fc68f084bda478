import { filterRefusalOf, PingOneApiError, serializeScimFilter, type PingOneClient, type ScimFilter } from '@typeorm-pingone/client';
import type { FilterLedger } from '../planner/filter-ledger';
import type { ResourceName } from '../mapping/attribute-catalog';
import type { MemberKind } from '../mapping/table-mapping';
import { chainClock, poolFor, type RequestPool } from './request-pool';
import { CachedDirectory, type CachedPage } from '../cache/cached-directory';
import type { ResponseCache } from '../cache/response-cache';
import { cacheTagsOf, listPath, resourceGet, resourceList, takesLimit, withRequiredBounds } from './resource-lists';
import { membershipsFrom, type MembershipList } from './membership-lists';
import type { PageOptions, RemoteRequest, Resource } from './remote-directory';

/** The path of one GET by id, as sent and as logged. */
export function getPath(resource: ResourceName, id: string, include?: string): string {
  return `${listPath(resource)}/${id}${include ? `?include=${include}` : ''}`;
}

/** The path of one member's memberships (`/users/{id}/memberOfGroups`), without its `expand=group`. */
export function membershipsPath(member: MemberKind, id: string): string {
  return `/${member}/${id}/memberOfGroups`;
}

/** A list's page as logged: the first with its `limit` (where the resource takes one), the others as next pages. */
function pagePath(resource: ResourceName, path: string, page: number, limit: number): string {
  return `${path}${page === 0 ? (takesLimit(resource) ? `?limit=${limit}` : '') : ' (next page)'}`;
}

/**
 * The requests themselves, each one request (or page) of PingOne: through the read cache when it is on, else sent
 * through the client's request pool, admitted by the filter ledger, and reported to `onRequest` before it is sent.
 * Separate from remote-directory.ts, which decides what to read (OR parts, ids, scans) and reads it once per
 * operation: this module is how one read reaches PingOne.
 */
export class DirectoryRequests {
  readonly #pool: RequestPool;
  readonly #cached: CachedDirectory | undefined;

  constructor(
    private readonly client: PingOneClient,
    private readonly onRequest: (request: RemoteRequest) => void,
    /** the driver's read cache; undefined when off and inside a transaction */
    cache: ResponseCache | undefined,
    /** what the DataSource learned of PingOne's filter support: probes weak cells, turns refusals into re-plans */
    private readonly ledger: FilterLedger | undefined,
  ) {
    this.#pool = poolFor(client);
    this.#cached = cache ? new CachedDirectory(cache, client) : undefined;
  }

  #hit(path: string, filter: string | undefined): void {
    this.onRequest({ method: 'GET', path: `${path} (cache hit)`, filter, cached: true });
  }

  /**
   * Pages of a filtered list. The consumer may stop early; no further page is fetched then. Not a generator that
   * delegates with `yield*` when uncached: the delegating generator would hold the inner generator's last page while the
   * next one is awaited (see #livePages).
   */
  pages(resource: ResourceName, filter: ScimFilter | undefined, limit: number, options: PageOptions): AsyncGenerator<CachedPage<Resource>> {
    return this.#cached
      ? this.#cachedPages(this.#cached, resource, filter, limit, options)
      : this.#livePages(resource, filter, limit, options);
  }

  async *#cachedPages(
    cached: CachedDirectory,
    resource: ResourceName,
    filter: ScimFilter | undefined,
    limit: number,
    options: PageOptions,
  ): AsyncGenerator<CachedPage<Resource>> {
    const text = filter ? serializeScimFilter(filter) : undefined;
    const tags = cacheTagsOf(resource, text !== undefined && /memberOfGroups/.test(text));
    const path = listPath(resource, options.parentId);
    yield* cached.pages(
      `GET ${path}?limit=${limit} ${text ?? ''}`,
      tags,
      () => this.#livePages(resource, filter, limit, options),
      (page) => this.#hit(pagePath(resource, path, page, limit), text),
    );
  }

  async *#livePages(
    resource: ResourceName,
    given: ScimFilter | undefined,
    limit: number,
    options: PageOptions,
  ): AsyncGenerator<CachedPage<Resource>> {
    // PingOne's required bounds (audit activities' recordedAt range) completed where the statement's filter lacks them
    const filter = withRequiredBounds(resource, given);
    const text = filter ? serializeScimFilter(filter) : undefined;
    // Sent only once PingOne's answer on the filter's weak cells is known (or this is the probe); a refused cell
    // throws here, before any request.
    const ticket = this.ledger ? await this.ledger.admit(resource, filter, chainClock) : undefined;
    // The AST, not its text: the client splits a filter over the request-size budget into several requests.
    const list = resourceList(this.client, resource, filter, limit, options.parentId);
    const path = listPath(resource, options.parentId);
    let page = 0;
    const iterator = list.pages()[Symbol.asyncIterator]();
    const read = async (): Promise<CachedPage<Resource> | undefined> => {
      const next = await this.#pool.run(async () => iterator.next(), options.priority?.() ?? 0);
      return next.done
        ? undefined
        : { items: next.value.items as readonly Resource[], count: next.value.count, hasNext: next.value.hasNext };
    };
    try {
      for (;;) {
        this.onRequest({ method: 'GET', path: pagePath(resource, path, page++, limit), filter: text });
        // Cleared before the next request: a page still referenced while the next one is awaited survives the
        // scavenges that run during that wait, and is promoted (see PagedList.pages).
        let current: CachedPage<Resource> | undefined;
        try {
          current = await read();
        } catch (error) {
          const refusal = page === 1 && ticket ? filterRefusalOf(error) : undefined;
          if (refusal) throw ticket!.refused(refusal, error);
          throw error;
        }
        if (page === 1) ticket?.accepted();
        if (current === undefined) return;
        const more = current.hasNext;
        yield current;
        current = undefined;
        if (!more) return;
      }
    } finally {
      ticket?.release();
      await iterator.return?.();
    }
  }

  /** One GET by id; a missing resource (404) is undefined. */
  async get(resource: ResourceName, id: string, include?: string): Promise<Resource | undefined> {
    const path = getPath(resource, id, include);
    return this.#cached
      ? await this.#cached.one(
          `GET ${path}`,
          cacheTagsOf(resource, false),
          () => this.#liveGet(resource, id, include),
          () => this.#hit(path, undefined),
        )
      : await this.#liveGet(resource, id, include);
  }

  async #liveGet(resource: ResourceName, id: string, include?: string): Promise<Resource | undefined> {
    this.onRequest({ method: 'GET', path: getPath(resource, id, include), filter: undefined });
    try {
      return await this.#pool.run(async (): Promise<Resource> => (await resourceGet(this.client, resource, id, include)) as Resource);
    } catch (error) {
      if (error instanceof PingOneApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  /** One member's memberships, with their groups' documents (`expand=group`). */
  memberships(member: MemberKind, id: string): Promise<MembershipList> {
    const path = membershipsPath(member, id);
    const live = () => {
      this.onRequest({ method: 'GET', path: `${path}?expand=group`, filter: undefined });
      return membershipsFrom(this.client, this.#pool, member, id);
    };
    return this.#cached
      ? this.#cached.one(`GET ${path}?expand=group`, ['memberships', member, 'groups'], live, () => this.#hit(path, undefined))
      : live();
  }
}
