import type { ApiRequester, RequestOptions } from '../http/api-requester';
import { PagedList } from '../paging/paged-list';
import { serializeScimFilter, type ScimFilter } from '../filter/scim-filter';

/** The narrow dependency every resource gets: a requester bound to one environment. */
export interface ResourceContext {
  readonly requester: ApiRequester;
}

export interface ListParams {
  /** A filter built with `scim.*` (quoted and escaped for you), or raw SCIM text. */
  readonly filter?: ScimFilter | string;
  /** Page size, 1..1000. PingOne may still serve shorter pages. */
  readonly limit?: number;
}

export function filterText(filter: ScimFilter | string | undefined): string | undefined {
  return filter === undefined ? undefined : typeof filter === 'string' ? filter : serializeScimFilter(filter);
}

/** A paged GET of `path`, following `_links.next.href` from the second page on. */
export function pagedList<T>(ctx: ResourceContext, path: string, plural: string, query: Record<string, string | number | undefined>, options?: RequestOptions): PagedList<T> {
  return new PagedList<T>(plural, (href) =>
    ctx.requester.request(href === undefined ? { method: 'GET', url: path, query } : { method: 'GET', url: href }, options),
  );
}

export function listQuery(params: ListParams = {}): Record<string, string | number | undefined> {
  return { limit: params.limit, filter: filterText(params.filter) };
}

/** An id in a path segment, encoded so that no value can reach another endpoint. */
export function segment(id: string): string {
  if (typeof id !== 'string' || id === '') throw new TypeError('PingOne ids must be non-empty strings.');
  return encodeURIComponent(id);
}
