import type { RequestOptions } from '../http/api-requester';
import type { PagedList } from '../paging/paged-list';
import { scim } from '../filter/scim-filter';
import type { GroupMembership, User, UserInput } from '../types/resources';
import { expandQuery, pagedList, segment, type ExpandableListParams, type ResourceContext } from './resource-context';

const IMPORT_TYPE = 'application/vnd.pingidentity.user.import+json';
const PASSWORD_SET_TYPE = 'application/vnd.pingidentity.password.set+json';

export interface PasswordInput {
  readonly value: string;
  readonly forceChange?: boolean;
}

/** `/environments/{id}/users` and the user sub-resources (enabled, population, password, memberOfGroups). */
export class UsersResource {
  constructor(private readonly ctx: ResourceContext) {}

  /** `expand: ['population']` embeds each user's population document (`_embedded.population`). */
  list(params: ExpandableListParams<'population'> = {}, options?: RequestOptions): PagedList<User> {
    return pagedList<User>(this.ctx, '/users', 'users', params, options);
  }

  async get(id: string, params: { include?: readonly ('memberOfGroupIDs' | 'memberOfGroupNames')[]; expand?: readonly 'population'[] } = {}, options?: RequestOptions): Promise<User> {
    const include = params.include?.length ? params.include.join(',') : undefined;
    return (await this.ctx.requester.request({ method: 'GET', url: `/users/${segment(id)}`, query: { include, expand: expandQuery(params.expand) } }, options)).body as User;
  }

  /** Plain create (`application/json`); PingOne can't take a password this way: use `import`. */
  async create(input: UserInput, options?: RequestOptions): Promise<User> {
    return (await this.ctx.requester.request({ method: 'POST', url: '/users', body: input }, options)).body as User;
  }

  /** Create with the import content type: may set a password, `lifecycle.status`, `emailVerified`, `mfaEnabled`. */
  async import(input: UserInput & { password?: PasswordInput }, options?: RequestOptions): Promise<User> {
    return (await this.ctx.requester.request({ method: 'POST', url: '/users', body: input, contentType: IMPORT_TYPE }, options)).body as User;
  }

  /** PUT: attributes the input omits are cleared. */
  async replace(id: string, input: UserInput, options?: RequestOptions): Promise<User> {
    return (await this.ctx.requester.request({ method: 'PUT', url: `/users/${segment(id)}`, body: input }, options)).body as User;
  }

  /** PATCH: only the attributes given change; `null` clears one. */
  async patch(id: string, changes: Partial<UserInput>, options?: RequestOptions): Promise<User> {
    return (await this.ctx.requester.request({ method: 'PATCH', url: `/users/${segment(id)}`, body: changes }, options)).body as User;
  }

  async delete(id: string, options?: RequestOptions): Promise<void> {
    await this.ctx.requester.request({ method: 'DELETE', url: `/users/${segment(id)}` }, options);
  }

  async setEnabled(id: string, enabled: boolean, options?: RequestOptions): Promise<void> {
    await this.ctx.requester.request({ method: 'PUT', url: `/users/${segment(id)}/enabled`, body: { enabled } }, options);
  }

  async setPopulation(id: string, populationId: string, options?: RequestOptions): Promise<void> {
    await this.ctx.requester.request({ method: 'PUT', url: `/users/${segment(id)}/population`, body: { id: populationId } }, options);
  }

  async setPassword(id: string, password: PasswordInput, options?: RequestOptions): Promise<void> {
    await this.ctx.requester.request({ method: 'PUT', url: `/users/${segment(id)}/password`, body: { value: password.value, forceChange: password.forceChange ?? false }, contentType: PASSWORD_SET_TYPE }, options);
  }

  /**
   * The groups a user belongs to, directly and through nested groups (`type`), page by page (`limit`, following
   * `_links.next`); `expand: ['group']` embeds each group document (`_embedded.group`).
   */
  listGroupMemberships(id: string, params: ExpandableListParams<'group'> = {}, options?: RequestOptions): PagedList<GroupMembership> {
    return pagedList<GroupMembership>(this.ctx, `/users/${segment(id)}/memberOfGroups`, 'groupMemberships', params, options);
  }

  /** One membership (direct or through nesting); `expand: ['group']` embeds the group. */
  async getGroupMembership(id: string, groupId: string, params: { expand?: readonly 'group'[] } = {}, options?: RequestOptions): Promise<GroupMembership> {
    const url = `/users/${segment(id)}/memberOfGroups/${segment(groupId, 'group id')}`;
    return (await this.ctx.requester.request({ method: 'GET', url, query: { expand: expandQuery(params.expand) } }, options)).body as GroupMembership;
  }

  async addToGroup(id: string, groupId: string, options?: RequestOptions): Promise<GroupMembership> {
    return (await this.ctx.requester.request({ method: 'POST', url: `/users/${segment(id)}/memberOfGroups`, body: { id: groupId } }, options)).body as GroupMembership;
  }

  async removeFromGroup(id: string, groupId: string, options?: RequestOptions): Promise<void> {
    await this.ctx.requester.request({ method: 'DELETE', url: `/users/${segment(id)}/memberOfGroups/${segment(groupId, 'group id')}` }, options);
  }

  /** Users of a group: PingOne has no /groups/{id}/members, so this is `memberOfGroups[id eq "…"]` on /users. */
  listGroupMembers(groupId: string, params: { direct?: boolean; limit?: number } = {}, options?: RequestOptions): PagedList<User> {
    const inner = params.direct ? scim.and(scim.eq('id', groupId), scim.eq('type', 'DIRECT')) : scim.eq('id', groupId);
    return this.list({ filter: scim.valuePath('memberOfGroups', inner), ...(params.limit ? { limit: params.limit } : {}) }, options);
  }
}
