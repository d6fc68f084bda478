import type { RequestOptions } from '../http/api-requester';
import type { PagedList } from '../paging/paged-list';
import type { Group, GroupInput, User } from '../types/resources';
import { listQuery, pagedList, segment, type ListParams, type ResourceContext } from './resource-context';
import type { UsersResource } from './users-resource';

/** `/environments/{id}/groups`. Groups have no PATCH: `replace` sends the whole group. */
export class GroupsResource {
  constructor(private readonly ctx: ResourceContext, private readonly users: UsersResource) {}

  list(params: ListParams = {}, options?: RequestOptions): PagedList<Group> {
    return pagedList<Group>(this.ctx, '/groups', 'groups', listQuery(params), options);
  }

  async get(id: string, params: { include?: readonly 'totalMemberCounts'[] } = {}, options?: RequestOptions): Promise<Group> {
    const include = params.include?.length ? params.include.join(',') : undefined;
    return (await this.ctx.requester.request({ method: 'GET', url: `/groups/${segment(id)}`, query: { include } }, options)).body as Group;
  }

  async create(input: GroupInput, options?: RequestOptions): Promise<Group> {
    return (await this.ctx.requester.request({ method: 'POST', url: '/groups', body: input }, options)).body as Group;
  }

  /** PUT: attributes the input omits are cleared; the population can't change after create. */
  async replace(id: string, input: GroupInput, options?: RequestOptions): Promise<Group> {
    return (await this.ctx.requester.request({ method: 'PUT', url: `/groups/${segment(id)}`, body: input }, options)).body as Group;
  }

  async delete(id: string, options?: RequestOptions): Promise<void> {
    await this.ctx.requester.request({ method: 'DELETE', url: `/groups/${segment(id)}` }, options);
  }

  /** Users in the group (direct and nested, or `direct: true` only), via the memberOfGroups filter on /users. */
  listMembers(groupId: string, params: { direct?: boolean; limit?: number } = {}, options?: RequestOptions): PagedList<User> {
    return this.users.listGroupMembers(groupId, params, options);
  }
}
