import type { RequestOptions } from '../http/api-requester';
import type { PagedList } from '../paging/paged-list';
import type { Group, GroupInput, GroupMembership, User } from '../types/resources';
import { CollectionResource } from './collection-resource';
import { expandQuery, pagedList, segment, type ExpandableListParams, type ResourceContext } from './resource-context';
import type { UsersResource } from './users-resource';

/** `/environments/{id}/groups`. The population of a group can't change after create. */
export class GroupsResource extends CollectionResource<Group, GroupInput> {
  constructor(
    ctx: ResourceContext,
    private readonly users: UsersResource,
  ) {
    super(ctx, 'groups');
  }

  get(id: string, params: { include?: readonly 'totalMemberCounts'[] } = {}, options?: RequestOptions): Promise<Group> {
    return this.read(id, { include: params.include?.length ? params.include.join(',') : undefined }, options);
  }

  /** Users in the group (direct and nested, or `direct: true` only), via the memberOfGroups filter on /users. */
  listMembers(groupId: string, params: { direct?: boolean; limit?: number } = {}, options?: RequestOptions): PagedList<User> {
    return this.users.listGroupMembers(groupId, params, options);
  }

  /**
   * The groups a group is nested in (`GET /groups/{id}/memberOfGroups`): DIRECT ones, and INDIRECT ones through their
   * own nesting, as group memberships (OpenAPI readGroupNesting).
   */
  listParentGroups(groupId: string, params: ExpandableListParams<'group'> = {}, options?: RequestOptions): PagedList<GroupMembership> {
    return pagedList<GroupMembership>(
      this.ctx,
      `/groups/${segment(groupId, 'group id')}/memberOfGroups`,
      'groupMemberships',
      params,
      options,
    );
  }

  /** One nesting of a group in a parent group (404 when the group is not in it). */
  async getParentGroup(
    groupId: string,
    parentGroupId: string,
    params: { expand?: readonly 'group'[] } = {},
    options?: RequestOptions,
  ): Promise<GroupMembership> {
    const url = `/groups/${segment(groupId, 'group id')}/memberOfGroups/${segment(parentGroupId, 'parent group id')}`;
    return (await this.ctx.requester.request({ method: 'GET', url, query: { expand: expandQuery(params.expand) } }, options))
      .body as GroupMembership;
  }

  /** Nests a group in a parent group (`POST /groups/{id}/memberOfGroups {id: parent}`); PingOne allows cycles. */
  async addToGroup(groupId: string, parentGroupId: string, options?: RequestOptions): Promise<GroupMembership> {
    return (
      await this.ctx.requester.request(
        { method: 'POST', url: `/groups/${segment(groupId, 'group id')}/memberOfGroups`, body: { id: parentGroupId } },
        options,
      )
    ).body as GroupMembership;
  }

  async removeFromGroup(groupId: string, parentGroupId: string, options?: RequestOptions): Promise<void> {
    await this.ctx.requester.request(
      { method: 'DELETE', url: `/groups/${segment(groupId, 'group id')}/memberOfGroups/${segment(parentGroupId, 'parent group id')}` },
      options,
    );
  }
}
