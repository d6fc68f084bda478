import type { ApiHandler, ApiResponse, HandlerContext } from '../api-request';
import { httpErrors } from '../errors';
import type { Router } from '../router';
import { valueAt, type DirectoryKind } from '../store/directory-data';
import type { StoredResource } from '../store/resource-table';
import { ORGANIZATION_ID } from '../store/platform-data';
import { renderEnvironment } from '../views';
import { activities, listActivities, searchActivities } from './activities';
import { envHref, listDirectory, readDirectoryItem, rootHref, type SimulatedCollection } from './directory';
import { assignmentHref, assignmentsOf, createAssignment, deleteAssignment, subjectOf } from './role-assignments';

const ENV = '/v1/environments/:envId';

const tableRecords = (ctx: HandlerContext, kind: DirectoryKind): StoredResource[] => [
  ...ctx.environment.directory.table(kind).scanAfter(0),
];

/** An environment's collection of one table. */
const inEnvironment = (kind: DirectoryKind, path: string, embedded: string): SimulatedCollection => ({
  embedded,
  records: (ctx) => tableRecords(ctx, kind),
  self: (ctx, data) => envHref(ctx, `${path}/${String(data.id)}`),
});

/** A collection PingOne lists per parent (`/users/{id}/sessions`): 404 when the parent doesn't exist. */
const perParent = (
  kind: DirectoryKind,
  parent: 'users' | 'applications',
  parentPath: readonly string[],
  path: string,
  embedded: string,
): SimulatedCollection => ({
  embedded,
  records: (ctx) => {
    const id = ctx.request.params.parentId ?? '';
    const exists = parent === 'users' ? ctx.environment.users.has(id) : ctx.environment.directory.table('applications').has(id);
    if (!exists) throw httpErrors.notFound();
    return tableRecords(ctx, kind).filter((r) => valueAt(r.data, parentPath) === id);
  },
  self: (ctx, data) => envHref(ctx, `/${parent}/${String(valueAt(data, parentPath))}/${path}/${String(data.id)}`),
});

const assignments = (type: 'users' | 'groups' | 'applications'): SimulatedCollection => ({
  embedded: 'roleAssignments',
  records: (ctx) => assignmentsOf(ctx, subjectOf(ctx, type)),
  self: assignmentHref,
});

/** PingOne's built-in roles, and in an environment's list its custom ones too (typed PLATFORM and CUSTOM). */
const platformRoles: SimulatedCollection = {
  embedded: 'roles',
  records: (ctx) => [...ctx.store.platform.roles.scanAfter(0)],
  self: (ctx, data) => rootHref(ctx, `/roles/${String(data.id)}`),
};
const environmentRoles: SimulatedCollection = {
  embedded: 'roles',
  filter: 'roles',
  records: (ctx) => [
    ...[...ctx.store.platform.roles.scanAfter(0)].map((r) => ({ seq: r.seq, data: { ...r.data, type: 'PLATFORM' } })),
    ...tableRecords(ctx, 'customRoles').map((r) => ({ seq: 1_000_000 + r.seq, data: { type: 'CUSTOM', ...r.data } })),
  ],
  self: (ctx, data) => envHref(ctx, `/roles/${String(data.id)}`),
};

/** Every environment the token may see (a worker's sees the simulator's), with PingOne's filter and paging. */
const environments: SimulatedCollection = {
  embedded: 'environments',
  filter: 'environments',
  paged: 'environments',
  records: (ctx) =>
    [...ctx.store.environments.values()].map((env, i) => ({
      seq: i + 1,
      data: { ...renderEnvironment(ctx.view.apiUrl, env, ORGANIZATION_ID), status: 'ACTIVE' },
    })),
  self: (ctx, data) => rootHref(ctx, `/environments/${String(data.id)}`),
  render: (_ctx, data) => data,
};
const organizations: SimulatedCollection = {
  embedded: 'organizations',
  paged: 'organizations',
  records: (ctx) => [...ctx.store.platform.organizations.scanAfter(0)],
  self: (ctx, data) => rootHref(ctx, `/organizations/${String(data.id)}`),
};
const licenses: SimulatedCollection = {
  embedded: 'licenses',
  filter: 'licenses',
  records: (ctx) => {
    const org = ctx.request.params.parentId ?? '';
    if (!ctx.store.platform.organizations.has(org)) throw httpErrors.notFound();
    return [...ctx.store.platform.licenses.scanAfter(0)].filter((r) => valueAt(r.data, ['organization', 'id']) === org);
  },
  self: (ctx, data) => rootHref(ctx, `/organizations/${String(valueAt(data, ['organization', 'id']))}/licenses/${String(data.id)}`),
};

