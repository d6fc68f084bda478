import { PingOneError } from '../errors';
import { cutText } from '../http/url-budget';
import { notAnIdBecause } from '../resources/pingone-id';
import { valueText } from '../value-text';

export interface Page<T> {
  readonly items: readonly T[];
  /** Total matching items, when PingOne sends it (it may be absent or approximate on large collections). */
  readonly count: number | undefined;
  /** Items in this page as PingOne reports it. */
  readonly size: number | undefined;
  /** Whether PingOne offered a next page (`_links.next`). Pages may be shorter than `limit` even when it does. */
  readonly hasNext: boolean;
}

/** An item as an error shows it: its type and a short start, never a whole (possibly huge) resource. */
function shownItem(item: unknown): string {
  if (item === null) return 'null';
  if (Array.isArray(item)) return `an array of ${item.length}`;
  if (typeof item === 'object') return 'an object';
  if (typeof item === 'string') return `the string ${JSON.stringify(cutText(item, 40, 0))}`;
  return `${typeof item} ${valueText(item).slice(0, 40)}`;
}

const invalid = (request: string, what: string) =>
  new PingOneError(
    'INVALID_RESPONSE',
    `PingOne ${request} returned ${what}. PingOne sends resources as JSON objects with a string id; a proxy, a wrong apiUrl or a misbehaving server is answering. Nothing of this answer was used.`,
  );

/**
 * Each item must be a resource: an object whose `id` can be a PingOne id. Anything else (null, 1, "x", [], an id
 * that is an object, a number or `../x`) would become a row nobody can address, or a crash further on (reading an
 * attribute of null), or a row a COUNT counts: the page is refused instead, naming the item and the request.
 */
function checkItems(items: readonly unknown[], plural: string, request: string): void {
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw invalid(request, `${shownItem(item)} as item ${i} of _embedded.${plural}, where a resource (an object) belongs`);
    }
    const id = (item as { id?: unknown }).id;
    const why = notAnIdBecause(id);
    if (why !== undefined) {
      throw invalid(
        request,
        `item ${i} of _embedded.${plural} with ${id === undefined ? 'no id' : `the id ${shownItem(id)}`}${id === undefined ? '' : ` (${why})`}`,
      );
    }
  }
}

/** `count` and `size` are whole numbers when present: a COUNT(*) may be answered from `count` alone. */
function wholeOrAbsent(value: unknown, name: string, request: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  throw invalid(request, `a collection whose ${name} is ${shownItem(value)}, not a whole number`);
}

/**
 * PingOne's HAL collection (`{_links:{self,next?}, _embedded:{<plural>:[…]}, count?, size?}`) normalised in one
 * place. The end is where `_links.next` is absent, never where `size < limit` (pingone-api.md §5). `request` names
 * the request in errors (e.g. `GET https://…/users?limit=1000`).
 */
export function readHalPage<T>(body: unknown, plural: string, request = 'a list request'): Page<T> & { readonly next: string | undefined } {
  // An empty list is `_embedded.<plural>: []` (pingone-api.md §5); a body without `_embedded` is not a collection,
  // and reading it as one would turn a proxy's `{}` into "no rows".
  if (
    typeof body !== 'object' ||
    body === null ||
    Array.isArray(body) ||
    typeof (body as { _embedded?: unknown })._embedded !== 'object' ||
    (body as { _embedded?: unknown })._embedded === null
  ) {
    const shape =
      body === undefined
        ? 'no body'
        : Array.isArray(body)
          ? 'an array'
          : typeof body === 'object' && body !== null
            ? `an object without _embedded (keys: ${
                Object.keys(body)
                  .slice(0, 5)
                  .map((k) => cutText(k, 30, 0))
                  .join(', ') || 'none'
              })`
            : `a ${typeof body}`;
    throw new PingOneError(
      'INVALID_RESPONSE',
      `PingOne ${request} returned ${shape} where a collection of ${plural} (a HAL body with _embedded.${plural}) was expected. A proxy or a wrong apiUrl may be answering instead of PingOne.`,
    );
  }
  const hal = body as { _links?: unknown; _embedded: Record<string, unknown>; count?: unknown; size?: unknown };
  const items = hal._embedded[plural] ?? [];
  if (!Array.isArray(items)) throw invalid(request, `a collection whose _embedded.${plural} is ${shownItem(items)}, not an array`);
  checkItems(items, plural, request);
  const link = typeof hal._links === 'object' && hal._links !== null ? (hal._links as { next?: unknown }).next : undefined;
  const href = typeof link === 'object' && link !== null ? (link as { href?: unknown }).href : undefined;
  // A next link that is there but unreadable would end the list early, silently: it is an error instead.
  if (link !== undefined && link !== null && typeof href !== 'string')
    throw invalid(request, `a next link without a string href (${shownItem(href)})`);
  return {
    items: items as T[],
    count: wholeOrAbsent(hal.count, 'count', request),
    size: wholeOrAbsent(hal.size, 'size', request),
    hasNext: typeof href === 'string',
    next: typeof href === 'string' ? href : undefined,
  };
}
