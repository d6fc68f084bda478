import { PingOneApiError, type PingOneClient } from '@typeorm-pingone/client';
import { PingOneDriverError } from '../errors';
import { kindOfSchemaType, type CustomAttribute } from './custom-attributes';

/** PingOne: "You can use the contains operator in a maximum of 5 custom attributes" (OpenAPI, Schema.allowsContainsOperator). */
const MAX_CONTAINS_CUSTOM_ATTRIBUTES = 5;

/**
 * The CUSTOM attributes of the environment's user schema (GET /schemas, then /schemas/{id}/attributes), with the
 * column kind each needs. Disabled attributes are left out: PingOne ignores them on writes and never returns them.
 */
export async function readCustomUserAttributes(client: PingOneClient): Promise<ReadonlyMap<string, CustomAttribute>> {
  let read;
  try {
    read = await client.schemas.userSchema();
  } catch (error) {
    if (error instanceof PingOneApiError && error.status === 403) {
      throw new PingOneDriverError(
        'MAPPING_ERROR',
        "initialize() could not read the user schema (GET /schemas answered 403): the worker app's role can't read schemas. " +
          'Give it the Identity Data Read-Only Admin role (or Identity Data Admin) on the environment, or list the custom attributes your entities map in the DataSource option customUserAttributes.',
        { cause: error },
      );
    }
    throw error;
  }
  const attributes = new Map<string, CustomAttribute>();
  if (!read) return attributes;
  const custom = read.attributes.filter((a) => a.schemaType === 'CUSTOM' && a.enabled !== false);
  // PingOne's schema says only whether `co` can be used ("in a maximum of 5 custom attributes"), not on which
  // attributes: the one reading that fits is every single-valued STRING custom attribute (the simulator's
  // acceptsContains applies the same rule). With more than 5 of them the flag can't cover them all and nothing says
  // which it covers, so none is pushed with `co`: a refused filter would be an error, a local LIKE only costs rows.
  const eligible = custom.filter((a) => a.type === 'STRING' && a.multiValued !== true).map((a) => a.name);
  const contains = new Set(
    read.schema.allowsContainsOperator === true && eligible.length <= MAX_CONTAINS_CUSTOM_ATTRIBUTES ? eligible : [],
  );
  for (const attribute of custom) {
    const multiValued = attribute.multiValued === true;
    attributes.set(
      attribute.name,
      Object.freeze({
        name: attribute.name,
        kind: kindOfSchemaType(attribute.type, multiValued),
        multiValued,
        allowsContains: contains.has(attribute.name),
        source: 'schema' as const,
      }),
    );
  }
  return attributes;
}
