import type { ApiCall, RequestOptions } from '../http/api-requester';
import { PagedList } from '../paging/paged-list';
import { serializeScimFilter, type ScimFilter } from '../filter/scim-filter';
import { splitFilterForBudget } from '../filter/filter-budget';
import { CombinedPagedList } from './combined-list';
import { segment, type ResourceContext } from './resource-context';
import { DIRECTORY_ENDPOINTS, type DirectoryEndpoint, type DirectoryResource, type ListSource } from './directory-endpoints';

/** An item of a directory resource: PingOne's JSON, with an id. */
export type DirectoryItem = Readonly<Record<string, unknown>> & { readonly id: string };

export interface DirectoryListParams {
  /** the parent's id, for a resource PingOne lists per parent (a user's sessions) */
  readonly parentId?: string;
  /** A filter built with `scim.*`, or raw SCIM text; resources without documented filters take none. */
  readonly filter?: ScimFilter | string;
  /** Page size, for resources whose lists page (DirectoryEndpoint.paged); ignored otherwise. */
  readonly limit?: number;
}

type Json = Record<string, unknown>;

function setMissing(target: Json, path: readonly string[], value: unknown): void {
  let current = target;
  for (const key of path.slice(0, -1)) {
    const next = current[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) current[key] = {};
    current = current[key] as Json;
  }
  const last = path[path.length - 1];
  if (current[last] === undefined) current[last] = value;
}

/**
 * The other resources of the directory (roles, role assignments, applications, identity providers, sessions, audit
 * activities, environments, …), read and written through one class driven by DIRECTORY_ENDPOINTS. Items pass through
 * one door: secrets are dropped (an application's `clientSecret` never leaves the client), what a source implies is
 * added (a built-in role's `type: PLATFORM`), and a child carries its parent's id (`user.id` on a role assignment).
 */
export class DirectoryResources {
  constructor(private readonly ctx: ResourceContext) {}

  endpoint(resource: DirectoryResource): DirectoryEndpoint {
    return DIRECTORY_ENDPOINTS[resource];
  }

