/**
 * The attributes of an environment's user schema, as `GET /environments/{id}/schemas/{schemaId}/attributes` lists
 * them (OpenAPI SchemaAttribute: name, type STRING/JSON/BOOLEAN/COMPLEX, schemaType CORE/STANDARD/CUSTOM, enabled,
 * unique, required, multiValued). CORE and STANDARD attributes are the same in every environment; CUSTOM ones come
 * from the seed.
 */
export type SchemaAttributeType = 'STRING' | 'JSON' | 'BOOLEAN' | 'COMPLEX';

export interface SchemaAttributeDefinition {
  readonly name: string;
  readonly type: SchemaAttributeType;
  readonly schemaType: 'CORE' | 'STANDARD' | 'CUSTOM';
  readonly multiValued: boolean;
  readonly unique: boolean;
  readonly required: boolean;
  readonly enabled: boolean;
  readonly displayName?: string;
  readonly subAttributes?: readonly string[];
}

/** A custom attribute as a seed declares it: a name (a single-valued STRING) or a definition. */
export interface CustomAttributeSeed {
  readonly name: string;
  readonly type?: 'STRING' | 'JSON' | 'BOOLEAN';
  readonly multiValued?: boolean;
  readonly unique?: boolean;
  readonly required?: boolean;
  readonly enabled?: boolean;
  readonly displayName?: string;
}

const attr = (
  name: string,
  schemaType: 'CORE' | 'STANDARD',
  type: SchemaAttributeType = 'STRING',
  extra: Partial<SchemaAttributeDefinition> = {},
): SchemaAttributeDefinition =>
  Object.freeze({ name, type, schemaType, multiValued: false, unique: false, required: false, enabled: true, ...extra });

/** Out-of-the-box attributes (pingone-api.md §3.4). */
export const BUILT_IN_USER_ATTRIBUTES: readonly SchemaAttributeDefinition[] = Object.freeze([
  attr('username', 'CORE', 'STRING', { unique: true, required: true }),
  attr('population', 'CORE', 'COMPLEX', { required: true, subAttributes: ['id'] }),
  attr('enabled', 'CORE', 'BOOLEAN'),
  attr('lifecycle', 'CORE', 'COMPLEX', { subAttributes: ['status'] }),
  attr('mfaEnabled', 'CORE', 'BOOLEAN'),
  attr('account', 'CORE', 'COMPLEX', { subAttributes: ['canAuthenticate', 'status', 'lockedAt', 'unlockAt', 'secondsUntilUnlock'] }),
  attr('identityProvider', 'CORE', 'COMPLEX', { subAttributes: ['id', 'type'] }),
  attr('email', 'STANDARD'),
  attr('name', 'STANDARD', 'COMPLEX', { subAttributes: ['formatted', 'given', 'middle', 'family', 'honorificPrefix', 'honorificSuffix'] }),
  attr('nickname', 'STANDARD'),
  attr('title', 'STANDARD'),
  attr('type', 'STANDARD'),
  attr('locale', 'STANDARD'),
  attr('preferredLanguage', 'STANDARD'),
  attr('timezone', 'STANDARD'),
  attr('primaryPhone', 'STANDARD'),
  attr('mobilePhone', 'STANDARD'),
  attr('photo', 'STANDARD', 'COMPLEX', { subAttributes: ['href'] }),
  attr('address', 'STANDARD', 'COMPLEX', { subAttributes: ['streetAddress', 'locality', 'region', 'postalCode', 'countryCode'] }),
  attr('externalId', 'STANDARD'),
  attr('accountId', 'STANDARD'),
]);

export function customAttributeDefinition(seed: string | CustomAttributeSeed): SchemaAttributeDefinition {
  const s = typeof seed === 'string' ? { name: seed } : seed;
  return Object.freeze({
    name: s.name,
    type: s.type ?? 'STRING',
    schemaType: 'CUSTOM',
    multiValued: s.multiValued ?? false,
    unique: s.unique ?? false,
    required: s.required ?? false,
    enabled: s.enabled ?? true,
    ...(s.displayName !== undefined ? { displayName: s.displayName } : {}),
  });
}

/** PingOne: "You can use the contains operator in a maximum of 5 custom attributes" (OpenAPI, Schema.allowsContainsOperator). */
export const MAX_CONTAINS_CUSTOM_ATTRIBUTES = 5;

/**
 * Whether filters may use `co` on a custom attribute. PingOne's schema says only whether `co` can be used
 * (Schema.allowsContainsOperator), not on which attributes, so a client reading the schema (the driver's
 * read-user-schema.ts) can take it only as "every enabled single-valued STRING custom attribute": the simulator
 * accepts `co` exactly there, so both sides apply one rule.
 */
export function acceptsContains(definition: SchemaAttributeDefinition, allowsContainsOperator: boolean): boolean {
  return (
    allowsContainsOperator &&
    definition.schemaType === 'CUSTOM' &&
    definition.enabled &&
    definition.type === 'STRING' &&
    !definition.multiValued
  );
}

/** The custom attributes filterable with `co`; a RangeError (with the fix) when the flag would cover more than 5. */
export function containsAttributeNames(definitions: Iterable<SchemaAttributeDefinition>, allowsContainsOperator: boolean): string[] {
  const names = [...definitions].filter((d) => acceptsContains(d, allowsContainsOperator)).map((d) => d.name);
  if (names.length > MAX_CONTAINS_CUSTOM_ATTRIBUTES) {
    throw new RangeError(
      `allowsContainsOperator is true, which covers every single-valued STRING custom attribute (${names.join(', ')}: ${names.length}), ` +
        `but PingOne allows the contains operator on at most ${MAX_CONTAINS_CUSTOM_ATTRIBUTES} custom attributes. ` +
        'Seed at most 5 such attributes (others multi-valued or JSON), or set allowsContainsOperator: false.',
    );
  }
  return names;
}
