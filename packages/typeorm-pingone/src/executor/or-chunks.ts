import { scim, serializeScimFilter, type ScimFilter } from '@typeorm-pingone/client';

/** Room for the query string's other parameters and the encoding differences between this estimate and the client's. */
const MARGIN = 96;
/**
 * Room for `&cursor=…` on the pages after the first: PingOne's next link is the first page's URL with its opaque
 * cursor added, so a filter that just fits the first page would put every later page over the budget. PingOne
 * documents no cursor length; the simulator's are about 20 characters (RemoteDirectory.listAll still recovers from a
 * longer one by splitting the part that hit it).
 */
export const CURSOR_ROOM = 160;
/** PingOne serves at most this many items a page (users: 200, pingone-api.md §5): an OR of fewer unique keys is one page. */
const SMALLEST_PAGE = 200;
/** Attributes whose `eq` matches at most one resource (ids; usernames, unique case-insensitively). */
const UNIQUE = new Set(['id', 'username']);

const encodedLength = (filter: ScimFilter) => encodeURIComponent(serializeScimFilter(filter)).length;

/**
 * A filter whose long OR (`id eq … or …`, an IN list, join keys) would not fit one request URL, as several filters
 * that each fit with every page of their answer (later pages carry a cursor), packed greedily so the request count is
 * the minimum: the planner sends them at the same time instead of letting the client send its split parts one after
 * another. `baseUrlLength` is the URL without the filter; `maxUrlLength` the client's budget. Anything else is
 * returned whole (the client still splits it if it must).
 */
export function orChunks(filter: ScimFilter, baseUrlLength: number, maxUrlLength: number): ScimFilter[] {
  const rest = filter.kind === 'and' ? filter.filters : [filter];
  const index = rest.findIndex((f) => f.kind === 'or');
  const or = rest[index];
  // An OR of unique keys is cut into parts of at most a page of terms, which need no next page; else room for a cursor.
  const keysOnly = or?.kind === 'or' && or.filters.every(unique);
  const onePage = rest.some(unique) || keysOnly;
  const budget = maxUrlLength - MARGIN - baseUrlLength - (onePage ? 0 : CURSOR_ROOM);
  const perPart = keysOnly && !rest.some(unique) ? SMALLEST_PAGE : Infinity;
  if (encodedLength(filter) <= budget && !(or?.kind === 'or' && or.filters.length > perPart)) return [filter];
  if (!or || or.kind !== 'or') return [filter];
  const others = rest.filter((_, i) => i !== index);
  const build = (terms: readonly ScimFilter[]) => (others.length > 0 ? scim.and(...others, scim.or(...terms)) : scim.or(...terms));
  // Fixed part: the other conjuncts and the parentheses; each term adds its own length and a " or ".
  const fixed = others.length > 0 ? encodedLength(scim.and(...others)) + encodeURIComponent(' and ()').length : 0;
  const separator = encodeURIComponent(' or ').length;
  const chunks: ScimFilter[] = [];
  let terms: ScimFilter[] = [];
  let length = fixed;
  for (const term of or.filters) {
    const add = encodedLength(term) + (terms.length > 0 ? separator : 0) + (term.kind === 'and' || term.kind === 'or' ? 6 : 0);
    if (terms.length > 0 && (length + add > budget || terms.length === perPart)) {
      chunks.push(build(terms));
      terms = [];
      length = fixed;
    }
    terms.push(term);
    length += add;
  }
  if (terms.length > 0) chunks.push(build(terms));
  return chunks;
}

/** A comparison that matches at most one resource: `eq` on an id or a username (unique case-insensitively). */
function unique(f: ScimFilter): boolean {
  return f.kind === 'compare' && f.operator === 'eq' && UNIQUE.has(f.attribute);
}

/**
 * A filter's OR list cut in two halves (the other conjuncts kept in both), for a part whose later page went over the
 * request-size budget after all (a cursor longer than CURSOR_ROOM): the halves' first pages are shorter by half the
 * list. Undefined when there is no OR list of two or more terms to cut.
 */
export function halves(filter: ScimFilter): [ScimFilter, ScimFilter] | undefined {
  const rest = filter.kind === 'and' ? filter.filters : [filter];
  const or = rest.find((f) => f.kind === 'or');
  if (!or || or.kind !== 'or' || or.filters.length < 2) return undefined;
  const others = rest.filter((f) => f !== or);
  const build = (terms: readonly ScimFilter[]) => (others.length > 0 ? scim.and(...others, scim.or(...terms)) : scim.or(...terms));
  const middle = Math.ceil(or.filters.length / 2);
  return [build(or.filters.slice(0, middle)), build(or.filters.slice(middle))];
}
