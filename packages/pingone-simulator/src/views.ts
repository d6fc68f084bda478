import type { Environment } from './store/environment';
import type { Json } from './store/attributes';
import type { MembershipType } from './store/membership-graph';
import { countEffectiveUsers, membershipsOf } from './store/dynamic-groups';
import { LICENSE_ID } from './store/platform-data';

/**
 * Wire shapes, as PingOne renders them (compared with real-recordings/*.har): `_links` first with absolute
 * hrefs, then the stored attributes; unset attributes are absent, never null.
 */
export interface ViewContext {
  readonly apiUrl: string; // e.g. http://127.0.0.1:4010/v1
  readonly environment: Environment;
}

const href = (url: string) => ({ href: url });

export function environmentPath(ctx: ViewContext): string {
  return `${ctx.apiUrl}/environments/${ctx.environment.id}`;
}

/**
 * A user. `expand` may hold `population`: the user's population document (as GET /populations/{id} renders it) under
 * `_embedded.population`, PingOne's "Expanding user population information" (the HAL shape is the spec's, as for
 * GroupMembership's `_embedded.group`).
 */
export function renderUser(
  ctx: ViewContext,
  data: Json,
  include: ReadonlySet<string> = new Set(),
  expand: ReadonlySet<string> = new Set(),
): Json {
  const self = `${environmentPath(ctx)}/users/${String(data.id)}`;
  const view: Json = {
    _links: {
      self: href(self),
      password: href(`${self}/password`),
      'password.set': href(`${self}/password`),
      'password.reset': href(`${self}/password`),
      'password.check': href(`${self}/password`),
      'password.recover': href(`${self}/password`),
      'account.sendVerificationCode': href(self),
      linkedAccounts: href(`${self}/linkedAccounts`),
    },
    ...data,
  };
  const population =
    expand.has('population') && typeof (data.population as Json | undefined)?.id === 'string'
      ? ctx.environment.populations.get(String((data.population as Json).id))?.data
      : undefined;
  if (population) view._embedded = { population: renderPopulation(ctx, population) };
  if (include.has('memberOfGroupIDs') || include.has('memberOfGroupNames')) {
    const groups = membershipsOf(ctx.environment, String(data.id));
    if (include.has('memberOfGroupIDs')) view.memberOfGroupIDs = groups.map((g) => g.id);
    if (include.has('memberOfGroupNames')) {
      view.memberOfGroupNames = groups.map((g) => ctx.environment.groups.get(g.id)?.data.name).filter((n) => typeof n === 'string');
    }
  }
  return view;
}

export function renderGroup(ctx: ViewContext, data: Json, include: ReadonlySet<string> = new Set()): Json {
  const id = String(data.id);
  const members = ctx.environment.memberships.directMembers(id);
  const nestedGroups = members.filter((m) => ctx.environment.groups.has(m)).length;
  const { createdAt, updatedAt, checkSum, ...rest } = data;
  const view: Json = {
    _links: { self: href(`${environmentPath(ctx)}/groups/${id}`) },
    ...rest,
    directMemberCounts: { users: members.length - nestedGroups, groups: nestedGroups },
    createdAt,
    updatedAt,
  };
  if (checkSum !== undefined) view.checkSum = checkSum;
  if (include.has('totalMemberCounts')) view.totalMemberCounts = { users: countEffectiveUsers(ctx.environment, id) };
  return view;
}

export function renderPopulation(ctx: ViewContext, data: Json): Json {
  const id = String(data.id);
  const { createdAt, updatedAt, ...rest } = data;
  return {
    _links: { self: href(`${environmentPath(ctx)}/populations/${id}`) },
    ...rest,
    userCount: ctx.environment.populationUserCount(id),
    createdAt,
    updatedAt,
  };
}

/**
 * GroupMembership (OpenAPI `GroupMembership`): the group's id and name, membership type and environment; with
 * `expandGroup`, the group document under `_embedded.group` (`expand=group`).
 */
export function renderMembership(
  ctx: ViewContext,
  member: { kind: 'users' | 'groups'; id: string },
  groupId: string,
  type: MembershipType,
  expandGroup = false,
): Json {
  const stored = ctx.environment.groups.get(groupId)?.data;
  const group = stored ?? {};
  const base = `${environmentPath(ctx)}/${member.kind}/${member.id}`;
  return {
    _links: {
      self: href(`${base}/memberOfGroups/${groupId}`),
      [member.kind === 'users' ? 'user' : 'memberGroup']: href(base),
      group: href(`${environmentPath(ctx)}/groups/${groupId}`),
    },
    ...(expandGroup && stored ? { _embedded: { group: renderGroup(ctx, stored) } } : {}),
    id: groupId,
    environment: { id: ctx.environment.id },
    name: group.name,
    type,
    ...(group.population ? { population: group.population } : {}),
  };
}

// The link names of a real environment (real-recordings/fetch-users.har), in the same order.
const ENVIRONMENT_LINKS = [
  'populations',
  'users',
  'applications',
  'activities',
  'branding',
  'resources',
  'passwordPolicies',
  'userActivities',
  'signOnPolicies',
  'keys',
  'templates',
  'notificationsSettings',
  'schemas',
  'gateways',
  'capabilities',
  'activeIdentityCounts',
  'billOfMaterials',
  'propagation/plans',
  'propagation/revisions/id:latest',
  'propagation/stores',
];

export function renderEnvironment(apiUrl: string, environment: Environment, defaultOrganizationId: string): Json {
  const self = `${apiUrl}/environments/${environment.id}`;
  const profile = environment.profile;
  const organizationId = profile.organizationId ?? defaultOrganizationId;
  const licenseId = profile.licenseId ?? LICENSE_ID;
  const links: Json = {
    self: href(self),
    organization: href(`${apiUrl}/organizations/${organizationId}`),
    license: href(`${apiUrl}/organizations/${organizationId}/licenses/${licenseId}`),
  };
  for (const name of ENVIRONMENT_LINKS) links[name] = href(`${self}/${name}`);
  return {
    _links: links,
    id: environment.id,
    name: environment.name,
    description: profile.description ?? `${environment.name} (PingOne simulator)`,
    organization: { id: organizationId },
    type: profile.type ?? 'SANDBOX',
    region: profile.region ?? 'NA',
    createdAt: environment.createdAt,
    updatedAt: environment.createdAt,
    license: { id: licenseId },
  };
}
