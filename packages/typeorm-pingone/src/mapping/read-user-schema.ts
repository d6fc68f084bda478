import { PingOneApiError, type PingOneClient } from '@typeorm-pingone/client';
import { PingOneDriverError } from '../errors';
import { kindOfSchemaType, type CustomAttribute } from './custom-attributes';

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
      throw new PingOneDriverError('MAPPING_ERROR',
        "initialize() could not read the user schema (GET /schemas answered 403): the worker app's role can't read schemas. " +
        "Give it a role that can (e.g. Identity Data Read Only), or list the custom attributes your entities map in the DataSource option customUserAttributes.",
        { cause: error });
    }
    throw error;
  }
  const attributes = new Map<string, CustomAttribute>();
  if (!read) return attributes;
  const allowsContains = read.schema.allowsContainsOperator === true;
  for (const attribute of read.attributes) {
    if (attribute.schemaType !== 'CUSTOM' || attribute.enabled === false) continue;
    const multiValued = attribute.multiValued === true;
    attributes.set(attribute.name, Object.freeze({
      // `co` only on single-valued STRING attributes: what the schema-wide flag can mean for a text match
      name: attribute.name, kind: kindOfSchemaType(attribute.type, multiValued), multiValued,
      allowsContains: allowsContains && attribute.type === 'STRING' && !multiValued, source: 'schema' as const,
    }));
  }
  return attributes;
}
