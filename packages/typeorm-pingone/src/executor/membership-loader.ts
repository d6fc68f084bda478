import type { MembershipTableMapping } from '../mapping/table-mapping';
import type { PlanTrace } from './plan-trace';
import { parallel } from './request-pool';
import type { RemoteDirectory, Resource } from './remote-directory';
import type { ResourceStore } from './resource-store';

/** Below this many users, asking each user for its groups is never worse than listing groups first. */
const PER_USER_ALWAYS = 3;

export interface MembershipLoad {
  readonly directory: RemoteDirectory;
  readonly store: ResourceStore;
  readonly trace: PlanTrace;
  readonly dryRun: boolean;
  readonly alias: string;
  readonly mapping: MembershipTableMapping;
  readonly groupIds: readonly string[] | undefined;
  readonly userIds: readonly string[] | undefined;
  readonly describe: { readonly groups: string; readonly users: string };
}

/** Every list at the same time: the shared request pool bounds how many are in flight, with no batch barrier. */
function inParallel<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  return parallel(items.map((item) => () => work(item)));
}

/**
 * Direct user ↔ group memberships, fetched set-wise. PingOne offers two directions: a user's groups
 * (`/users/{id}/memberOfGroups`, one request per user) and a group's users (`memberOfGroups[id eq …]` on /users,
 * one request per group, which also returns the users themselves). The loader picks the one with fewer requests.
 */
export async function loadMemberships(load: MembershipLoad): Promise<[string, string][]> {
  const { directory, store, trace, dryRun, alias, mapping } = load;
  const byGroup = async (groupIds: readonly string[], why: string): Promise<[string, string][]> => {
    trace.step({ alias, table: mapping.table, strategy: 'members-of-groups', filter: 'memberOfGroups[id eq "<group>" and type eq "DIRECT"]', notes: `${dryRun ? '' : `${groupIds.length} group(s): `}${why}` });
    if (dryRun) return [];
    const lists = await inParallel(groupIds, async (groupId) => {
      const users: Resource[] = [];
      for await (const page of directory.directMembersOfGroup(groupId)) users.push(...page.items);
      store.remember('users', users);
      return users.map((u) => [u.id, groupId] as [string, string]);
    });
    return lists.flat();
  };
  const byUser = async (userIds: readonly string[], why: string): Promise<[string, string][]> => {
    trace.step({ alias, table: mapping.table, strategy: 'memberships-of-users', filter: undefined, notes: `${dryRun ? '' : `${userIds.length} user(s): `}${why}` });
    if (dryRun) return [];
    const lists = await inParallel(userIds, async (userId) => (await directory.directGroupsOfUser(userId)).map((g) => [userId, g] as [string, string]));
    return lists.flat();
  };
  const allGroups = async (): Promise<string[]> => {
    if (dryRun) return [];
    const groups: Resource[] = [];
    for await (const page of directory.listPages('groups', undefined, 1000)) groups.push(...page.items);
    store.remember('groups', groups);
    return groups.map((g) => g.id);
  };

  if (load.groupIds !== undefined) return byGroup(load.groupIds, `groups from ${load.describe.groups || 'the WHERE'}`);
  if (load.userIds !== undefined) {
    if (dryRun) return byUser([], `users from ${load.describe.users || 'the WHERE'}, or per group when there are fewer groups than users`);
    if (load.userIds.length === 0) return [];
    if (load.userIds.length <= PER_USER_ALWAYS) return byUser(load.userIds, `users from ${load.describe.users || 'the WHERE'}`);
    trace.step({ alias: 'groups', table: 'groups', strategy: 'list', filter: undefined, notes: 'all groups, to compare the two membership strategies' });
    const groups = await allGroups();
    return groups.length + 1 < load.userIds.length
      ? byGroup(groups, `fewer groups (${groups.length}) than users (${load.userIds.length})`)
      : byUser(load.userIds, `fewer users (${load.userIds.length}) than groups (${groups.length})`);
  }
  trace.step({ alias: 'groups', table: 'groups', strategy: 'list', filter: undefined, notes: 'all groups: every membership is needed' });
  return byGroup(await allGroups(), 'every membership');
}
