/**
 * Where PingOne keeps the directory's other resources, as data: one entry per resource, read by DirectoryResources
 * (directory-resources.ts) and by the TypeORM driver's planner. Adding a resource is an entry here, its filter cells
 * (filter-capabilities.ts) and the simulator's store and handlers. Paths are OpenAPI's (pingone-management.yml).
 */
export type DirectoryResource =
  | 'roles'
  | 'userRoleAssignments'
  | 'groupRoleAssignments'
  | 'applicationRoleAssignments'
  | 'environments'
  | 'organizations'
  | 'licenses'
  | 'applications'
  | 'applicationGrants'
  | 'applicationAttributes'
  | 'identityProviders'
  | 'linkedAccounts'
  | 'sessions'
  | 'passwordPolicies'
  | 'activities';

/** One list a resource's items come from. */
export interface ListSource {
  /** below the environment (`/applications`), or from the API root when `root`; `{parent}` is the parent's id */
  readonly path: string;
  readonly root?: boolean;
  /** a filter this source always sends (SCIM text): the environment's custom roles, `type eq "CUSTOM"` */
  readonly filter?: string;
  /** attributes this source's items leave out but are known by where they come from (built-in roles: type PLATFORM) */
  readonly implied?: Readonly<Record<string, unknown>>;
}

/** The resource a child resource is listed under: its items carry the parent's id at `attribute` (added when absent). */
export interface ParentKey {
  readonly resource: 'users' | 'groups' | 'applications' | 'organizations';
  readonly attribute: string;
}

export interface DirectoryEndpoint {
  /** the `_embedded` key of its lists */
  readonly embedded: string;
  readonly sources: readonly ListSource[];
  /** one item by id (`{id}`, and `{parent}` for a child resource); absent: PingOne has no such read */
  readonly one?: { readonly path: string; readonly root?: boolean };
  /** PingOne lists it only per parent (a user's sessions): every read names the parents */
  readonly parent?: ParentKey;
  /** whether its lists take `limit` (and page with `cursor`); otherwise PingOne sends every item at once */
  readonly paged: boolean;
  /** lists are `POST {filter, limit}`: the filter (personal data) stays out of URLs (audit activities) */
  readonly post?: boolean;
  /** POST to the (first) source path creates one */
  readonly create?: boolean;
  /** DELETE of one item's path removes it */
  readonly remove?: boolean;
  /** attributes never passed on, whatever PingOne sends (client secrets) */
  readonly secrets?: readonly string[];
}

const userChild = (path: string, embedded: string, extra: Partial<DirectoryEndpoint> = {}): DirectoryEndpoint => ({
  embedded,
  sources: [{ path: `/users/{parent}/${path}` }],
  one: { path: `/users/{parent}/${path}/{id}` },
  parent: { resource: 'users', attribute: 'user.id' },
  paged: false,
  ...extra,
});

const assignments = (resource: 'users' | 'groups' | 'applications', attribute: string): DirectoryEndpoint => ({
  embedded: 'roleAssignments',
  sources: [{ path: `/${resource}/{parent}/roleAssignments` }],
  one: { path: `/${resource}/{parent}/roleAssignments/{id}` },
  parent: { resource, attribute },
  paged: false,
  create: true,
  remove: true,
});

const applicationChild = (path: string, embedded: string): DirectoryEndpoint => ({
  embedded,
  sources: [{ path: `/applications/{parent}/${path}` }],
  one: { path: `/applications/{parent}/${path}/{id}` },
  parent: { resource: 'applications', attribute: 'application.id' },
  paged: false,
});

export const DIRECTORY_ENDPOINTS: Readonly<Record<DirectoryResource, DirectoryEndpoint>> = Object.freeze({
  // PingOne's built-in roles (GET /roles, no filter) and the environment's custom ones (its roles, filtered to CUSTOM:
  // under either reading of whether that list also holds the built-in ones, each role is read once).
  roles: {
    embedded: 'roles',
    sources: [
      { path: '/roles', root: true, implied: { type: 'PLATFORM' } },
      { path: '/roles', filter: 'type eq "CUSTOM"' },
    ],
    paged: false,
  },
  userRoleAssignments: assignments('users', 'user.id'),
  groupRoleAssignments: assignments('groups', 'group.id'),
  applicationRoleAssignments: assignments('applications', 'application.id'),
  environments: {
    embedded: 'environments',
    sources: [{ path: '/environments', root: true }],
    one: { path: '/environments/{id}', root: true },
    paged: true,
  },
  organizations: {
    embedded: 'organizations',
    sources: [{ path: '/organizations', root: true }],
    one: { path: '/organizations/{id}', root: true },
    paged: true,
  },
  licenses: {
    embedded: 'licenses',
    sources: [{ path: '/organizations/{parent}/licenses', root: true }],
    one: { path: '/organizations/{parent}/licenses/{id}', root: true },
    parent: { resource: 'organizations', attribute: 'organization.id' },
    paged: false,
  },
  applications: {
    embedded: 'applications',
    sources: [{ path: '/applications' }],
    one: { path: '/applications/{id}' },
    paged: false,
    secrets: ['clientSecret'],
  },
  applicationGrants: applicationChild('grants', 'grants'),
  applicationAttributes: applicationChild('attributes', 'attributes'),
  identityProviders: {
    embedded: 'identityProviders',
    sources: [{ path: '/identityProviders' }],
    one: { path: '/identityProviders/{id}' },
    paged: false,
    secrets: ['clientSecret', 'appSecret'],
  },
  linkedAccounts: userChild('linkedAccounts', 'linkedAccounts', { remove: true }),
  sessions: userChild('sessions', 'sessions', { remove: true }),
  passwordPolicies: {
    embedded: 'passwordPolicies',
    sources: [{ path: '/passwordPolicies' }],
    one: { path: '/passwordPolicies/{id}' },
    paged: false,
  },
  activities: { embedded: 'activities', sources: [{ path: '/activities' }], one: { path: '/activities/{id}' }, paged: true, post: true },
} satisfies Record<DirectoryResource, DirectoryEndpoint>);

export const DIRECTORY_RESOURCES = Object.freeze(Object.keys(DIRECTORY_ENDPOINTS) as DirectoryResource[]);
