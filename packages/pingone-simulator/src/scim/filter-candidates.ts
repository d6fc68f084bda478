import { requiresDirect } from './compile-filter';
import type { FilterContext } from './evaluate-filter';
import type { ScimExpression } from './scim-expression';

/**
 * Ids that include every resource the filter can match, when the filter names them, or undefined (every resource is
 * a candidate). A member list, `memberOfGroups[id eq "G" and type eq "DIRECT"]`, can match only G's direct members:
 * the page then looks at those instead of at every user. The filter is still evaluated on each candidate.
 */
export function filterCandidates(expr: ScimExpression, context: FilterContext): readonly string[] | undefined {
  switch (expr.kind) {
    case 'and': {
      const left = filterCandidates(expr.left, context);
      const right = filterCandidates(expr.right, context);
      if (left && right) return left.length <= right.length ? left : right;
      return left ?? right;
    }
    case 'or': {
      const left = filterCandidates(expr.left, context);
      const right = filterCandidates(expr.right, context);
      return left && right ? [...new Set([...left, ...right])] : undefined;
    }
    case 'valuePath': {
      if (expr.attribute !== 'memberOfGroups' || !context.directMembers || !requiresDirect(expr.filter)) return undefined;
      // A DIRECT membership of group G: the member is among G's direct members (MembershipGraph keeps both sides).
      const groupId = requiredId(expr.filter);
      return groupId === undefined ? undefined : context.directMembers(groupId);
    }
    default:
      return undefined;
  }
}

/** The group id a membership filter requires (`id eq "G"`, alone or and-ed; ids compare exactly). */
function requiredId(expr: ScimExpression): string | undefined {
  if (expr.kind === 'compare')
    return expr.attribute === 'id' && expr.operator === 'eq' && typeof expr.value === 'string' ? expr.value : undefined;
  if (expr.kind !== 'and') return undefined;
  return requiredId(expr.left) ?? requiredId(expr.right);
}
