import type { ApiRequester, RequestOptions } from '../http/api-requester';
import { PagedList } from '../paging/paged-list';
import { serializeScimFilter, type ScimFilter } from '../filter/scim-filter';
import { PingOneInvalidIdError } from '../errors';
import { notAnIdBecause } from './pingone-id';
import { splitFilterForBudget } from '../filter/filter-budget';
import { CombinedPagedList } from './combined-list';

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

/** A list whose items can embed related documents (`expand=`): users their population, memberships their group. */
export interface ExpandableListParams<E extends string> extends ListParams {
  readonly expand?: readonly E[];
}

/** `expand` as PingOne takes it: one comma-separated value, or none. */
export function expandQuery(expand: readonly string[] | undefined): string | undefined {
  return expand !== undefined && expand.length > 0 ? expand.join(',') : undefined;
}

/** A paged GET of `path`, following `_links.next.href` from the second page on. */
function onePagedList<T>(
  ctx: ResourceContext,
  path: string,
  plural: string,
  query: Record<string, string | number | undefined>,
  options?: RequestOptions,
): PagedList<T> {
  return new PagedList<T>(
    plural,
    (href) => ctx.requester.request(href === undefined ? { method: 'GET', url: path, query } : { method: 'GET', url: href }, options),
    { request: `GET ${ctx.requester.shownUrl({ url: path, query })}`, maxPages: ctx.requester.maxPages },
  );
}

/**
 * A paged GET of `path` with `params`. A filter (built with `scim.*`) whose URL would exceed the request-size
 * budget is split into several requests whose results are combined, de-duplicated by id; see splitFilterForBudget.
 */
export function pagedList<T>(
  ctx: ResourceContext,
  path: string,
  plural: string,
  params: ListParams & { readonly expand?: readonly string[] } = {},
  options?: RequestOptions,
): PagedList<T> {
  const expand = expandQuery(params.expand);
  const query = (filter: string | undefined) => ({ limit: params.limit, filter, expand });
  const filter = params.filter;
  if (filter === undefined || typeof filter === 'string') return onePagedList<T>(ctx, path, plural, query(filter), options);
  const length = (f: ScimFilter) => ctx.requester.url({ url: path, query: query(serializeScimFilter(f)) }).length;
  const budget = ctx.requester.maxUrlLength;
  const parts = splitFilterForBudget(filter, (f) => length(f) <= budget, { request: `the URL of GET ${path}`, budget, length });
  if (parts.length === 1) return onePagedList<T>(ctx, path, plural, query(serializeScimFilter(parts[0])), options);
  return new CombinedPagedList<T>(
    plural,
    parts.map((part) => onePagedList<T>(ctx, path, plural, query(serializeScimFilter(part)), options)),
  );
}

/**
 * An id in a path segment, refused before any request when it can't be a PingOne id (it could address another
 * resource, or could never name one), else encoded so that it arrives as exactly one segment. `what` names the
 * argument in the error (e.g. "group id").
 */
export function segment(id: string, what = 'id'): string {
  const why = notAnIdBecause(id);
  if (why !== undefined) throw new PingOneInvalidIdError(id, what, why);
  return encodeURIComponent(id);
}
