import type { AttributeKind } from './attribute-catalog';

/**
 * A custom attribute of the environment's user schema, as the driver maps it. Read from PingOne's schema at
 * initialize() (type and multiValued known), or named in the `customUserAttributes` option (type unknown: any column
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
    case 'STRING': return multiValued ? 'array' : 'string';
    case 'BOOLEAN': return multiValued ? 'array' : 'boolean';
    case 'JSON': case 'COMPLEX': return 'json';
    default: return undefined;
  }
}

export function namedCustomAttributes(names: readonly string[]): ReadonlyMap<string, CustomAttribute> {
  return new Map(names.map((name) => [name, Object.freeze({ name, kind: undefined, multiValued: false, allowsContains: false, source: 'option' as const })]));
}
