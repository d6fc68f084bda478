import type { RequestOptions } from '../http/api-requester';
import type { PagedList } from '../paging/paged-list';
import type { IdRef, Links } from '../types/resources';
import { pagedList, segment, type ResourceContext } from './resource-context';

/** OpenAPI `Schema`: an environment has one, named "User". */
export interface Schema {
  readonly _links?: Links;
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly environment?: IdRef;
  /** whether filters may use `co` (contains) on custom attributes (at most 5 custom attributes allow it) */
  readonly allowsContainsOperator?: boolean;
  readonly [attribute: string]: unknown;
}

/** OpenAPI `SchemaAttribute`. */
export interface SchemaAttribute {
  readonly _links?: Links;
  readonly id: string;
  readonly name: string;
  readonly displayName?: string;
  readonly description?: string;
  readonly type: 'STRING' | 'JSON' | 'BOOLEAN' | 'COMPLEX';
  readonly schemaType: 'CORE' | 'STANDARD' | 'CUSTOM';
  readonly enabled: boolean;
  readonly unique?: boolean;
  readonly required?: boolean;
  readonly multiValued?: boolean;
  readonly subAttributes?: readonly SchemaAttribute[];
  readonly [attribute: string]: unknown;
}

/** `/environments/{id}/schemas`: the user schema and its attributes (read). */
export class SchemasResource {
  constructor(private readonly ctx: ResourceContext) {}

  list(options?: RequestOptions): PagedList<Schema> {
    return pagedList<Schema>(this.ctx, '/schemas', 'schemas', {}, options);
  }

  async get(schemaId: string, options?: RequestOptions): Promise<Schema> {
    return (await this.ctx.requester.request({ method: 'GET', url: `/schemas/${segment(schemaId)}` }, options)).body as Schema;
  }

  attributes(schemaId: string, options?: RequestOptions): PagedList<SchemaAttribute> {
    return pagedList<SchemaAttribute>(this.ctx, `/schemas/${segment(schemaId)}/attributes`, 'attributes', {}, options);
  }

  /** The "User" schema with its attributes: two requests. Undefined when the environment lists no such schema. */
  async userSchema(options?: RequestOptions): Promise<{ schema: Schema; attributes: SchemaAttribute[] } | undefined> {
    const schemas = await this.list(options).toArray();
    const schema = schemas.find((s) => s.name === 'User') ?? (schemas.length === 1 ? schemas[0] : undefined);
    if (!schema) return undefined;
    return { schema, attributes: await this.attributes(schema.id, options).toArray() };
  }
}
