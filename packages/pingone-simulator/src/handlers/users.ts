import type { ApiResponse, HandlerContext } from '../api-request';
import { httpErrors } from '../errors';
import { nowIso, type Json } from '../store/attributes';
import { populationOf } from '../store/environment';
import { environmentPath, renderUser } from '../views';
import { listCollection } from './list-filter';
import { idReference, JSON_TYPE, objectBody, PASSWORD_SET_TYPE, requiredBoolean, USER_IMPORT_TYPE } from './request-body';
import { newUser, patchedUser, replacedUser } from './user-documents';
import { expansions } from './expand';

export function userOr404(ctx: HandlerContext, id = ctx.request.params.userId ?? ''): Json & { id: string } {
  const record = ctx.environment.users.get(id);
  if (!record) throw httpErrors.notFound();
  return record.data as Json & { id: string };
}

const INCLUDES = new Set(['memberOfGroupIDs', 'memberOfGroupNames']);

export function listUsers(ctx: HandlerContext): ApiResponse {
  // memberOfGroupIDs/Names are never part of list responses, even when asked for (OpenAPI User.memberOfGroupIDs).
  const expand = expansions(ctx, ['population']);
  return listCollection(ctx, ctx.environment.users, 'users', (data) => renderUser(ctx.view, data, new Set(), expand));
}

export function readUser(ctx: HandlerContext): ApiResponse {
  const include = new Set(
    ctx.request.query
      .getAll('include')
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter((v) => INCLUDES.has(v)),
  );
  return { status: 200, body: renderUser(ctx.view, userOr404(ctx), include, expansions(ctx, ['population'])) };
}

export function createUser(ctx: HandlerContext): ApiResponse {
  const body = objectBody(ctx.request.body, ctx.request.contentType, [JSON_TYPE, USER_IMPORT_TYPE]);
  const { user, password } = newUser(ctx.environment, body, ctx.request.contentType === USER_IMPORT_TYPE);
  ctx.environment.putUser(user);
  if (password) ctx.environment.passwords.set(user.id, password);
  return { status: 201, body: renderUser(ctx.view, user) };
}

export function replaceUser(ctx: HandlerContext): ApiResponse {
  const current = userOr404(ctx);
  const user = replacedUser(ctx.environment, current, objectBody(ctx.request.body, ctx.request.contentType));
  ctx.environment.putUser(user);
  return { status: 200, body: renderUser(ctx.view, user) };
}

export function patchUser(ctx: HandlerContext): ApiResponse {
  const current = userOr404(ctx);
  const user = patchedUser(ctx.environment, current, objectBody(ctx.request.body, ctx.request.contentType));
  ctx.environment.putUser(user);
  return { status: 200, body: renderUser(ctx.view, user) };
}

export function deleteUser(ctx: HandlerContext): ApiResponse {
  ctx.environment.removeUser(userOr404(ctx).id);
  return { status: 204 };
}

function touch(ctx: HandlerContext, user: Json & { id: string }, changes: Json): void {
  ctx.environment.putUser({ ...user, ...changes, updatedAt: nowIso() });
}

const userLink = (ctx: HandlerContext, id: string, suffix: string) => ({
  self: { href: `${environmentPath(ctx.view)}/users/${id}/${suffix}` },
  user: { href: `${environmentPath(ctx.view)}/users/${id}` },
});

export function readEnabled(ctx: HandlerContext): ApiResponse {
  const user = userOr404(ctx);
  return { status: 200, body: { _links: userLink(ctx, user.id, 'enabled'), enabled: user.enabled !== false } };
}

export function updateEnabled(ctx: HandlerContext): ApiResponse {
  const user = userOr404(ctx);
  const enabled = requiredBoolean(objectBody(ctx.request.body, ctx.request.contentType), 'enabled');
  touch(ctx, user, { enabled });
  return { status: 200, body: { _links: userLink(ctx, user.id, 'enabled'), enabled } };
}

export function readUserPopulation(ctx: HandlerContext): ApiResponse {
  const user = userOr404(ctx);
  return { status: 200, body: { _links: userLink(ctx, user.id, 'population'), id: populationOf(user) } };
}

/**
 * Moves a user. PingOne removes the user from groups that belong to the old population
 * (pingone-api.md §3.1, "Add user to group").
 */
export function updateUserPopulation(ctx: HandlerContext): ApiResponse {
  const user = userOr404(ctx);
  const populationId = idReference({ population: objectBody(ctx.request.body, ctx.request.contentType) }, 'population');
  if (!ctx.environment.populations.has(populationId)) {
    throw httpErrors.invalidData({ code: 'INVALID_VALUE', target: 'id', message: `Population '${populationId}' does not exist.` });
  }
  const old = populationOf(user);
  if (old !== populationId) {
    for (const groupId of ctx.environment.memberships.directGroups(user.id)) {
      const group = ctx.environment.groups.get(groupId)?.data;
      if (group && populationOf(group) === old) ctx.environment.memberships.remove(user.id, groupId);
    }
    touch(ctx, user, { population: { id: populationId } });
  }
  return { status: 200, body: { _links: userLink(ctx, user.id, 'population'), id: populationId } };
}

export function setPassword(ctx: HandlerContext): ApiResponse {
  const user = userOr404(ctx);
  const body = objectBody(ctx.request.body, ctx.request.contentType, [PASSWORD_SET_TYPE]);
  if (typeof body.value !== 'string' || body.value === '') {
    throw httpErrors.invalidData({ code: 'REQUIRED_VALUE', target: 'value', message: 'value (the new password) is required.' });
  }
  const forceChange = body.forceChange === true;
  ctx.environment.passwords.set(user.id, { value: body.value, forceChange });
  touch(ctx, user, {});
  return {
    status: 200,
    body: {
      _links: userLink(ctx, user.id, 'password'),
      environment: { id: ctx.environment.id },
      user: { id: user.id },
      status: forceChange ? 'MUST_CHANGE_PASSWORD' : 'OK',
      lastChangedAt: nowIso(),
    },
  };
}
