/**
 * A typed SCIM filter AST and its serializer. Every value is quoted and escaped here, in one place, so no
 * value (quotes, backslashes, brackets, SCIM keywords) can change a filter's meaning.
 *
 * @example
 * serializeScimFilter(scim.and(scim.eq('type', 'Contractor'), scim.sw('email', 'a"b')))
 * // → 'type eq "Contractor" and email sw "a\"b"'
 */
export type ScimComparisonOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';
export type ScimValue = string | number | boolean | null;

export type ScimFilter =
  | { readonly kind: 'compare'; readonly attribute: string; readonly operator: ScimComparisonOperator; readonly value: ScimValue }
  | { readonly kind: 'present'; readonly attribute: string }
  | { readonly kind: 'and'; readonly filters: readonly ScimFilter[] }
  | { readonly kind: 'or'; readonly filters: readonly ScimFilter[] }
  | { readonly kind: 'not'; readonly filter: ScimFilter }
  /** `memberOfGroups[id eq "…" and type eq "DIRECT"]`: a filter applied to the elements of a multi-valued attribute. */
  | { readonly kind: 'valuePath'; readonly attribute: string; readonly filter: ScimFilter };

// Attribute paths are identifiers joined by dots (`name.given`, `population.id`); anything else could smuggle syntax.
const ATTRIBUTE_PATH = /^[A-Za-z_$][\w$-]*(\.[A-Za-z_$][\w$-]*)*$/;

function attributePath(attribute: string): string {
  if (!ATTRIBUTE_PATH.test(attribute)) {
    throw new TypeError(`Invalid SCIM attribute path ${JSON.stringify(attribute)}: use dotted identifiers such as "name.given".`);
  }
  return attribute;
}

function compare(operator: ScimComparisonOperator) {
  return (attribute: string, value: ScimValue): ScimFilter =>
    Object.freeze({ kind: 'compare', attribute: attributePath(attribute), operator, value });
}

function flatten(kind: 'and' | 'or', filters: readonly ScimFilter[]): ScimFilter {
  if (filters.length === 0) throw new TypeError(`scim.${kind}() needs at least one filter.`);
  if (filters.length === 1) return filters[0];
  const flat = filters.flatMap((f) => (f.kind === kind ? f.filters : [f]));
  return Object.freeze({ kind, filters: Object.freeze(flat) });
}

export const scim = Object.freeze({
  eq: compare('eq'),
  ne: compare('ne'),
  co: compare('co'),
  sw: compare('sw'),
  ew: compare('ew'),
  gt: compare('gt'),
  ge: compare('ge'),
  lt: compare('lt'),
  le: compare('le'),
  pr: (attribute: string): ScimFilter => Object.freeze({ kind: 'present', attribute: attributePath(attribute) }),
  and: (...filters: ScimFilter[]): ScimFilter => flatten('and', filters),
  or: (...filters: ScimFilter[]): ScimFilter => flatten('or', filters),
  not: (filter: ScimFilter): ScimFilter => Object.freeze({ kind: 'not', filter }),
  valuePath: (attribute: string, filter: ScimFilter): ScimFilter =>
    Object.freeze({ kind: 'valuePath', attribute: attributePath(attribute), filter }),
});

/** SCIM string literal (RFC 7644 §3.4.2.2 uses JSON string syntax): JSON.stringify escapes `"`, `\` and controls. */
export function scimLiteral(value: ScimValue): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`SCIM filters cannot express the number ${value}.`);
    return String(value);
  }
  return String(value); // true, false, null
}

function serialize(filter: ScimFilter, parentKind: ScimFilter['kind'] | undefined): string {
  switch (filter.kind) {
    case 'compare':
      return `${filter.attribute} ${filter.operator} ${scimLiteral(filter.value)}`;
    case 'present':
      return `${filter.attribute} pr`;
    case 'not':
      return `not (${serialize(filter.filter, 'not')})`;
    case 'valuePath':
      return `${filter.attribute}[${serialize(filter.filter, 'valuePath')}]`;
    case 'and':
    case 'or': {
      const text = filter.filters.map((f) => serialize(f, filter.kind)).join(` ${filter.kind} `);
      // `and` binds tighter than `or`; parenthesise whenever a group sits inside another operator.
      return parentKind === undefined || parentKind === 'valuePath' || parentKind === 'not' ? text : `(${text})`;
    }
  }
}

export function serializeScimFilter(filter: ScimFilter): string {
  return serialize(filter, undefined);
}
