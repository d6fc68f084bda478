import { httpErrors } from '../errors';
import type { ApiResponse, HandlerContext } from '../api-request';
import { collectionResponse } from '../hal';
import { parsePageRequest, readPage, servedPageSize, type PagedCollection, type PageFilter } from '../paging';
import type { ResourceTable } from '../store/resource-table';
import { membershipsOf } from '../store/dynamic-groups';
import {
  CASE_INSENSITIVE_ATTRIBUTES,
  compileScimFilter,
  filterCandidates,
  parseScimFilter,
  validateScimFilter,
  ScimFilterError,
  UnsupportedScimFilterError,
  type FilterContext,
  type FilterResource,
} from '../scim';

/**
 * The `filter=` parameter as a predicate over stored resources, or undefined when absent. Invalid or unsupported
 * filters answer 400 INVALID_DATA with an INVALID_FILTER detail, as PingOne does (pingone-api.md §4, §6).
 */
export function filterPredicate(ctx: HandlerContext, resource: FilterResource): PageFilter | undefined {
  const text = ctx.request.query.get('filter');
  if (text === null) return undefined;
  const { environment } = ctx;
  const mode = { strict: ctx.settings.filters.strict, refused: ctx.refusedCells };
  try {
    const expression = parseScimFilter(text);
    validateScimFilter(
      expression,
      resource,
      resource === 'users'
        ? {
            customAttributes: [...environment.customAttributes],
            containsCustomAttributes: [...environment.containsCustomAttributes],
            ...mode,
          }
        : { customAttributes: [], ...mode },
    );
    const foldsCase = caseRule(ctx);
    const { memberships } = environment;
    const context: FilterContext = {
      memberOfGroups: (id: string) => membershipsOf(environment, id, foldsCase),
      foldsCase,
      directGroups: (id: string) => memberships.directGroups(id),
      directMembers: (id: string) => memberships.directMembers(id),
    };
    // Compiled once for the request: the page and its count evaluate it on up to every record.
    const compiled = compileScimFilter(expression, context);
    return { matches: (record) => compiled(record.data), candidates: filterCandidates(expression, context) };
  } catch (error) {
    throw filterError(error);
  }
}

/** The simulator's case rule: every attribute folds case, or (case-sensitive mode) only the documented ones. */
export function caseRule(ctx: HandlerContext): (attribute: string) => boolean {
  return ctx.settings.filters.caseSensitive ? (attribute) => CASE_INSENSITIVE_ATTRIBUTES.has(attribute) : () => true;
}

/** A filter the simulator can't take, as PingOne answers it: 400 INVALID_DATA with an INVALID_FILTER detail. */
export function filterError(error: unknown): unknown {
  if (!(error instanceof ScimFilterError)) return error;
  return httpErrors.invalidData({
    code: 'INVALID_FILTER',
    target: 'filter',
    message: error.message,
    ...(error instanceof UnsupportedScimFilterError
      ? { innerError: { supportedAttributes: error.supportedAttributes, supportedOperators: error.supportedOperators } }
      : {}),
  });
}

/** GET of a users, groups or populations collection: filter, page (at most the collection's page size), render. */
export function listCollection(
  ctx: HandlerContext,
  table: ResourceTable,
  resource: FilterResource & PagedCollection,
  render: (data: Record<string, unknown>) => unknown,
  options: { sortSelfQuery?: boolean } = {},
): ApiResponse {
  const policy = ctx.settings.paging;
  const request = parsePageRequest(ctx.request.query);
  const size = servedPageSize(policy, resource, request, ctx.request.query.get('filter') ?? '');
  const omitCountAbove = policy.omitCountAbove ?? policy.pageSizes[resource];
  const page = readPage(table, request, size, filterPredicate(ctx, resource), omitCountAbove);
  return collectionResponse(ctx.request, ctx.view.apiUrl, resource, page, render, options.sortSelfQuery ? { sortSelfQuery: true } : {});
}
