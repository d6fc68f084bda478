import type { RequestOptions } from '../http/api-requester';
import type { PagedList } from '../paging/paged-list';
import type { Group, GroupInput, User } from '../types/resources';
import { CollectionResource } from './collection-resource';
import type { ResourceContext } from './resource-context';
import type { UsersResource } from './users-resource';

/** `/environments/{id}/groups`. The population of a group can't change after create. */
export class GroupsResource extends CollectionResource<Group, GroupInput> {
  constructor(ctx: ResourceContext, private readonly users: UsersResource) {
    super(ctx, 'groups');
  }

  get(id: string, params: { include?: readonly 'totalMemberCounts'[] } = {}, options?: RequestOptions): Promise<Group> {
    return this.read(id, { include: params.include?.length ? params.include.join(',') : undefined }, options);
  }

  /** Users in the group (direct and nested, or `direct: true` only), via the memberOfGroups filter on /users. */
  listMembers(groupId: string, params: { direct?: boolean; limit?: number } = {}, options?: RequestOptions): PagedList<User> {
    return this.users.listGroupMembers(groupId, params, options);
  }
}
