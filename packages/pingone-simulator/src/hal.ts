import type { ApiRequest, ApiResponse } from './api-request';
import { pageHref, type Page } from './paging';

/**
 * A HAL collection as PingOne sends it (real-recordings/fetch-users.har): `_links.self` echoing the request,
 * `_links.next` when more items exist, `_embedded.<plural>`, then `count` (when known) and `size`.
 */
export function collectionResponse(
  request: ApiRequest,
  apiUrl: string,
  plural: string,
  page: Page,
  render: (data: Record<string, unknown>) => unknown,
  options: { sortSelfQuery?: boolean } = {},
): ApiResponse {
  const base = `${apiUrl}${request.path.replace(/^\/v1/, '')}`;
  // Real /groups responses echo the query sorted by parameter name (filter before limit) while /users keep the
  // order the client sent (real-recordings/build-*-relationships.har); both are reproduced.
  const rawQuery = options.sortSelfQuery ? request.rawQuery.split('&').filter(Boolean).sort().join('&') : request.rawQuery;
  const self = rawQuery ? `${base}?${rawQuery}` : base;
  const links: Record<string, { href: string }> = { self: { href: self } };
  if (page.nextAfterSeq !== undefined) links.next = { href: pageHref(base, request.rawQuery, page.nextAfterSeq) };
  return {
    status: 200,
    body: {
      _links: links,
      _embedded: { [plural]: page.items.map((record) => render(record.data)) },
      ...(page.count !== undefined ? { count: page.count } : {}),
      size: page.items.length,
    },
  };
}

/** A collection that is not paged (memberships of one user or group). */
export function listResponse(request: ApiRequest, apiUrl: string, plural: string, items: readonly unknown[]): ApiResponse {
  const base = `${apiUrl}${request.path.replace(/^\/v1/, '')}`;
  return {
    status: 200,
    body: {
      _links: { self: { href: request.rawQuery ? `${base}?${request.rawQuery}` : base } },
      _embedded: { [plural]: items },
      count: items.length,
      size: items.length,
    },
  };
}
