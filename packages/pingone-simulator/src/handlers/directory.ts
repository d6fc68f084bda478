import type { ApiResponse, HandlerContext } from '../api-request';
import { httpErrors } from '../errors';
import { collectionResponse } from '../hal';
import { parsePageRequest, servedPageSize, type Page, type PagedCollection } from '../paging';
import { compileScimFilter, parseScimFilter, ScimFilterError, validateScimFilter, type FilterResource, FILTER_MATRIX } from '../scim';
import type { Json } from '../store/attributes';
import { renderDirectoryItem } from '../store/directory-data';
import type { StoredResource } from '../store/resource-table';
import { caseRule, filterError } from './list-filter';
import { environmentPath } from '../views';

/**
 * One of the directory's other collections, served from data: where its items come from, how an item's self link
 * reads, and whether PingOne pages and filters it (each from the spec and PingOne's pages; docs/simulator.md).
 */
export interface SimulatedCollection {
  readonly embedded: string;
  /** the items, in order (their sequence numbers keep cursors valid); throws 404 when the parent doesn't exist */
  readonly records: (ctx: HandlerContext) => readonly StoredResource[];
  /** the item's self link, below the API root */
  readonly self: (ctx: HandlerContext, data: Json) => string;
  /** the filter matrix entry it takes; absent: PingOne documents no filter, so `filter=` is refused */
  readonly filter?: FilterResource;
  /** the paging policy entry when PingOne pages it (`limit`, cursor); absent: every item in one answer */
  readonly paged?: PagedCollection;
  /** rendered otherwise than `_links.self` + its attributes */
  readonly render?: (ctx: HandlerContext, data: Json) => Json;
}

/** `${environment}/…` or `${apiUrl}/…`: a self link. */
export const envHref = (ctx: HandlerContext, path: string) => `${environmentPath(ctx.view)}${path}`;
export const rootHref = (ctx: HandlerContext, path: string) => `${ctx.view.apiUrl}${path}`;

/** The `filter` of a request (query or, for the POST form, body) as a predicate, validated against the matrix. */
export function directoryFilter(
  ctx: HandlerContext,
  collection: SimulatedCollection,
  text: string | undefined,
): ((data: Json) => boolean) | undefined {
  if (text === undefined) return undefined;
  try {
    const expression = parseScimFilter(text);
    if (!collection.filter)
      throw new ScimFilterError(`This collection takes no filter; PingOne documents none for ${collection.embedded}.`);
    validateScimFilter(expression, collection.filter, {
      customAttributes: [],
      strict: ctx.settings.filters.strict,
      refused: ctx.refusedCells,
    });
    const paths = FILTER_MATRIX[collection.filter].paths ?? {};
    const foldsCase = caseRule(ctx);
    const renamed = renameAttributes(expression, paths);
    return compileScimFilter(renamed, { memberOfGroups: () => [], foldsCase });
  } catch (error) {
    throw filterError(error);
  }
}

function renameAttributes(
  node: ReturnType<typeof parseScimFilter>,
  paths: Readonly<Record<string, string>>,
): ReturnType<typeof parseScimFilter> {
  switch (node.kind) {
    case 'and':
    case 'or':
      return { ...node, left: renameAttributes(node.left, paths), right: renameAttributes(node.right, paths) };
    case 'not':
      return { ...node, expression: renameAttributes(node.expression, paths) };
    case 'compare':
    case 'present':
      return { ...node, attribute: paths[node.attribute] ?? node.attribute };
    default:
      return node;
  }
}

/** A page of a directory collection: filtered, then one page when it is paged, else every item. */
export function directoryPage(
  ctx: HandlerContext,
  collection: SimulatedCollection,
  filterText: string | undefined,
  query: URLSearchParams,
): ApiResponse {
  const keep = directoryFilter(ctx, collection, filterText) ?? (() => true);
  const matching = collection.records(ctx).filter((r) => keep(r.data));
  let page: Page;
  if (collection.paged) {
    const request = parsePageRequest(query);
    const size = servedPageSize(ctx.settings.paging, collection.paged, request, filterText ?? '');
    const after = matching.filter((r) => r.seq > request.afterSeq);
    const items = after.slice(0, size);
    page = { items, nextAfterSeq: after.length > size ? items[items.length - 1].seq : undefined, count: matching.length };
  } else {
    page = { items: matching, nextAfterSeq: undefined, count: matching.length };
  }
  const render = collection.render ?? ((c: HandlerContext, data: Json) => renderDirectoryItem(collection.self(c, data), data));
  return collectionResponse(ctx.request, ctx.view.apiUrl, collection.embedded, page, (data) => render(ctx, data));
}

export function listDirectory(collection: SimulatedCollection) {
  return (ctx: HandlerContext): ApiResponse =>
    directoryPage(ctx, collection, ctx.request.query.get('filter') ?? undefined, ctx.request.query);
}

/** One item by `:id` among the collection's items (404 otherwise). */
export function readDirectoryItem(collection: SimulatedCollection) {
  return (ctx: HandlerContext): ApiResponse => {
    const found = collection.records(ctx).find((r) => r.data.id === ctx.request.params.id);
    if (!found) throw httpErrors.notFound();
    const render = collection.render ?? ((c: HandlerContext, data: Json) => renderDirectoryItem(collection.self(c, data), data));
    return { status: 200, body: render(ctx, found.data) };
  };
}
