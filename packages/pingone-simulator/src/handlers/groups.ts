import { randomUUID } from 'node:crypto';
import type { ApiResponse, HandlerContext } from '../api-request';
import { httpErrors } from '../errors';
import { compact, GROUP_CREATE_ONLY, GROUP_WRITABLE, isPlainObject, nowIso, pickAttributes, type Json } from '../store/attributes';
import { populationOf } from '../store/environment';
import { renderGroup } from '../views';
import { validateUserFilter } from '../store/dynamic-groups';
import { ScimFilterError } from '../scim';
import { listCollection } from './list-filter';
import { objectBody, optionalString, requiredString } from './request-body';

export function groupOr404(ctx: HandlerContext, id = ctx.request.params.groupId ?? ''): Json & { id: string } {
  const record = ctx.environment.groups.get(id);
  if (!record) throw httpErrors.notFound();
  return record.data as Json & { id: string };
}

/**
 * Group names may repeat across populations but not within one population or among environment-level groups
 * (pingone-api.md §3.5).
 */
function validateGroup(ctx: HandlerContext, group: Json, selfId?: string): void {
  const name = requiredString(group, 'name', 256);
  optionalString(group, 'description', 1024);
  optionalString(group, 'externalId', 1024);
  optionalString(group, 'userFilter', 4096);
  if (typeof group.userFilter === 'string' && group.userFilter !== '') {
    try {
      validateUserFilter(ctx.environment, group.userFilter);
    } catch (error) {
      if (!(error instanceof ScimFilterError)) throw error;
      throw httpErrors.invalidData({
        code: 'INVALID_VALUE',
        target: 'userFilter',
        message: `userFilter is not a filter PingOne can evaluate on users: ${error.message}`,
      });
    }
  }
  if (group.customData !== undefined && !isPlainObject(group.customData)) {
    throw httpErrors.invalidData({ code: 'INVALID_VALUE', target: 'customData', message: 'customData must be a JSON object.' });
  }
  const population = populationOf(group);
  for (const record of ctx.environment.groups.values()) {
    const other = record.data;
    if (other.id !== selfId && populationOf(other) === population && String(other.name).toLowerCase() === name.toLowerCase()) {
      throw httpErrors.invalidData({
        code: 'UNIQUENESS_VIOLATION',
        target: 'name',
        message: 'A resource with the specified name already exists.',
        innerError: { existingId: other.id },
      });
    }
  }
}

export function listGroups(ctx: HandlerContext): ApiResponse {
  return listCollection(ctx, ctx.environment.groups, 'groups', (data) => renderGroup(ctx.view, data), { sortSelfQuery: true });
}

export function readGroup(ctx: HandlerContext): ApiResponse {
  const include = new Set(
    ctx.request.query
      .getAll('include')
      .flatMap((v) => v.split(','))
      .map((v) => v.trim()),
  );
  return { status: 200, body: renderGroup(ctx.view, groupOr404(ctx), include) };
}

export function createGroup(ctx: HandlerContext): ApiResponse {
  const input = pickAttributes(objectBody(ctx.request.body, ctx.request.contentType), GROUP_WRITABLE, GROUP_CREATE_ONLY);
  const population = populationOf(input);
  if (input.population !== undefined && (population === undefined || !ctx.environment.populations.has(population))) {
    throw httpErrors.invalidData({
      code: 'INVALID_VALUE',
      target: 'population.id',
      message: `Population '${String(population)}' does not exist.`,
    });
  }
  const now = nowIso();
  const group = compact({
    id: randomUUID(),
    environment: { id: ctx.environment.id },
    ...input,
    ...(population ? { population: { id: population } } : {}),
    createdAt: now,
    updatedAt: now,
  }) as Json & { id: string };
  validateGroup(ctx, group);
  ctx.environment.groups.insert(group);
  return { status: 201, body: renderGroup(ctx.view, group) };
}

/** PUT replaces every writable attribute; `population.id` can't change after create (pingone-api.md §3.2). */
export function replaceGroup(ctx: HandlerContext): ApiResponse {
  const current = groupOr404(ctx);
  const body = objectBody(ctx.request.body, ctx.request.contentType);
  const requested = populationOf(body);
  if (body.population !== undefined && body.population !== null && requested !== populationOf(current)) {
    throw httpErrors.invalidData({
      code: 'INVALID_VALUE',
      target: 'population.id',
      message: "A group's population can't be changed after it is created. Create a new group in the other population instead.",
    });
  }
  const group = compact({
    id: current.id,
    environment: current.environment,
    ...pickAttributes(body, GROUP_WRITABLE),
    ...(current.population ? { population: current.population } : {}),
    createdAt: current.createdAt,
    updatedAt: nowIso(),
  }) as Json & { id: string };
  validateGroup(ctx, group, current.id);
  ctx.environment.groups.get(current.id)!.data = group;
  return { status: 200, body: renderGroup(ctx.view, group) };
}

export function deleteGroup(ctx: HandlerContext): ApiResponse {
  ctx.environment.removeGroup(groupOr404(ctx).id);
  return { status: 204 };
}
