export type ScimOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';
export type ScimLiteral = string | number | boolean | null;

/** The parsed filter: a frozen, `kind`-discriminated tree. */
export type ScimExpression =
  | { readonly kind: 'compare'; readonly attribute: string; readonly operator: ScimOperator; readonly value: ScimLiteral }
  | { readonly kind: 'present'; readonly attribute: string }
  | { readonly kind: 'and' | 'or'; readonly left: ScimExpression; readonly right: ScimExpression }
  | { readonly kind: 'not'; readonly expression: ScimExpression }
  | { readonly kind: 'valuePath'; readonly attribute: string; readonly filter: ScimExpression };

export const SCIM_OPERATORS: readonly ScimOperator[] = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'];
