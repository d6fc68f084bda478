import { scim, serializeScimFilter, type ScimFilter } from '@typeorm-pingone/client';

/** The client's default request-size budget (DEFAULT_MAX_URL_LENGTH); a smaller configured one is split further by the client. */
const URL_BUDGET = 4096;
/** Room for the query string's other parameters and the encoding differences between this estimate and the client's. */
const MARGIN = 96;

const encodedLength = (filter: ScimFilter) => encodeURIComponent(serializeScimFilter(filter)).length;

/**
 * A filter whose long OR (`id eq … or …`, an IN list, join keys) would not fit one request URL, as several filters
 * that each fit, packed greedily so the request count is the minimum: the planner sends them at the same time
 * instead of letting the client send its split parts one after another. `baseUrlLength` is the URL without the
 * filter. Anything else is returned whole (the client still splits it if it must).
 */
export function orChunks(filter: ScimFilter, baseUrlLength: number): ScimFilter[] {
  const budget = URL_BUDGET - MARGIN - baseUrlLength;
  if (encodedLength(filter) <= budget) return [filter];
  const rest = filter.kind === 'and' ? filter.filters : [filter];
  const index = rest.findIndex((f) => f.kind === 'or');
  const or = rest[index];
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
    if (terms.length > 0 && length + add > budget) {
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
