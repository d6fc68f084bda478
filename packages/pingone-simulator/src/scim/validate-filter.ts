import { ScimFilterError, ScimFilterSyntaxError, UnsupportedScimFilterError } from './scim-errors';
import type { ScimExpression } from './scim-expression';
import {
  FILTER_MATRIX,
  MEMBER_OF_GROUPS_ATTRIBUTES,
  TYPED_MEMBERSHIP_COMBINED,
  WEAK_FILTER_CELLS,
  type FilterResource,
} from './filter-matrix';

export interface FilterValidationOptions {
  readonly customAttributes: readonly string[];
  readonly containsCustomAttributes?: readonly string[];
  /** refuse every weakly sourced cell (WEAK_FILTER_CELLS), as a PingOne that doesn't accept them would */
  readonly strict?: boolean;
  /**
   * cells refused on top of the matrix (`<resource> <attribute> <operator>`, `<resource> custom <operator>`, or a
   * membership shape by name): a test switches them on to play a PingOne that refuses one cell
   */
  readonly refused?: ReadonlySet<string>;
}

/** The names a refusal may be keyed by, most specific first. */
function membershipCell(node: Extract<ScimExpression, { kind: 'valuePath' }>): string {
  return hasType(node.filter) ? 'memberOfGroups[id eq … and type eq "DIRECT"]' : 'memberOfGroups[id eq …]';
}

/** Throws UnsupportedScimFilterError at the first attribute/operator pair the endpoint does not accept. */
export function validateScimFilter(expr: ScimExpression, resource: FilterResource, options: FilterValidationOptions): void {
  const support = FILTER_MATRIX[resource];
  const attributes: Record<string, readonly string[]> = { ...support.attributes };
  const contains = new Set(options.containsCustomAttributes ?? []);
  const custom = new Set(options.customAttributes);
  for (const name of options.customAttributes) {
    attributes[name] ??= contains.has(name)
      ? [...support.customAttributeOperators, ...support.customContainsOperators]
      : support.customAttributeOperators;
  }
  const refused = (...cells: string[]) =>
    cells.some(
      (cell) => options.refused?.has(`${resource} ${cell}`) || (options.strict === true && WEAK_FILTER_CELLS.has(`${resource} ${cell}`)),
    );
  const usable = (attribute: string, operators: readonly string[]) =>
    operators.filter(
      (op) => !refused(`${attribute} ${op}`, ...(custom.has(attribute) && !(attribute in support.attributes) ? [`custom ${op}`] : [])),
    );
  const names = Object.keys(attributes).concat(support.memberOfGroups ? ['memberOfGroups'] : []);
  check(expr, attributes, names);
  checkLogical(expr, support.logical ?? ['and', 'or']);
  for (const group of support.exclusive ?? []) {
    const used = new Set(comparedAttributes(expr).filter((a) => group.includes(a)));
    if (used.size > 1)
      throw new ScimFilterError(`A ${resource} filter may hold only one of ${group.join(', ')}; this one has ${[...used].join(' and ')}.`);
  }
  if (expr.kind !== 'valuePath' && containsTypedMembership(expr) && refused(TYPED_MEMBERSHIP_COMBINED)) {
    throw new ScimFilterError(
      'A memberOfGroups[…] term with a type condition cannot be combined with other conditions in one filter. Send it alone and filter the rest yourself.',
    );
  }

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
        if (
          node.attribute !== 'memberOfGroups' ||
          !support.memberOfGroups ||
          allowed === MEMBER_OF_GROUPS_ATTRIBUTES ||
          refused(membershipCell(node))
        ) {
          throw new UnsupportedScimFilterError(node.attribute, '[]', allowedNames, operatorsOf(allowed));
        }
        check(node.filter, MEMBER_OF_GROUPS_ATTRIBUTES, Object.keys(MEMBER_OF_GROUPS_ATTRIBUTES));
        if (!pinsGroupId(node.filter)) {
          throw new ScimFilterSyntaxError('memberOfGroups[…] must contain id eq "<group id>"', 0);
        }
        return;
      }
      case 'compare': {
        const listed = allowed[node.attribute];
        const operators = listed && allowed !== MEMBER_OF_GROUPS_ATTRIBUTES ? usable(node.attribute, listed) : listed;
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

function checkLogical(node: ScimExpression, allowed: readonly ('and' | 'or')[]): void {
  if (node.kind === 'and' || node.kind === 'or') {
    if (!allowed.includes(node.kind))
      throw new ScimFilterError(`'${node.kind}' is not supported in this filter; supported: ${allowed.join(', ') || 'none'}.`);
    checkLogical(node.left, allowed);
    checkLogical(node.right, allowed);
  } else if (node.kind === 'not') checkLogical(node.expression, allowed);
}

function comparedAttributes(node: ScimExpression): string[] {
  switch (node.kind) {
    case 'and':
    case 'or':
      return [...comparedAttributes(node.left), ...comparedAttributes(node.right)];
    case 'not':
      return comparedAttributes(node.expression);
    case 'compare':
      return [node.attribute];
    default:
      return [];
  }
}

function hasType(node: ScimExpression): boolean {
  if (node.kind === 'compare') return node.attribute === 'type';
  if (node.kind === 'and' || node.kind === 'or') return hasType(node.left) || hasType(node.right);
  return false;
}

function containsTypedMembership(node: ScimExpression): boolean {
  switch (node.kind) {
    case 'valuePath':
      return hasType(node.filter);
    case 'and':
    case 'or':
      return containsTypedMembership(node.left) || containsTypedMembership(node.right);
    case 'not':
      return containsTypedMembership(node.expression);
    default:
      return false;
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
    case 'or':
      return firstAttribute(node.left);
    case 'not':
      return firstAttribute(node.expression);
    default:
      return node.attribute;
  }
}

function operatorsOf(allowed: Record<string, readonly string[]>): readonly string[] {
  return [...new Set(Object.values(allowed).flat())];
}
