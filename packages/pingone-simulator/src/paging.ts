import { createHash } from 'node:crypto';
import { httpErrors } from './errors';
import type { ResourceTable, StoredResource } from './store/resource-table';

/** Largest `limit` PingOne accepts (OpenAPI: minimum 1, maximum 1000 on users and groups). */
export const MAX_LIMIT = 1000;

export type PagedCollection = 'users' | 'groups' | 'populations' | 'memberships' | 'environments' | 'organizations' | 'activities';

/**
 * Most items one page holds, whatever `limit` asks for. Users: PingOne documents a page-size limit of 200 ("use the
 * page size in the response rather than the requested limit", Platform API "Paging and ordering collections");
 * groups: the spec's limit maximum, 1000. Populations and a user's memberships: no maximum is documented (the spec
 * gives their `limit` no bounds), so the platform's 1000 (a guess, docs/simulator.md).
 */
export const PINGONE_PAGE_SIZES: Readonly<Record<PagedCollection, number>> = Object.freeze({
  users: 200,
  groups: 1000,
  populations: 1000,
  memberships: 1000,
  environments: 1000,
  organizations: 1000,
  activities: 1000,
});

/**
 * A page without `limit`. PingOne: "the lesser of the service's maximum page size and the collection size", except
 * populations, whose documented default is 250 ("Read all populations"; a default, not a maximum); memberships: 100,
 * the spec's example `limit` for that endpoint (a guess, docs/simulator.md). Environments: 1000 (Ping's Go client:
 * default 1000); organizations: 1000 (a guess); audit activities: 100 ("Read Audit Activities": "Default value is
 * 100"), at most 1000 (a guess).
 */
export const PINGONE_DEFAULT_PAGE_SIZES: Readonly<Record<PagedCollection, number>> = Object.freeze({
  users: 200,
  groups: 1000,
  populations: 250,
  memberships: 100,
  environments: 1000,
  organizations: 1000,
  activities: 100,
});

/** `off`: full pages; `half`: at most half of the page size; `random`: 1..page size, chosen by a seeded hash. */
export type ShortPages = 'off' | 'half' | 'random';

export interface PagingPolicy {
  readonly pageSizes: Readonly<Record<PagedCollection, number>>;
  /** Page size when a request has no `limit` (capped by `pageSizes`). */
  readonly defaultPageSizes: Readonly<Record<PagedCollection, number>>;
  readonly shortPages: ShortPages;
  readonly pageSeed: string;
  /** A filtered result with more matches than this leaves `count` out; undefined: the collection's page size. */
  readonly omitCountAbove: number | false | undefined;
}

export interface PageRequest {
  readonly limit: number | undefined;
  readonly afterSeq: number;
}

export interface Page {
  readonly items: readonly StoredResource[];
  /** Sequence number to continue after, when more matching items exist. */
  readonly nextAfterSeq: number | undefined;
  /** Total number of matching items (PingOne's `count`); undefined when PingOne would leave it out. */
  readonly count: number | undefined;
}

/** `limit` must be an integer in 1..1000 (OpenAPI: minimum 1, maximum 1000). */
export function parsePageRequest(query: URLSearchParams): PageRequest {
  const rawLimit = query.get('limit');
  let limit: number | undefined;
  if (rawLimit !== null) {
    limit = /^\d{1,7}$/.test(rawLimit) ? Number(rawLimit) : NaN;
    if (!(limit >= 1 && limit <= MAX_LIMIT)) {
      throw httpErrors.invalidData({
        code: 'OUT_OF_RANGE',
        target: 'limit',
        message: `limit must be an integer between 1 and ${MAX_LIMIT}; got '${rawLimit}'.`,
        innerError: { rangeMinimumValue: 1, rangeMaximumValue: MAX_LIMIT },
      });
    }
  }
  const cursor = query.get('cursor');
  return { limit, afterSeq: cursor === null ? 0 : decodeCursor(cursor) };
}

// The cursor is opaque to clients; inside it is the sequence number of the last item served, so it stays valid
// while other requests insert or delete.
export function encodeCursor(afterSeq: number): string {
  return Buffer.from(JSON.stringify({ a: afterSeq }), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): number {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const after = (parsed as { a?: unknown }).a;
    if (typeof after === 'number' && Number.isSafeInteger(after) && after >= 0) return after;
  } catch {
    // fall through to the error below
  }
  throw httpErrors.invalidData({
    code: 'INVALID_VALUE',
    target: 'cursor',
    message: 'The cursor is not valid. Follow _links.next.href as returned.',
  });
}

