import { httpErrors } from './errors';
import type { ResourceTable, StoredResource } from './store/resource-table';

export const MAX_PAGE_SIZE = 1000;

export interface PageRequest {
  readonly limit: number;
  readonly afterSeq: number;
}

export interface Page {
  readonly items: readonly StoredResource[];
  /** Sequence number to continue after, when more matching items exist. */
  readonly nextAfterSeq: number | undefined;
  /** Total number of matching items (PingOne's `count`). */
  readonly count: number;
}

/** `limit` must be an integer in 1..1000 (OpenAPI: minimum 1, maximum 1000). */
export function parsePageRequest(query: URLSearchParams, defaultLimit: number): PageRequest {
  const rawLimit = query.get('limit');
  let limit = defaultLimit;
  if (rawLimit !== null) {
    limit = /^\d{1,7}$/.test(rawLimit) ? Number(rawLimit) : NaN;
    if (!(limit >= 1 && limit <= MAX_PAGE_SIZE)) {
      throw httpErrors.invalidData({
        code: 'OUT_OF_RANGE',
        target: 'limit',
        message: `limit must be an integer between 1 and ${MAX_PAGE_SIZE}; got '${rawLimit}'.`,
        innerError: { rangeMinimumValue: 1, rangeMaximumValue: MAX_PAGE_SIZE },
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
  throw httpErrors.invalidData({ code: 'INVALID_VALUE', target: 'cursor', message: 'The cursor is not valid. Follow _links.next.href as returned.' });
}

/**
 * One page of matching items. With `shortPages` the page holds at most half of `limit` (as PingOne may serve
 * fewer items than asked for), so clients must follow `_links.next` instead of comparing `size` with `limit`.
 */
export function readPage(table: ResourceTable, request: PageRequest, filter: ((r: StoredResource) => boolean) | undefined, shortPages: boolean): Page {
  const matches = filter ?? (() => true);
  const pageSize = shortPages ? Math.max(1, Math.floor(request.limit / 2)) : request.limit;
  const items: StoredResource[] = [];
  let nextAfterSeq: number | undefined;
  for (const record of table.scanAfter(request.afterSeq)) {
    if (!matches(record)) continue;
    if (items.length === pageSize) {
      nextAfterSeq = items[items.length - 1]!.seq;
      break;
    }
    items.push(record);
  }
  // Without a filter the count is the table size: an unfiltered page never scans the whole collection.
  return { items, nextAfterSeq, count: filter ? countMatching(table, filter) : table.size };
}

function countMatching(table: ResourceTable, matches: (r: StoredResource) => boolean): number {
  let count = 0;
  for (const record of table.values()) if (matches(record)) count++;
  return count;
}

/** The request URL with `cursor` replaced, keeping the other parameters in the order the client sent them. */
export function pageHref(baseHref: string, rawQuery: string, afterSeq: number): string {
  const params = rawQuery.split('&').filter((p) => p !== '' && !p.startsWith('cursor='));
  params.push(`cursor=${encodeCursor(afterSeq)}`);
  return `${baseHref}?${params.join('&')}`;
}
