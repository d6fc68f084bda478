import { caseRuleOf, FILTER_CAPABILITIES, type FilterableResource } from '../filter/filter-capabilities';
import { filterRefusalOf } from '../filter/filter-refusal';
import { scim, serializeScimFilter, type ScimComparisonOperator } from '../filter/scim-filter';
import { embedded, type Body, type ConformanceContext } from './conformance-context';

/** Every upper-case ASCII letter lower-cased and the reverse: a value no case-sensitive comparison matches. */
const swapCase = (text: string) => text.replace(/[A-Za-z]/g, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()));

function valueAt(resource: Body, path: string): string | undefined {
  let current: unknown = resource;
  for (const key of path.split('.'))
    current = typeof current === 'object' && current !== null ? (current as Record<string, unknown>)[key] : undefined;
  return typeof current === 'string' && /[A-Za-z]/.test(current) ? current : undefined;
}

/** The part of a value an operator compares: all of it (eq), a prefix (sw), a suffix (ew), an inner part (co). */
function piece(value: string, op: ScimComparisonOperator): string {
  const chars = [...value];
  const cut = (part: string[]) => (/[A-Za-z]/.test(part.join('')) ? part.join('') : value);
  if (op === 'sw') return cut(chars.slice(0, 4));
  if (op === 'ew') return cut(chars.slice(-4));
  if (op === 'co') return chars.length >= 3 ? cut(chars.slice(1, -1)) : value;
  return value;
}

/**
 * PingOne's case rule per attribute and operator, observed: `id eq "<a resource>" and <attribute> <op> "<its value,
 * case swapped>"` finds the resource only when the comparison ignores case. Where the client relies on a rule (username
 * and email: documented as case-insensitive, so their LIKE is pushed as one term) a different answer fails; elsewhere
 * the rule is recorded (the driver is right under both). Values come from `resources`; the recording holds their
 * pseudonyms only, so these probes are facts in the report, not replayed (docs/simulator.md).
 */
export async function checkCaseRules(
  ctx: ConformanceContext,
  resources: Readonly<Partial<Record<FilterableResource, readonly Body[]>>>,
  label: string,
): Promise<void> {
  for (const resource of Object.keys(resources) as FilterableResource[]) {
    for (const [attribute, operators] of Object.entries(FILTER_CAPABILITIES[resource].attributes)) {
      if (attribute === 'id' || attribute.endsWith('.id') || attribute === 'enabled') continue;
      const holder = (resources[resource] ?? []).find((r) => valueAt(r, attribute) !== undefined);
      if (!holder) {
        ctx.check(
          `case rule ${resource} ${attribute} (${label} data)`,
          true,
          `not checked: no ${label} ${resource} has a value with letters`,
          true,
        );
        continue;
      }
      for (const op of operators) {
        const probe = swapCase(piece(valueAt(holder, attribute)!, op));
        const filter = (value: string) =>
          serializeScimFilter(scim.and(scim.eq('id', String(holder.id)), { kind: 'compare', attribute, operator: op, value }));
        const r = await ctx.send(
          { method: 'GET', url: `/${resource}`, query: { limit: 1, filter: filter(probe) } },
          `case rule: ${resource} ${attribute} ${op}`,
          true,
          { limit: 1, filter: filter(ctx.har.pseudonyms.pseudonym(probe)) },
        );
        const rule =
          r.status === 200
            ? embedded(r.body, resource).length > 0
              ? 'insensitive'
              : 'sensitive'
            : filterRefusalOf(r.error)
              ? 'refused'
              : `error ${r.status}`;
        const claimed = caseRuleOf(resource, attribute);
        // A refused cell is the fallback's business; a case-sensitive username or email would lose rows.
        const ok = claimed === 'insensitive' ? rule === 'insensitive' || rule === 'refused' : !rule.startsWith('error');
        ctx.check(
          `case rule ${resource} ${attribute} ${op} (${label} data)`,
          ok,
          `${rule}${claimed === 'insensitive' ? ' (the client relies on insensitive: a LIKE on it is pushed as one term)' : ' (the driver pushes case variants: right under both)'}`,
        );
      }
    }
  }
}
