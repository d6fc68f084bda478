import type { FilterContext, MembershipView } from './evaluate-filter';
import type { ScimExpression, ScimLiteral, ScimOperator } from './scim-expression';

type Resource = Readonly<Record<string, unknown>>;
type Test = (value: unknown) => boolean;

/** A filter compiled for one request (or one check: `matchesScimFilter`). */
export type CompiledScimFilter = (resource: Resource) => boolean;

/**
 * Compiles a parsed filter into a predicate: the simulator's one reading of PingOne's filter rules, compiled once per
 * request because a list request runs it on up to every record. Paths are split once, a scalar path allocates nothing
 * per record, the case rule and the literal's case fold are settled at compile time. test/compiled-filter.test.ts
 * checks it against a plain record-at-a-time interpreter (test/helpers/reference-filter.ts) over generated filters
 * and resources.
 */
export function compileScimFilter(expr: ScimExpression, context: FilterContext): CompiledScimFilter {
  switch (expr.kind) {
    case 'and': {
      // A plain comparison before a memberOfGroups term (the same answer; a partition of a group's members,
      // `memberOfGroups[…] and population.id eq …`, would otherwise look up the memberships of every user it skips).
      const [first, second] =
        expr.left.kind === 'valuePath' && expr.right.kind !== 'valuePath' ? [expr.right, expr.left] : [expr.left, expr.right];
      const a = compileScimFilter(first, context);
      const b = compileScimFilter(second, context);
      return (r) => a(r) && b(r);
    }
    case 'or': {
      const a = compileScimFilter(expr.left, context);
      const b = compileScimFilter(expr.right, context);
      return (r) => a(r) || b(r);
    }
    case 'not': {
      const a = compileScimFilter(expr.expression, context);
      return (r) => !a(r);
    }
    case 'present':
      return anyValueAt(expr.attribute, (v) => v !== null && v !== '');
    case 'compare':
      return anyValueAt(expr.attribute, comparison(expr.operator, expr.value, context.foldsCase?.(expr.attribute) ?? true));
    case 'valuePath':
      return compileValuePath(expr.attribute, expr.filter, context);
  }
}

function compileValuePath(attribute: string, filter: ScimExpression, context: FilterContext): CompiledScimFilter {
  if (attribute !== 'memberOfGroups') return () => false;
  // Ids and the DIRECT/INDIRECT enum compare exactly whatever the case mode.
  const inner = compileScimFilter(filter, { ...context, foldsCase: () => false });
  if (context.directGroups && requiresDirect(filter)) {
    const directGroups = (id: string) => context.directGroups!(id);
    // Only a DIRECT membership can match, and a member's DIRECT memberships are its direct groups
    // (MembershipGraph.groupsOf): no dynamic groups to evaluate, no nesting to walk.
    return (r) => {
      for (const id of directGroups(String(r.id))) if (inner({ id, type: 'DIRECT' })) return true;
      return false;
    };
  }
  return (r) => context.memberOfGroups(String(r.id)).some((m: MembershipView) => inner({ id: m.id, type: m.type }));
}

/** Whether a membership filter matches only memberships of type DIRECT: it is `type eq "DIRECT"`, or and-ed with it. */
export function requiresDirect(expr: ScimExpression): boolean {
  if (expr.kind === 'compare') return expr.attribute === 'type' && expr.operator === 'eq' && expr.value === 'DIRECT';
  return expr.kind === 'and' && (requiresDirect(expr.left) || requiresDirect(expr.right));
}

/**
 * Whether any value at a dotted path passes `test`: arrays (multi-valued custom attributes) contribute each element,
 * absent keys nothing, and a step into a non-object nothing.
 */
function anyValueAt(path: string, test: Test): CompiledScimFilter {
  const keys = path.split('.');
  if (keys.length === 1) {
    const [key] = keys;
    return (r) => {
      const child = r[key];
      if (Array.isArray(child)) return (child as readonly unknown[]).some(test);
      return child !== undefined && test(child);
    };
  }
  const last = keys.length - 1;
  const walk = (value: unknown, depth: number): boolean => {
    if (typeof value !== 'object' || value === null) return false;
    const child = (value as Record<string, unknown>)[keys[depth]];
    if (Array.isArray(child)) {
      for (const element of child as readonly unknown[]) if (depth === last ? test(element) : walk(element, depth + 1)) return true;
      return false;
    }
    if (child === undefined) return false;
    return depth === last ? test(child) : walk(child, depth + 1);
  };
  return (r) => walk(r, 0);
}

/**
 * One comparison with the operator, the literal and the case rule fixed. PingOne matches usernames and emails
 * case-insensitively (pingone-api.md §4); its rule for other attributes is undocumented: by default the simulator folds
 * case everywhere, and in its case-sensitive mode only there (`foldsCase`), so clients must be right under both.
 */
function comparison(operator: ScimOperator, expected: ScimLiteral, fold: boolean): Test {
  const otherwise = nonStringComparison(operator, expected);
  if (typeof expected !== 'string') return otherwise;
  const e = fold ? expected.toLowerCase() : expected;
  const strings = stringComparison(operator, e);
  return fold
    ? (actual) => (typeof actual === 'string' ? strings(actual.toLowerCase()) : otherwise(actual))
    : (actual) => (typeof actual === 'string' ? strings(actual) : otherwise(actual));
}

function stringComparison(operator: ScimOperator, e: string): (a: string) => boolean {
  switch (operator) {
    case 'eq':
      return (a) => a === e;
    case 'ne':
      return (a) => a !== e;
    case 'sw':
      return (a) => a.startsWith(e);
    case 'ew':
      return (a) => a.endsWith(e);
    case 'co':
      return (a) => a.includes(e);
    case 'gt':
      return (a) => a > e;
    case 'ge':
      return (a) => a >= e;
    case 'lt':
      return (a) => a < e;
    case 'le':
      return (a) => a <= e;
  }
}

/** An actual value that is not a string, or a literal that is not: only eq/ne, and order between numbers. */
function nonStringComparison(operator: ScimOperator, expected: ScimLiteral): Test {
  if (operator === 'eq') return (actual) => actual === expected;
  if (operator === 'ne') return (actual) => actual !== expected;
  if (typeof expected !== 'number') return () => false;
  switch (operator) {
    case 'gt':
      return (actual) => typeof actual === 'number' && actual > expected;
    case 'ge':
      return (actual) => typeof actual === 'number' && actual >= expected;
    case 'lt':
      return (actual) => typeof actual === 'number' && actual < expected;
    case 'le':
      return (actual) => typeof actual === 'number' && actual <= expected;
    default:
      return () => false;
  }
}
