import { PingOneApiError, PingOneError, scim, serializeScimFilter, type PingOneClient, type ScimFilter } from '@typeorm-pingone/client';
import type { ResourceName } from '../mapping/attribute-catalog';
import { halves, orChunks } from './or-chunks';
import { parallel, poolFor, type RequestPool } from './request-pool';
import { CachedDirectory, type CachedPage } from '../cache/cached-directory';
import type { ResponseCache } from '../cache/response-cache';

export type Resource = Readonly<Record<string, unknown>> & { readonly id: string };

/** One PingOne request the driver made, for EXPLAIN ANALYZE, the logger and tests. */
export interface RemoteRequest {
  readonly method: string;
  readonly path: string;
  readonly filter: string | undefined;
}

/**
 * The driver's seam to PingOne: the few reads the planner needs, on the public client API only. Every request is
 * reported to `onRequest` before it is sent, so logs show it under the SQL that caused it.
 */
export class RemoteDirectory {
  readonly #environments = new Map<string, RemoteDirectory>();
  readonly #pool: RequestPool;

  constructor(
    private readonly client: PingOneClient,
    private readonly onRequest: (request: RemoteRequest) => void,
    private readonly clientFor: (environment: string | undefined) => PingOneClient = () => client,
    /** the driver's read cache; undefined when off and inside a transaction */
    private readonly cache?: ResponseCache,
  ) {
    this.#pool = poolFor(client);
    this.#cached = cache ? new CachedDirectory(cache, client.environmentId) : undefined;
  }

  readonly #cached: CachedDirectory | undefined;

