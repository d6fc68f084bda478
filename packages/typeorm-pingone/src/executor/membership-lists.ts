import { PingOneApiError, type PingOneClient } from '@typeorm-pingone/client';
import type { MemberKind } from '../mapping/table-mapping';
import type { Resource } from './remote-directory';
import type { RequestPool } from './request-pool';

/** What `RemoteDirectory.membershipsOf` reads: each membership's group and type, and the groups' documents PingOne embedded. */
export interface MembershipList {
  readonly memberships: readonly { readonly groupId: string; readonly type: 'DIRECT' | 'INDIRECT' }[];
  readonly groups: readonly Resource[];
}

/**
 * Every page of `/users/{id}/memberOfGroups?expand=group` (or `/groups/{id}/…`, the groups a group is nested in),
 * each page through the shared pool; an unknown member is no memberships, as in SQL.
 */
export async function membershipsFrom(client: PingOneClient, pool: RequestPool, member: MemberKind, id: string): Promise<MembershipList> {
  const memberships: { groupId: string; type: 'DIRECT' | 'INDIRECT' }[] = [];
  const groups: Resource[] = [];
  const list =
    member === 'users'
      ? client.users.listGroupMemberships(id, { expand: ['group'] })
      : client.groups.listParentGroups(id, { expand: ['group'] });
  const iterator = list.pages()[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await pool.run(() => iterator.next());
      if (next.done) break;
      for (const membership of next.value.items) {
        const group = membership._embedded?.group;
        if (group && group.id === membership.id) groups.push(group);
        memberships.push({ groupId: membership.id, type: membership.type === 'INDIRECT' ? 'INDIRECT' : 'DIRECT' });
      }
      if (!next.value.hasNext) break;
    }
  } catch (error) {
    if (error instanceof PingOneApiError && error.status === 404) return { memberships: [], groups: [] };
    throw error;
  } finally {
    await iterator.return?.();
  }
  return { memberships, groups };
}
