import type { ApiResponse, HandlerContext } from '../api-request';
import { httpErrors } from '../errors';
import { listResponse } from '../hal';
import type { Json } from '../store/attributes';
import { BUILT_IN_USER_ATTRIBUTES, type SchemaAttributeDefinition } from '../store/user-schema';
import { environmentPath } from '../views';

/**
 * `GET /environments/{id}/schemas`, `/schemas/{schemaId}` and `/schemas/{schemaId}/attributes`: the environment's one
 * schema, "User", and its attributes (OpenAPI Schema and SchemaAttribute). Read-only here: PingOne's admin console
 * and the POST/PUT/PATCH of attributes are outside what the driver uses.
 */
function renderSchema(ctx: HandlerContext): Json {
  const self = `${environmentPath(ctx.view)}/schemas/${ctx.environment.userSchemaId}`;
  return {
    _links: { self: { href: self }, attributes: { href: `${self}/attributes` }, environment: { href: environmentPath(ctx.view) } },
    id: ctx.environment.userSchemaId,
    name: 'User',
    description: 'The user schema of this environment.',
    environment: { id: ctx.environment.id },
    allowsContainsOperator: ctx.environment.allowsContainsOperator,
  };
}

function renderAttribute(ctx: HandlerContext, definition: SchemaAttributeDefinition, index: number): Json {
  const schemaPath = `${environmentPath(ctx.view)}/schemas/${ctx.environment.userSchemaId}`;
  // Stable ids, so that two reads of the schema agree.
  const id = `${ctx.environment.userSchemaId.slice(0, 24)}${index.toString(16).padStart(12, '0')}`;
  const sub = definition.subAttributes?.map((name, i): Json => ({
    id: `${id.slice(0, 28)}${(i + 1).toString(16).padStart(8, '0')}`,
    name,
    type: 'STRING',
    schemaType: definition.schemaType,
    enabled: true,
    unique: false,
    required: false,
    multiValued: false,
    environment: { id: ctx.environment.id },
    schema: { id: ctx.environment.userSchemaId },
  }));
  return {
    _links: { self: { href: `${schemaPath}/attributes/${id}` }, schema: { href: schemaPath } },
    id,
    name: definition.name,
    ...(definition.displayName !== undefined ? { displayName: definition.displayName } : {}),
    type: definition.type,
    schemaType: definition.schemaType,
    enabled: definition.enabled,
    unique: definition.unique,
    required: definition.required,
    multiValued: definition.multiValued,
    ...(sub ? { subAttributes: sub } : {}),
    environment: { id: ctx.environment.id },
    schema: { id: ctx.environment.userSchemaId },
  };
}

function schemaOr404(ctx: HandlerContext): void {
  if (ctx.request.params.schemaId !== ctx.environment.userSchemaId) throw httpErrors.notFound();
}

export function listSchemas(ctx: HandlerContext): ApiResponse {
  return listResponse(ctx.request, ctx.view.apiUrl, 'schemas', [renderSchema(ctx)]);
}

export function readSchema(ctx: HandlerContext): ApiResponse {
  schemaOr404(ctx);
  return { status: 200, body: renderSchema(ctx) };
}

export function listSchemaAttributes(ctx: HandlerContext): ApiResponse {
  schemaOr404(ctx);
  const definitions = [...BUILT_IN_USER_ATTRIBUTES, ...ctx.environment.customAttributeDefinitions.values()];
  return listResponse(
    ctx.request,
    ctx.view.apiUrl,
    'attributes',
    definitions.map((d, i) => renderAttribute(ctx, d, i + 1)),
  );
}