/**
 * How many items this page holds. The random size is a hash of the seed, the collection, the filter, the limit and
 * the cursor position, so the same request always gets the same page (tests stay deterministic, also when requests
 * run concurrently) while different pages get different sizes.
 */
export function servedPageSize(policy: PagingPolicy, collection: PagedCollection, request: PageRequest, filterText: string): number {
  const cap = policy.pageSizes[collection];
  const size = Math.min(request.limit ?? policy.defaultPageSizes[collection], cap);
  if (policy.shortPages === 'half') return Math.max(1, Math.floor(size / 2));
  if (policy.shortPages === 'random') {
    const digest = createHash('sha256')
      .update(`${policy.pageSeed}\0${collection}\0${filterText}\0${request.limit ?? ''}\0${request.afterSeq}`)
      .digest();
    return 1 + (digest.readUInt32BE(0) % size);
  }
  return size;
}

/**
 * Candidates are read instead of scanning the table when there are fewer than 1 / ratio of its size (`readPage`'s
 * `candidatesRatio`; 0: whenever there are candidates, as the test comparing both ways asks).
 */
const CANDIDATES_RATIO = 8;

/** A list's filter: the predicate, and optionally the ids of the only resources it can match (filterCandidates). */
export interface PageFilter {
  readonly matches: (r: StoredResource) => boolean;
  readonly candidates?: readonly string[];
}

/**
 * One page of matching items. `count` follows PingOne's documented "count is optional; absent usually means many":
 * a filtered result with more matches than the threshold (by default more than fit on one page) goes without it.
 * Unfiltered lists always carry it, as every recording does.
 */
export function readPage(
  table: ResourceTable,
  request: PageRequest,
  pageSize: number,
  filter: PageFilter | undefined,
  omitCountAbove: number | false,
  candidatesRatio = CANDIDATES_RATIO,
): Page {
  // Candidates pay when they are few: each page evaluates and sorts all of them, while a scan stops once it has the
  // page (and the count once past the threshold), so a group holding most of the directory is read by scanning.
  if (filter?.candidates && filter.candidates.length * candidatesRatio < table.size)
    return readCandidatePage(table, request, pageSize, filter.matches, filter.candidates, omitCountAbove);
  const matches = filter?.matches ?? (() => true);
  const items: StoredResource[] = [];
  let nextAfterSeq: number | undefined;
  for (const record of table.scanAfter(request.afterSeq)) {
    if (!matches(record)) continue;
    if (items.length === pageSize) {
      nextAfterSeq = items[items.length - 1].seq;
      break;
    }
    items.push(record);
  }
  // Without a filter the count is the table size: an unfiltered page never scans the whole collection.
  if (!filter) return { items, nextAfterSeq, count: table.size };
  const count = countMatching(table, matches, omitCountAbove === false ? Infinity : omitCountAbove + 1);
  return { items, nextAfterSeq, count: omitCountAbove !== false && count > omitCountAbove ? undefined : count };
}

/**
 * The same page as the scan above, from the few resources the filter can match (a group's members): the matching
 * ones in sequence order, as a scan meets them, then the page after the cursor and the count of all of them.
 */
function readCandidatePage(
  table: ResourceTable,
  request: PageRequest,
  pageSize: number,
  matches: (r: StoredResource) => boolean,
  candidates: readonly string[],
  omitCountAbove: number | false,
): Page {
  const matching: StoredResource[] = [];
  for (const id of candidates) {
    const record = table.get(id);
    if (record && matches(record)) matching.push(record);
  }
  matching.sort((a, b) => a.seq - b.seq);
  let start = 0;
  while (start < matching.length && matching[start].seq <= request.afterSeq) start++;
  const items = matching.slice(start, start + pageSize);
  const nextAfterSeq = start + pageSize < matching.length ? items[items.length - 1].seq : undefined;
  const count = matching.length;
  return { items, nextAfterSeq, count: omitCountAbove !== false && count > omitCountAbove ? undefined : count };
}

/**
 * Matching items, counted up to `stop`: past the threshold the count is left out anyway, so the scan ends there (a
 * filtered page of a large directory would otherwise evaluate the filter on every user, on every page).
 */
function countMatching(table: ResourceTable, matches: (r: StoredResource) => boolean, stop: number): number {
  let count = 0;
  for (const record of table.values()) if (matches(record) && ++count >= stop) break;
  return count;
}

/** The request URL with `cursor` replaced, keeping the other parameters in the order the client sent them. */
export function pageHref(baseHref: string, rawQuery: string, afterSeq: number): string {
  const params = rawQuery.split('&').filter((p) => p !== '' && !p.startsWith('cursor='));
  params.push(`cursor=${encodeCursor(afterSeq)}`);
  return `${baseHref}?${params.join('&')}`;
}
