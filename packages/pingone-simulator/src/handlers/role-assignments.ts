import { randomUUID } from 'node:crypto';
import type { ApiResponse, HandlerContext } from '../api-request';
import { httpErrors } from '../errors';
import { isPlainObject, type Json } from '../store/attributes';
import { valueAt, type Subject } from '../store/directory-data';
import { renderDirectoryItem } from '../store/directory-data';
import type { StoredResource } from '../store/resource-table';
import { envHref } from './directory';
import { objectBody } from './request-body';

const SCOPES = ['ORGANIZATION', 'ENVIRONMENT', 'POPULATION', 'APPLICATION'] as const;

/** The subject of the path (`/users/{id}/…`, `/groups/{id}/…`, `/applications/{id}/…`), or 404 when it doesn't exist. */
export function subjectOf(ctx: HandlerContext, type: Subject['type']): Subject {
  const id = ctx.request.params.parentId ?? '';
  const env = ctx.environment;
  const exists =
    type === 'users' ? env.users.has(id) : type === 'groups' ? env.groups.has(id) : env.directory.table('applications').has(id);
  if (!exists) throw httpErrors.notFound();
  return { type, id };
}

export function assignmentsOf(ctx: HandlerContext, subject: Subject): StoredResource[] {
  return [...ctx.environment.directory.table('roleAssignments').scanAfter(0)].filter(
    (r) => valueAt(r.data, ['_subject', 'type']) === subject.type && valueAt(r.data, ['_subject', 'id']) === subject.id,
  );
}

export const assignmentHref = (ctx: HandlerContext, data: Json) => {
  const subject = data._subject as Subject;
  return envHref(ctx, `/${subject.type}/${subject.id}/roleAssignments/${String(data.id)}`);
};

/** Every role the environment knows: PingOne's built-in ones and its custom ones. */
function roleById(ctx: HandlerContext, id: string): Json | undefined {
  return ctx.store.platform.roles.get(id)?.data ?? ctx.environment.directory.table('customRoles').get(id)?.data;
}

function scopeExists(ctx: HandlerContext, type: (typeof SCOPES)[number], id: string): boolean {
  switch (type) {
    case 'ORGANIZATION':
      return ctx.store.platform.organizations.has(id);
    case 'ENVIRONMENT':
      return ctx.store.environment(id) !== undefined;
    case 'POPULATION':
      return ctx.environment.populations.has(id);
    case 'APPLICATION':
      return ctx.environment.directory.table('applications').has(id);
  }
}

/**
 * `POST …/roleAssignments {role: {id}, scope: {id, type}}` (OpenAPI RoleAssignment): the role must exist and apply to
 * the scope's type (its `applicableTo`), the scope must exist; the same role at the same scope twice is a uniqueness
 * violation ("May not assign duplicate Role", as Ping's Terraform provider quotes it).
 */
export function createAssignment(type: Subject['type']) {
  return (ctx: HandlerContext): ApiResponse => {
    const subject = subjectOf(ctx, type);
    const body = objectBody(ctx.request.body, ctx.request.contentType);
    const roleId = isPlainObject(body.role) && typeof body.role.id === 'string' ? body.role.id : undefined;
    const scope = isPlainObject(body.scope) ? body.scope : undefined;
    const scopeType = SCOPES.find((s) => s === scope?.type);
    const scopeId = typeof scope?.id === 'string' ? scope.id : undefined;
    if (!roleId) throw httpErrors.invalidData({ code: 'REQUIRED_VALUE', target: 'role.id', message: 'role.id is required.' });
    if (!scopeType || !scopeId) {
      throw httpErrors.invalidData({
        code: 'INVALID_VALUE',
        target: 'scope',
        message: `scope needs an id and a type (${SCOPES.join(', ')}).`,
        innerError: { allowedValues: [...SCOPES] },
      });
    }
    const role = roleById(ctx, roleId);
    if (!role) throw httpErrors.invalidData({ code: 'INVALID_VALUE', target: 'role.id', message: `Role '${roleId}' does not exist.` });
    const applicable = Array.isArray(role.applicableTo) ? role.applicableTo : [];
    if (!applicable.includes(scopeType)) {
      throw httpErrors.invalidData({
        code: 'INVALID_VALUE',
        target: 'scope.type',
        message: `Role '${String(role.name)}' can't be assigned at ${scopeType} scope; it applies to ${applicable.join(', ')}.`,
      });
    }
    if (!scopeExists(ctx, scopeType, scopeId))
      throw httpErrors.invalidData({
        code: 'INVALID_VALUE',
        target: 'scope.id',
        message: `No ${scopeType.toLowerCase()} '${scopeId}' exists.`,
      });
    if (
      assignmentsOf(ctx, subject).some(
        (r) =>
          valueAt(r.data, ['role', 'id']) === roleId &&
          valueAt(r.data, ['scope', 'id']) === scopeId &&
          valueAt(r.data, ['scope', 'type']) === scopeType,
      )
    ) {
      throw httpErrors.invalidData({ code: 'UNIQUENESS_VIOLATION', target: 'role', message: 'May not assign duplicate Role' });
    }
    const data: Json & { id: string } = {
      id: randomUUID(),
      environment: { id: ctx.environment.id },
      role: { id: roleId },
      scope: { id: scopeId, type: scopeType },
      readOnly: false,
      _subject: subject,
    };
    ctx.environment.directory.table('roleAssignments').insert(data);
    return { status: 201, body: renderDirectoryItem(assignmentHref(ctx, data), data) };
  };
}

export function deleteAssignment(type: Subject['type']) {
  return (ctx: HandlerContext): ApiResponse => {
    const subject = subjectOf(ctx, type);
    const found = assignmentsOf(ctx, subject).find((r) => r.data.id === ctx.request.params.id);
    if (!found) throw httpErrors.notFound();
    ctx.environment.directory.table('roleAssignments').delete(String(found.data.id));
    return { status: 204 };
  };
}
