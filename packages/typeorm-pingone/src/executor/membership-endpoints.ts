import type { GroupMembership, PingOneClient } from '@typeorm-pingone/client';
import type { MemberKind } from '../mapping/table-mapping';

/** A member's memberships at PingOne: `/users/{id}/memberOfGroups` or, for nesting, `/groups/{id}/memberOfGroups`. */
export interface MembershipEndpoints {
  readonly path: (memberId: string) => string;
  get(memberId: string, groupId: string): Promise<GroupMembership>;
  list(memberId: string): Promise<GroupMembership[]>;
  add(memberId: string, groupId: string): Promise<unknown>;
  remove(memberId: string, groupId: string): Promise<void>;
}

export function membershipEndpoints(client: PingOneClient, member: MemberKind = 'users'): MembershipEndpoints {
  if (member === 'users') {
    return {
      path: (id) => `/users/${id}/memberOfGroups`,
      get: (id, groupId) => client.users.getGroupMembership(id, groupId),
      list: (id) => client.users.listGroupMemberships(id).toArray(),
      add: (id, groupId) => client.users.addToGroup(id, groupId),
      remove: (id, groupId) => client.users.removeFromGroup(id, groupId),
    };
  }
  return {
    path: (id) => `/groups/${id}/memberOfGroups`,
    get: (id, groupId) => client.groups.getParentGroup(id, groupId),
    list: (id) => client.groups.listParentGroups(id).toArray(),
    add: (id, groupId) => client.groups.addToGroup(id, groupId),
    remove: (id, groupId) => client.groups.removeFromGroup(id, groupId),
  };
}

/** How messages name a membership: `user u in group g`, `group c in group p`. */
export function describeMembership(member: MemberKind | undefined, memberId: string, groupId: string): string {
  return member === 'groups' ? `nesting of group ${memberId} in group ${groupId}` : `membership of user ${memberId} in group ${groupId}`;
}
