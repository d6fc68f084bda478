import { ScimFilterSyntaxError, UnsupportedScimFilterError } from './scim-errors';
import type { ScimExpression } from './scim-expression';
import { FILTER_MATRIX, MEMBER_OF_GROUPS_ATTRIBUTES, type FilterResource } from './filter-matrix';

/** Throws UnsupportedScimFilterError at the first attribute/operator pair the endpoint does not accept. */
export function validateScimFilter(
  expr: ScimExpression, resource: FilterResource,
  options: { customAttributes: readonly string[]; containsCustomAttributes?: readonly string[] },
): void {
  const support = FILTER_MATRIX[resource];
  const attributes: Record<string, readonly string[]> = { ...support.attributes };
  const contains = new Set(options.containsCustomAttributes ?? []);
  for (const custom of options.customAttributes) {
    attributes[custom] ??= contains.has(custom) ? [...support.customAttributeOperators, ...support.customContainsOperators] : support.customAttributeOperators;
  }
  const names = Object.keys(attributes).concat(support.memberOfGroups ? ['memberOfGroups'] : []);
  check(expr, attributes, names);

  function check(node: ScimExpression, allowed: Record<string, readonly string[]>, allowedNames: readonly string[]): void {
    switch (node.kind) {
      case 'and':
      case 'or':
        check(node.left, allowed, allowedNames);
        check(node.right, allowed, allowedNames);
        return;
      case 'not':
        throw new UnsupportedScimFilterError(firstAttribute(node.expression), 'not', allowedNames, operatorsOf(allowed));
      case 'present':
        throw new UnsupportedScimFilterError(node.attribute, 'pr', allowedNames, allowed[node.attribute] ?? operatorsOf(allowed));
      case 'valuePath': {
        if (node.attribute !== 'memberOfGroups' || !support.memberOfGroups || allowed === MEMBER_OF_GROUPS_ATTRIBUTES) {
          throw new UnsupportedScimFilterError(node.attribute, '[]', allowedNames, operatorsOf(allowed));
        }
        check(node.filter, MEMBER_OF_GROUPS_ATTRIBUTES, Object.keys(MEMBER_OF_GROUPS_ATTRIBUTES));
        if (!pinsGroupId(node.filter)) {
          throw new ScimFilterSyntaxError('memberOfGroups[…] must contain id eq "<group id>"', 0);
        }
        return;
      }
      case 'compare': {
        const operators = allowed[node.attribute];
        if (!operators || !operators.includes(node.operator)) {
          throw new UnsupportedScimFilterError(node.attribute, node.operator, allowedNames, operators ?? operatorsOf(allowed));
        }
        if (allowed === MEMBER_OF_GROUPS_ATTRIBUTES && node.attribute === 'type' && node.value !== 'DIRECT' && node.value !== 'INDIRECT') {
          throw new ScimFilterSyntaxError('memberOfGroups type must be "DIRECT" or "INDIRECT"', 0);
        }
      }
    }
  }
}

function pinsGroupId(node: ScimExpression): boolean {
  if (node.kind === 'compare') return node.attribute === 'id';
  if (node.kind === 'and') return pinsGroupId(node.left) || pinsGroupId(node.right);
  if (node.kind === 'or') return pinsGroupId(node.left) && pinsGroupId(node.right);
  return false;
}

function firstAttribute(node: ScimExpression): string {
  switch (node.kind) {
    case 'and':
    case 'or': return firstAttribute(node.left);
    case 'not': return firstAttribute(node.expression);
    default: return node.attribute;
  }
}

function operatorsOf(allowed: Record<string, readonly string[]>): readonly string[] {
  return [...new Set(Object.values(allowed).flat())];
}
