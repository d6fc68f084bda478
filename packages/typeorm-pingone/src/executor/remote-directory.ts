import { FILTER_CAPABILITIES, filterRefusalOf, isPingOneId, PingOneApiError, scim, serializeScimFilter, type PingOneClient, type ScimFilter } from '@typeorm-pingone/client';
import type { FilterLedger } from '../planner/filter-ledger';
import { PingOneFilterRefusedError } from '../errors';
import type { ResourceName } from '../mapping/attribute-catalog';
import type { MemberKind } from '../mapping/table-mapping';
import { orChunks } from './or-chunks';
import { cacheTagsOf, listPath, readsById, resourceGet, resourceList, takesLimit, withRequiredBounds } from './resource-lists';
import { chainClock, parallel, poolFor, type RequestPool } from './request-pool';
import { CachedDirectory, type CachedPage } from '../cache/cached-directory';
import type { ResponseCache } from '../cache/response-cache';

export type Resource = Readonly<Record<string, unknown>> & { readonly id: string };

/** One PingOne request the driver made, for EXPLAIN ANALYZE, the logger and tests. */
export interface RemoteRequest {
  readonly method: string;
  readonly path: string;
  readonly filter: string | undefined;
  /** answered by the driver's read cache: nothing was sent */
  readonly cached?: boolean;
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
    /** what the DataSource learned of PingOne's filter support: probes weak cells, turns refusals into re-plans */
    private readonly ledger?: FilterLedger,
  ) {
    this.#pool = poolFor(client);
    this.#cached = cache ? new CachedDirectory(cache, client) : undefined;
  }

  readonly #cached: CachedDirectory | undefined;

  #hit(path: string, filter: string | undefined): void {
    this.onRequest({ method: 'GET', path: `${path} (cache hit)`, filter, cached: true });
  }

  /** The same directory on the environment an entity's schema names (undefined: the configured one). */
  in(environment: string | undefined): RemoteDirectory {
    if (environment === undefined) return this;
    let directory = this.#environments.get(environment);
    if (!directory) {
      const client = this.clientFor(environment);
      directory = new RemoteDirectory(client, (r) => this.onRequest({ ...r, path: `${r.path} [environment ${client.environmentId}]` }), undefined, this.cache, this.ledger);
      this.#environments.set(environment, directory);
    }
    return directory;
  }

  /**
   * Pages of a filtered list. The consumer may stop early; no further page is fetched then. Not a generator that
   * delegates with `yield*` when uncached: the delegating generator would hold the inner generator's last page while the
   * next one is awaited (see #livePages).
   */
  listPages(resource: ResourceName, filter: ScimFilter | undefined, limit: number, parentId?: string): AsyncGenerator<CachedPage<Resource>> {
    return this.#cached ? this.#cachedPages(this.#cached, resource, filter, limit, parentId) : this.#livePages(resource, filter, limit, parentId);
  }

  async *#cachedPages(cached: CachedDirectory, resource: ResourceName, filter: ScimFilter | undefined, limit: number, parentId?: string): AsyncGenerator<CachedPage<Resource>> {
    const text = filter ? serializeScimFilter(filter) : undefined;
    const tags = cacheTagsOf(resource, text !== undefined && /memberOfGroups/.test(text));
    const path = listPath(resource, parentId);
    yield* cached.pages(`GET ${path}?limit=${limit} ${text ?? ''}`, tags, () => this.#livePages(resource, filter, limit, parentId),
      (page) => this.#hit(`${path}${page === 0 ? (takesLimit(resource) ? `?limit=${limit}` : '') : ' (next page)'}`, text));
  }

  async *#livePages(resource: ResourceName, given: ScimFilter | undefined, limit: number, parentId?: string): AsyncGenerator<CachedPage<Resource>> {
    const filter = withRequiredBounds(resource, given);
    const text = filter ? serializeScimFilter(filter) : undefined;
    // Sent only once PingOne's answer on the filter's weak cells is known (or this is the probe); a refused cell
    // throws here, before any request.
    const ticket = this.ledger ? await this.ledger.admit(resource, filter, chainClock) : undefined;
    // The AST, not its text: the client splits a filter over the request-size budget into several requests.
    const list = resourceList(this.client, resource, filter, limit, parentId);
    const path = listPath(resource, parentId);
    let page = 0;
    const iterator = list.pages()[Symbol.asyncIterator]();
    const read = async (): Promise<CachedPage<Resource> | undefined> => {
      const next = await this.#pool.run(async () => iterator.next());
      return next.done ? undefined : { items: next.value.items as readonly Resource[], count: next.value.count, hasNext: next.value.hasNext };
    };
    try {
      for (;;) {
        this.onRequest({ method: 'GET', path: `${path}${page++ === 0 ? (takesLimit(resource) ? `?limit=${limit}` : '') : ' (next page)'}`, filter: text });
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

  /**
   * Every item of a filtered list. A long OR that the client would split into parts sent one after another is
   * split here and its parts are sent at the same time (through the shared pool); items are de-duplicated by id.
   */
  async listAll(resource: ResourceName, filter: ScimFilter | undefined, limit: number): Promise<Resource[]> {
    const parts = filter ? this.parts(resource, filter, limit) : [undefined];
    const lists = await parallel(parts.map((part) => async () => {
      const items: Resource[] = [];
      for await (const page of this.listPages(resource, part, limit)) items.push(...page.items);
      return items;
    }));
    if (lists.length === 1) return lists[0]!;
    const seen = new Map<string, Resource>();
    for (const list of lists) for (const item of list) if (!seen.has(item.id)) seen.set(item.id, item);
    return [...seen.values()];
  }

  /** The filters, each fitting one request URL, that `listAll` sends for `filter` (the planner compares their count). */
  parts(resource: ResourceName, filter: ScimFilter, limit: number): ScimFilter[] {
    const base = `${this.client.config.apiUrl}/environments/${this.client.environmentId}${listPath(resource)}?limit=${limit}&filter=`.length;
    return orChunks(filter, base);
  }

  /**
   * Resources by id: one or-of-eq filter, sent in as few parts as fit the URL budget, all at the same time. Should
   * PingOne refuse `id eq` (it never has: Ping's Terraform provider relies on it), every page is read and the ids
   * are picked locally, so the statement still answers.
   */
  async listByIds(resource: ResourceName, ids: readonly string[], limit: number): Promise<Resource[]> {
    const caps = FILTER_CAPABILITIES[resource];
    if (!caps.attributes.id?.includes('eq') || (ids.length > 1 && !caps.logicalOperators.includes('or'))) {
      // No or-of-eq on this resource: one GET per id where PingOne reads one, else the list, picked locally.
      if (readsById(resource)) return (await parallel(ids.map((id) => () => this.get(resource, id)))).filter((r): r is Resource => r !== undefined);
      const wanted = new Set(ids);
      return (await this.listAll(resource, undefined, limit)).filter((r) => wanted.has(r.id));
    }
    try {
      return await this.listAll(resource, scim.or(...ids.map((id) => scim.eq('id', id))), limit);
    } catch (error) {
      if (!(error instanceof PingOneFilterRefusedError)) throw error;
      const wanted = new Set(ids);
      return (await this.listAll(resource, undefined, limit)).filter((r) => wanted.has(r.id));
    }
  }

  /** GET by id; a missing resource is an empty result, as in SQL, and so is a value that can't be an id (no request). */
  async get(resource: ResourceName, id: string, include?: string): Promise<Resource | undefined> {
    if (!isPingOneId(id)) return undefined;
    // roles come from two lists and have no single read here: the lists, picked locally
    if (!readsById(resource)) return (await this.listByIds(resource, [id], 1000))[0];
    const path = `${listPath(resource)}/${id}${include ? `?include=${include}` : ''}`;
    if (this.#cached) return this.#cached.one(`GET ${path}`, cacheTagsOf(resource, false), () => this.#liveGet(resource, id, include), () => this.#hit(path, undefined));
    return this.#liveGet(resource, id, include);
  }

  async #liveGet(resource: ResourceName, id: string, include?: string): Promise<Resource | undefined> {
    this.onRequest({ method: 'GET', path: `${listPath(resource)}/${id}${include ? `?include=${include}` : ''}`, filter: undefined });
    try {
      return await this.#pool.run(async (): Promise<Resource> => (await resourceGet(this.client, resource, id, include)) as Resource);
    } catch (error) {
      if (error instanceof PingOneApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  /**
   * The group memberships of one user (or, for `member: 'groups'`, the groups one group is nested in), with their
   * types (DIRECT, INDIRECT) and the groups' documents (`expand=group`: each membership embeds its group, OpenAPI
   * GroupMembership._embedded.group), so a statement that then reads those groups needs no request.
   */
  async membershipsOf(member: MemberKind, id: string): Promise<MembershipList> {
    if (!isPingOneId(id)) return { memberships: [], groups: [] };
    if (this.#cached) {
      return this.#cached.one(`GET /${member}/${id}/memberOfGroups?expand=group`, ['memberships', member, 'groups'], () => this.#liveMemberships(member, id), () => this.#hit(`/${member}/${id}/memberOfGroups`, undefined));
    }
    return this.#liveMemberships(member, id);
  }

  async #liveMemberships(member: MemberKind, id: string): Promise<MembershipList> {
    this.onRequest({ method: 'GET', path: `/${member}/${id}/memberOfGroups?expand=group`, filter: undefined });
    const memberships: { groupId: string; type: 'DIRECT' | 'INDIRECT' }[] = [];
    const groups: Resource[] = [];
    const list = member === 'users' ? this.client.users.listGroupMemberships(id, { expand: ['group'] }) : this.client.groups.listParentGroups(id, { expand: ['group'] });
    const iterator = list.pages()[Symbol.asyncIterator]();
    try {
      for (;;) {
        const next = await this.#pool.run(() => iterator.next());
        if (next.done) break;
        for (const membership of next.value.items) {
          const group = membership._embedded?.group;
          if (group && group.id === membership.id) groups.push(group as unknown as Resource);
          memberships.push({ groupId: membership.id, type: membership.type === 'INDIRECT' ? 'INDIRECT' : 'DIRECT' });
        }
        if (!next.value.hasNext) break;
      }
    } catch (error) {
      if (error instanceof PingOneApiError && error.status === 404) return { memberships: [], groups: [] };
      throw error;
    } finally {
      await iterator.return?.();
    }
    return { memberships, groups };
  }
}

/** What `membershipsOf` reads: each membership's group and type, and the groups' documents PingOne embedded. */
export interface MembershipList {
  readonly memberships: readonly { readonly groupId: string; readonly type: 'DIRECT' | 'INDIRECT' }[];
  readonly groups: readonly Resource[];
}

/** `memberOfGroups[id eq "…" and type eq "DIRECT"]`, the users (or groups) directly in one group. */
export function directMembersFilter(groupId: string): ScimFilter {
  return scim.valuePath('memberOfGroups', scim.and(scim.eq('id', groupId), scim.eq('type', 'DIRECT')));
}

/** `memberOfGroups[id eq "…"]`, every user in one group: directly, through nesting or by its filter. */
export function allMembersFilter(groupId: string): ScimFilter {
  return scim.valuePath('memberOfGroups', scim.eq('id', groupId));
}

/** A write's note (`"PATCH /users/…"`) as a RemoteRequest, for the same log line format as reads. */
export function noteToRequest(note: string): RemoteRequest {
  const space = note.indexOf(' ');
  return { method: note.slice(0, space), path: note.slice(space + 1), filter: undefined };
}
