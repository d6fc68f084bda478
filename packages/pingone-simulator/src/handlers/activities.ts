import type { ApiResponse, HandlerContext } from '../api-request';
import { httpErrors } from '../errors';
import { parseScimFilter, type ScimExpression } from '../scim';
import type { Json } from '../store/attributes';
import { directoryPage, envHref, type SimulatedCollection } from './directory';
import { filterError } from './list-filter';
import { objectBody } from './request-body';
import { ScimFilterError } from '../scim';

/** Audit data PingOne serves from /activities: "By default, this endpoint only returns the most recent 14 days of events". */
export const AUDIT_WINDOW_DAYS = 14;

export const activities: SimulatedCollection = {
  embedded: 'activities',
  filter: 'activities',
  paged: 'activities',
  records: (ctx) => {
    const since = new Date(Date.now() - AUDIT_WINDOW_DAYS * 86_400_000).toISOString();
    return [...ctx.environment.directory.table('activities').scanAfter(0)].filter(
      (r) => typeof r.data.recordedAt === 'string' && r.data.recordedAt >= since,
    );
  },
  self: (ctx, data) => envHref(ctx, `/activities/${String(data.id)}`),
};

const RANGE_NAMES = new Set(['recordedat', 'recordedAt']);

/** The bounds a filter puts on recordedAt (at its top-level ANDs). */
function bounds(node: ScimExpression, out = { lower: false, upper: false }): { lower: boolean; upper: boolean } {
  if (node.kind === 'and') {
    bounds(node.left, out);
    bounds(node.right, out);
  } else if (node.kind === 'compare' && RANGE_NAMES.has(node.attribute)) {
    if (node.operator === 'gt' || node.operator === 'ge') out.lower = true;
    if (node.operator === 'lt' || node.operator === 'le') out.upper = true;
  }
  return out;
}

/** "The minimum filter must include a date range" ("Read Audit Activities"): a filter without both bounds is refused. */
function requireRange(text: string | undefined): void {
  const missing = 'GET and POST /activities need a filter with a recordedAt range: recordedat gt "<from>" and recordedat lt "<to>".';
  if (text === undefined) throw filterError(new ScimFilterError(missing));
  let range;
  try {
    range = bounds(parseScimFilter(text));
  } catch (error) {
    throw filterError(error);
  }
  if (!range.lower || !range.upper) throw filterError(new ScimFilterError(missing));
}

export function listActivities(ctx: HandlerContext): ApiResponse {
  const text = ctx.request.query.get('filter') ?? undefined;
  requireRange(text);
  return directoryPage(ctx, activities, text, ctx.request.query);
}

/**
 * `POST /activities {filter, limit}`: the same query with the filter in the body, so the personal data it may hold
 * stays out of URLs ("Read Audit Activities", POST). Its next link carries only the cursor; the next page is asked for
 * with the same body (the simulator's reading; PingOne's page names an `offset` body field without saying more).
 */
export function searchActivities(ctx: HandlerContext): ApiResponse {
  const body: Json = objectBody(ctx.request.body, ctx.request.contentType);
  const text = typeof body.filter === 'string' ? body.filter : undefined;
  if (body.filter !== undefined && text === undefined)
    throw httpErrors.invalidData({ code: 'INVALID_VALUE', target: 'filter', message: 'filter must be a string.' });
  requireRange(text);
  const query = new URLSearchParams();
  if (typeof body.limit === 'number' || typeof body.limit === 'string') query.set('limit', String(body.limit));
  else if (body.limit !== undefined)
    throw httpErrors.invalidData({ code: 'INVALID_VALUE', target: 'limit', message: 'limit must be a number.' });
  const cursor = ctx.request.query.get('cursor') ?? (typeof body.cursor === 'string' ? body.cursor : undefined);
  if (cursor !== undefined) query.set('cursor', cursor);
  return directoryPage(ctx, activities, text, query);
}
