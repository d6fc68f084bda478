import type { AttributeKind } from './attribute-catalog';

/**
 * A custom attribute of the environment's user schema, as the driver maps it. Read from PingOne's schema at
 * initialize() (type and multiValued known), or named in the `customUserAttributes` option (type unknown: every column
 * type is accepted, as the app says).
 */
export interface CustomAttribute {
  readonly name: string;
  /** the value kind a column must have; undefined when the attribute was only named by the app */
  readonly kind: AttributeKind | undefined;
  readonly multiValued: boolean;
  /** PingOne's schema allows the SCIM `co` (contains) operator on custom attributes */
  readonly allowsContains: boolean;
  readonly source: 'schema' | 'option';
}

/** PingOne's schema attribute type → the column kind TypeORM stores it as (multi-valued strings: simple-array). */
export function kindOfSchemaType(type: string, multiValued: boolean): AttributeKind | undefined {
  switch (type) {
    case 'STRING':
      return multiValued ? 'array' : 'string';
    case 'BOOLEAN':
      return multiValued ? 'array' : 'boolean';
    case 'JSON':
    case 'COMPLEX':
      return 'json';
    default:
      return undefined;
  }
}

/** A custom user attribute as declared in the DataSource option: a name, or the name with its schema's contains flag. */
export type CustomUserAttribute = string | { readonly name: string; readonly allowsContainsOperator?: boolean };

export function namedCustomAttributes(declared: readonly CustomUserAttribute[]): ReadonlyMap<string, CustomAttribute> {
  return new Map(
    declared.map((entry) => {
      const name = typeof entry === 'string' ? entry : entry.name;
      const allowsContains = typeof entry !== 'string' && entry.allowsContainsOperator === true;
      return [name, Object.freeze({ name, kind: undefined, multiValued: false, allowsContains, source: 'option' as const })];
    }),
  );
}