  /** Every item (several sources combined, de-duplicated by id), paged as PingOne pages it. */
  list(resource: DirectoryResource, params: DirectoryListParams = {}, options?: RequestOptions): PagedList<DirectoryItem> {
    const endpoint = this.endpoint(resource);
    const parts = endpoint.sources.flatMap((source) => this.#sourceLists(resource, endpoint, source, params, options));
    return parts.length === 1 ? parts[0] : new CombinedPagedList<DirectoryItem>(endpoint.embedded, parts);
  }

  async get(resource: DirectoryResource, id: string, parentId?: string, options?: RequestOptions): Promise<DirectoryItem> {
    const endpoint = this.endpoint(resource);
    if (!endpoint.one) throw new TypeError(`PingOne has no read of one ${resource} by id; list them instead.`);
    const url = this.#url(endpoint.one.path, endpoint.one.root === true, parentId, id);
    const body = (await this.ctx.requester.request({ method: 'GET', url }, options)).body;
    return this.#item(endpoint, body, parentId) as DirectoryItem;
  }

  /** POST of a new item to the resource's (first) list path; PingOne answers with it. */
  async create(resource: DirectoryResource, body: Json, parentId?: string, options?: RequestOptions): Promise<DirectoryItem> {
    const endpoint = this.endpoint(resource);
    if (!endpoint.create) throw new TypeError(`PingOne has no create of ${resource}.`);
    const source = endpoint.sources[0];
    const answer = (
      await this.ctx.requester.request({ method: 'POST', url: this.#url(source.path, source.root === true, parentId), body }, options)
    ).body;
    return this.#item(endpoint, answer, parentId) as DirectoryItem;
  }

  async delete(resource: DirectoryResource, id: string, parentId?: string, options?: RequestOptions): Promise<void> {
    const endpoint = this.endpoint(resource);
    if (!endpoint.remove || !endpoint.one) throw new TypeError(`PingOne has no delete of ${resource}.`);
    await this.ctx.requester.request(
      { method: 'DELETE', url: this.#url(endpoint.one.path, endpoint.one.root === true, parentId, id) },
      options,
    );
  }

  #url(path: string, root: boolean, parentId?: string, id?: string): string {
    let filled = path;
    if (filled.includes('{parent}')) {
      if (parentId === undefined) throw new TypeError(`${path} needs the parent's id.`);
      filled = filled.replace('{parent}', segment(parentId, 'parent id'));
    }
    if (id !== undefined) filled = filled.replace('{id}', segment(id));
    return root ? this.ctx.requester.rootUrl(filled) : filled;
  }

  /** One source's lists: one, or several when the filter must be split to fit the URL budget. */
  #sourceLists(
    resource: DirectoryResource,
    endpoint: DirectoryEndpoint,
    source: ListSource,
    params: DirectoryListParams,
    options?: RequestOptions,
  ): PagedList<DirectoryItem>[] {
    const url = this.#url(source.path, source.root === true, params.parentId);
    const limit = endpoint.paged ? params.limit : undefined;
    const text = (f: ScimFilter | string | undefined) => {
      const mine = f === undefined ? undefined : typeof f === 'string' ? f : serializeScimFilter(f);
      return source.filter && mine ? `${source.filter} and (${mine})` : (source.filter ?? mine);
    };
    const filters =
      params.filter === undefined || typeof params.filter === 'string' || endpoint.post
        ? [params.filter]
        : splitFilterForBudget(
            params.filter,
            (f) => this.ctx.requester.url({ url, query: { limit, filter: text(f) } }).length <= this.ctx.requester.maxUrlLength,
            {
              request: `the URL of GET ${source.path}`,
              budget: this.ctx.requester.maxUrlLength,
              length: (f) => this.ctx.requester.url({ url, query: { limit, filter: text(f) } }).length,
            },
          );
    return filters.map((f) => {
      const filter = text(f);
      const first: ApiCall = endpoint.post
        ? { method: 'POST', url, body: { ...(filter !== undefined ? { filter } : {}), ...(limit !== undefined ? { limit } : {}) } }
        : { method: 'GET', url, query: { limit, filter } };
      const fetch = async (href: string | undefined) => {
        const call: ApiCall = href === undefined ? first : endpoint.post ? { ...first, url: href } : { method: 'GET', url: href };
        const result = await this.ctx.requester.request(call, options);
        return { ...result, body: this.#page(endpoint, source, result.body, params.parentId) };
      };
      const shown = `${first.method} ${this.ctx.requester.shownUrl(endpoint.post ? { url } : { url, query: first.query })}`;
      return new PagedList<DirectoryItem>(endpoint.embedded, fetch, { request: shown, maxPages: this.ctx.requester.maxPages });
    });
  }

  #page(endpoint: DirectoryEndpoint, source: ListSource, body: unknown, parentId: string | undefined): unknown {
    const embedded = (body as { _embedded?: Json } | null)?._embedded;
    const items = embedded?.[endpoint.embedded];
    if (!Array.isArray(items)) return body;
    const shaped = items.map((item) => this.#item(endpoint, item, parentId, source.implied));
    return { ...(body as Json), _embedded: { ...embedded, [endpoint.embedded]: shaped } };
  }

  #item(endpoint: DirectoryEndpoint, item: unknown, parentId: string | undefined, implied?: Readonly<Json>): unknown {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return item;
    const copy: Json = { ...(item as Json) };
    for (const secret of endpoint.secrets ?? []) delete copy[secret];
    for (const [key, value] of Object.entries(implied ?? {})) if (copy[key] === undefined) copy[key] = value;
    if (endpoint.parent && parentId !== undefined) setMissing(copy, endpoint.parent.attribute.split('.'), parentId);
    return copy;
  }
}
