import type { FilterContext } from '../../src/scim';
import type { ScimExpression, ScimLiteral } from '../../src/scim/scim-expression';

/*
 * The simulator's SCIM filter interpreter as it was before filters were compiled (src/scim/compile-filter.ts), kept
 * here as the oracle the compiled filter is checked against (compiled-filter.test.ts): written plainly, one record at
 * a time, it is the reading of PingOne's filter rules that the faster code must keep.
 */

/** Values at a dotted path; arrays (multi-valued custom attributes) contribute each element. */
function valuesAt(resource: Readonly<Record<string, unknown>>, path: string): unknown[] {
  let current: unknown[] = [resource];
  for (const key of path.split('.')) {
    const next: unknown[] = [];
    for (const value of current) {
      if (typeof value !== 'object' || value === null) continue;
      const child = (value as Record<string, unknown>)[key];
      if (Array.isArray(child)) next.push(...(child as readonly unknown[]));
      else if (child !== undefined) next.push(child);
    }
    current = next;
  }
  return current;
}

// PingOne matches usernames and emails case-insensitively (pingone-api.md §4: uniqueness and login are
// case-insensitive; the Terraform provider re-checks eq results with EqualFold). Its rule for other attributes is
// undocumented: by default the simulator folds case everywhere, and in its case-sensitive mode only there, so clients
// must get right answers under both rules.
function compareOne(actual: unknown, operator: string, expected: ScimLiteral, fold: boolean): boolean {
  if (typeof actual === 'string' && typeof expected === 'string') {
    const a = fold ? actual.toLowerCase() : actual;
    const e = fold ? expected.toLowerCase() : expected;
    switch (operator) {
      case 'eq':
        return a === e;
      case 'ne':
        return a !== e;
      case 'sw':
        return a.startsWith(e);
      case 'ew':
        return a.endsWith(e);
      case 'co':
        return a.includes(e);
      case 'gt':
        return a > e;
      case 'ge':
        return a >= e;
      case 'lt':
        return a < e;
      case 'le':
        return a <= e;
    }
    return false;
  }
  if (operator === 'eq') return actual === expected;
  if (operator === 'ne') return actual !== expected;
  if (typeof actual === 'number' && typeof expected === 'number') {
    switch (operator) {
      case 'gt':
        return actual > expected;
      case 'ge':
        return actual >= expected;
      case 'lt':
        return actual < expected;
      case 'le':
        return actual <= expected;
    }
  }
  return false;
}

export function interpretScimFilter(expr: ScimExpression, resource: Readonly<Record<string, unknown>>, context: FilterContext): boolean {
  switch (expr.kind) {
    case 'and': {
      // A memberOfGroups term looks up the resource's memberships: a plain comparison on the other side goes first
      // (the same answer; a partition of a group's members, `memberOfGroups[…] and population.id eq …`, would
      // otherwise look up the memberships of every user it skips).
      const [first, second] =
        expr.left.kind === 'valuePath' && expr.right.kind !== 'valuePath' ? [expr.right, expr.left] : [expr.left, expr.right];
      return interpretScimFilter(first, resource, context) && interpretScimFilter(second, resource, context);
    }
    case 'or':
      return interpretScimFilter(expr.left, resource, context) || interpretScimFilter(expr.right, resource, context);
    case 'not':
      return !interpretScimFilter(expr.expression, resource, context);
    case 'present':
      return valuesAt(resource, expr.attribute).some((v) => v !== null && v !== '');
    case 'compare': {
      const fold = context.foldsCase?.(expr.attribute) ?? true;
      return valuesAt(resource, expr.attribute).some((v) => compareOne(v, expr.operator, expr.value, fold));
    }
    case 'valuePath': {
      if (expr.attribute !== 'memberOfGroups') return false;
      const memberships = context.memberOfGroups(String(resource.id));
      // Ids and the DIRECT/INDIRECT enum compare exactly whatever the case mode.
      return memberships.some((m) => interpretScimFilter(expr.filter, { id: m.id, type: m.type }, { ...context, foldsCase: () => false }));
    }
  }
}
