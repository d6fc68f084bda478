import { cutText, PingOneError } from '../errors';
import { scim, serializeScimFilter, type ScimFilter } from './scim-filter';

/**
 * Splits a filter whose request would exceed the request-size budget into several filters whose results, combined
 * (union, de-duplicated by id), are the original's. Only OR-lists can be split: `a or b or c` becomes `a or b`, `c`;
 * `x and (a or b or c)` becomes `x and (a or b)`, `x and c`. An `and` of several OR-lists splits the longest first,
 * then the others where a part is still too long. A filter that can't be made to fit (a single value too long on
 * its own) is an error that says so.
 *
 * `fits` says whether a filter's request stays within the budget; `describe` names the request for error messages.
 */
export function splitFilterForBudget(
  filter: ScimFilter,
  fits: (filter: ScimFilter) => boolean,
  describe: { request: string; budget: number; length: (filter: ScimFilter) => number },
): ScimFilter[] {
  if (fits(filter)) return [filter];
  const terms = filter.kind === 'and' ? filter.filters : [filter];
  const lists = terms.filter((t): t is Extract<ScimFilter, { kind: 'or' }> => t.kind === 'or');
  if (lists.length === 0) throw tooLarge(filter, describe);
  const longest = lists.reduce((a, b) => (weight(b) > weight(a) ? b : a));
  const rest = terms.filter((t) => t !== longest);
  const build = (chunk: readonly ScimFilter[]) => scim.and(...rest, scim.or(...chunk));
  const chunks: ScimFilter[][] = [];
  let current: ScimFilter[] = [];
  for (const term of longest.filters) {
    if (current.length > 0 && !fits(build([...current, term]))) {
      chunks.push(current);
      current = [];
    }
    current.push(term);
  }
  chunks.push(current);
  // A part that still doesn't fit holds a single term of this list: split it on the remaining lists, or fail.
  return chunks.flatMap((chunk) => {
    const part = build(chunk);
    return fits(part) ? [part] : splitFilterForBudget(part, fits, describe);
  });
}

function weight(filter: ScimFilter): number {
  return serializeScimFilter(filter).length;
}

/** The longest string value of a filter: the one to blame when a filter cannot be made to fit. */
function longestValue(filter: ScimFilter): string | undefined {
  switch (filter.kind) {
    case 'compare':
      return typeof filter.value === 'string' ? filter.value : undefined;
    case 'present':
      return undefined;
    case 'not':
      return longestValue(filter.filter);
    case 'valuePath':
      return longestValue(filter.filter);
    case 'and':
    case 'or':
      return filter.filters
        .map(longestValue)
        .reduce<string | undefined>((a, b) => (b !== undefined && (a === undefined || b.length > a.length) ? b : a), undefined);
  }
}

function tooLarge(filter: ScimFilter, describe: { request: string; budget: number; length: (filter: ScimFilter) => number }): PingOneError {
  const value = longestValue(filter);
  const blamed = value === undefined ? 'This filter' : `The ${value.length}-character filter value ${JSON.stringify(cutText(value))}`;
  return new PingOneError(
    'REQUEST_TOO_LARGE',
    `${blamed} alone makes ${describe.request} ${describe.length(filter)} characters long, over the request-size budget of ${describe.budget} ` +
      '(PingOne rejects request headers over 6 KB with 414/431), and it cannot be split further: only OR-lists are split into several requests. ' +
      'Filter on a shorter value (a prefix with sw, or another attribute), or raise the client option maxUrlLength if your tenant allows longer requests.',
  );
}