  #hit(path: string, filter: string | undefined): void {
    this.onRequest({ method: 'GET', path: `${path} (cache hit)`, filter });
  }

  /** The same directory on the environment an entity's schema names (undefined: the configured one). */
  in(environment: string | undefined): RemoteDirectory {
    if (environment === undefined) return this;
    let directory = this.#environments.get(environment);
    if (!directory) {
      const client = this.clientFor(environment);
      directory = new RemoteDirectory(client, (r) => this.onRequest({ ...r, path: `${r.path} [environment ${client.environmentId}]` }), undefined, this.cache);
      this.#environments.set(environment, directory);
    }
    return directory;
  }

  /**
   * Pages of a filtered list. The consumer may stop early; no further page is fetched then. Not a generator that
   * delegates with `yield*` when uncached: the delegating generator would hold the inner generator's last page while the
   * next one is awaited (see #livePages).
   */
  listPages(resource: ResourceName, filter: ScimFilter | undefined, limit: number): AsyncGenerator<CachedPage<Resource>> {
    return this.#cached ? this.#cachedPages(this.#cached, resource, filter, limit) : this.#livePages(resource, filter, limit);
  }

  async *#cachedPages(cached: CachedDirectory, resource: ResourceName, filter: ScimFilter | undefined, limit: number): AsyncGenerator<CachedPage<Resource>> {
    const text = filter ? serializeScimFilter(filter) : undefined;
    const tags = text !== undefined && /memberOfGroups/.test(text) ? [resource, 'memberships' as const] : [resource];
    yield* cached.pages(`GET /${resource}?limit=${limit} ${text ?? ''}`, tags, () => this.#livePages(resource, filter, limit),
      (page) => this.#hit(`/${resource}${page === 0 ? `?limit=${limit}` : ' (next page)'}`, text));
  }

  async *#livePages(resource: ResourceName, filter: ScimFilter | undefined, limit: number): AsyncGenerator<CachedPage<Resource>> {
    const text = filter ? serializeScimFilter(filter) : undefined;
    // The AST, not its text: the client splits a filter over the request-size budget into several requests.
    const list = this.client[resource].list({ ...(filter ? { filter } : {}), limit });
    let page = 0;
    const iterator = list.pages()[Symbol.asyncIterator]();
    const read = async (): Promise<CachedPage<Resource> | undefined> => {
      const next = await this.#pool.run(async () => iterator.next());
      return next.done ? undefined : { items: next.value.items as readonly Resource[], count: next.value.count, hasNext: next.value.hasNext };
    };
    try {
      for (;;) {
        this.onRequest({ method: 'GET', path: `/${resource}${page++ === 0 ? `?limit=${limit}` : ' (next page)'}`, filter: text });
        // Cleared before the next request: a page still referenced while the next one is awaited survives the
        // scavenges that run during that wait, and is promoted (see PagedList.pages).
        let current = await read();
        if (current === undefined) return;
        const more = current.hasNext;
        yield current;
        current = undefined;
        if (!more) return;
      }
    } finally {
      await iterator.return?.();
    }
  }

  /**
   * Every item of a filtered list. A long OR that the client would split into parts sent one after another is
   * split here and its parts are sent at the same time (through the shared pool); items are de-duplicated by id.
   */
  async listAll(resource: ResourceName, filter: ScimFilter | undefined, limit: number): Promise<Resource[]> {
    const parts = filter ? this.parts(resource, filter, limit) : [undefined];
    return unionById(await parallel(parts.map((part) => () => this.#readPart(resource, part, limit))));
  }

  /**
   * Every page of one part. When a later page's URL (the first page's, with PingOne's cursor added) is over the
   * request-size budget after all, the part is read again as two halves of its OR list: slower, but never an error
   * the statement could have avoided.
   */
  async #readPart(resource: ResourceName, part: ScimFilter | undefined, limit: number): Promise<Resource[]> {
    const items: Resource[] = [];
    let pages = 0;
    try {
      for await (const page of this.listPages(resource, part, limit)) {
        pages++;
        items.push(...page.items);
      }
      return items;
    } catch (error) {
      const split = pages > 0 && part && error instanceof PingOneError && error.code === 'REQUEST_TOO_LARGE' ? halves(part) : undefined;
      if (!split) throw error;
      return unionById(await parallel(split.map((half) => () => this.#readPart(resource, half, limit))));
    }
  }

  /** The filters, each fitting one request URL, that `listAll` sends for `filter` (the planner compares their count). */
  parts(resource: ResourceName, filter: ScimFilter, limit: number): ScimFilter[] {
    const base = `${this.client.config.apiUrl}/environments/${this.client.environmentId}/${resource}?limit=${limit}&filter=`.length;
    return orChunks(filter, base, this.client.config.maxUrlLength);
  }

  /** GET by id; a missing resource is an empty result, as in SQL. */
  async get(resource: ResourceName, id: string): Promise<Resource | undefined> {
    if (this.#cached) return this.#cached.one(`GET /${resource}/${id}`, [resource], () => this.#liveGet(resource, id), () => this.#hit(`/${resource}/${id}`, undefined));
    return this.#liveGet(resource, id);
  }

  async #liveGet(resource: ResourceName, id: string): Promise<Resource | undefined> {
    this.onRequest({ method: 'GET', path: `/${resource}/${id}`, filter: undefined });
    try {
      return await this.#pool.run(async (): Promise<Resource> => (await this.client[resource].get(id)) as Resource);
    } catch (error) {
      if (error instanceof PingOneApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  /** Direct group memberships of one user. */
  async directGroupsOfUser(userId: string): Promise<string[]> {
    if (this.#cached) {
      return this.#cached.one(`GET /users/${userId}/memberOfGroups`, ['memberships', 'users'], () => this.#liveGroupsOfUser(userId), () => this.#hit(`/users/${userId}/memberOfGroups`, undefined));
    }
    return this.#liveGroupsOfUser(userId);
  }

  async #liveGroupsOfUser(userId: string): Promise<string[]> {
    this.onRequest({ method: 'GET', path: `/users/${userId}/memberOfGroups`, filter: undefined });
    const groups: string[] = [];
    const iterator = this.client.users.listGroupMemberships(userId).pages()[Symbol.asyncIterator]();
    try {
      for (;;) {
        const next = await this.#pool.run(() => iterator.next());
        if (next.done) break;
        for (const membership of next.value.items) if (membership.type !== 'INDIRECT') groups.push(membership.id);
        if (!next.value.hasNext) break;
      }
    } catch (error) {
      if (error instanceof PingOneApiError && error.status === 404) return [];
      throw error;
    } finally {
      await iterator.return?.();
    }
    return groups;
  }

  /** Users directly in one group: `GET /users?filter=memberOfGroups[id eq "…" and type eq "DIRECT"]`. */
  async *directMembersOfGroup(groupId: string): AsyncGenerator<{ items: readonly Resource[]; count: number | undefined }> {
    yield* this.listPages('users', directMembersFilter(groupId), 1000);
  }
}

/** Items of several lists, each once (by id). */
function unionById(lists: readonly Resource[][]): Resource[] {
  if (lists.length === 1) return lists[0]!;
  const seen = new Map<string, Resource>();
  for (const list of lists) for (const item of list) if (!seen.has(item.id)) seen.set(item.id, item);
  return [...seen.values()];
}

/** `memberOfGroups[id eq "…" and type eq "DIRECT"]`, the users directly in one group. */
export function directMembersFilter(groupId: string): ScimFilter {
  return scim.valuePath('memberOfGroups', scim.and(scim.eq('id', groupId), scim.eq('type', 'DIRECT')));
}

/** A write's note (`"PATCH /users/…"`) as a RemoteRequest, for the same log line format as reads. */
export function noteToRequest(note: string): RemoteRequest {
  const space = note.indexOf(' ');
  return { method: note.slice(0, space), path: note.slice(space + 1), filter: undefined };
}