const applications = inEnvironment('applications', '/applications', 'applications');
const sessions = perParent('sessions', 'users', ['user', 'id'], 'sessions', 'sessions');
const linkedAccounts = perParent('linkedAccounts', 'users', ['user', 'id'], 'linkedAccounts', 'linkedAccounts');

/** DELETE of one item of a per-user collection (a session, a linked account). */
function deleteChild(collection: SimulatedCollection, kind: DirectoryKind): ApiHandler {
  return (ctx): ApiResponse => {
    const found = collection.records(ctx).find((r) => r.data.id === ctx.request.params.id);
    if (!found) throw httpErrors.notFound();
    ctx.environment.directory.table(kind).delete(String(found.data.id));
    return { status: 204 };
  };
}

/** Every route of the directory's other resources (OpenAPI paths; what each takes: docs/simulator.md). */
export function addDirectoryRoutes(router: Router<ApiHandler>): void {
  const collections: [string, SimulatedCollection][] = [
    ['/v1/roles', platformRoles],
    [`${ENV}/roles`, environmentRoles],
    [`${ENV}/users/:parentId/roleAssignments`, assignments('users')],
    [`${ENV}/groups/:parentId/roleAssignments`, assignments('groups')],
    [`${ENV}/applications/:parentId/roleAssignments`, assignments('applications')],
    ['/v1/organizations', organizations],
    ['/v1/organizations/:parentId/licenses', licenses],
    [`${ENV}/applications`, applications],
    [`${ENV}/applications/:parentId/grants`, perParent('applicationGrants', 'applications', ['application', 'id'], 'grants', 'grants')],
    [
      `${ENV}/applications/:parentId/attributes`,
      perParent('applicationAttributes', 'applications', ['application', 'id'], 'attributes', 'attributes'),
    ],
    [`${ENV}/identityProviders`, inEnvironment('identityProviders', '/identityProviders', 'identityProviders')],
    [`${ENV}/users/:parentId/linkedAccounts`, linkedAccounts],
    [`${ENV}/users/:parentId/sessions`, sessions],
    [`${ENV}/passwordPolicies`, inEnvironment('passwordPolicies', '/passwordPolicies', 'passwordPolicies')],
  ];
  router.add('GET', '/v1/environments', listDirectory(environments));
  for (const [path, collection] of collections)
    router.add('GET', path, listDirectory(collection)).add('GET', `${path}/:id`, readDirectoryItem(collection));
  for (const type of ['users', 'groups', 'applications'] as const) {
    router
      .add('POST', `${ENV}/${type}/:parentId/roleAssignments`, createAssignment(type))
      .add('DELETE', `${ENV}/${type}/:parentId/roleAssignments/:id`, deleteAssignment(type));
  }
  router.add('DELETE', `${ENV}/users/:parentId/sessions/:id`, deleteChild(sessions, 'sessions'));
  router.add('DELETE', `${ENV}/users/:parentId/linkedAccounts/:id`, deleteChild(linkedAccounts, 'linkedAccounts'));
  router
    .add('GET', `${ENV}/activities`, listActivities)
    .add('POST', `${ENV}/activities`, searchActivities)
    .add('GET', `${ENV}/activities/:id`, readDirectoryItem(activities));
}
