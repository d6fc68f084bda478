import { FILTER_CAPABILITIES, scim, TYPED_MEMBERSHIP_COMBINED_CELL, type ScimFilter } from '@typeorm-pingone/client';
import { PingOneFilterRefusedError } from '../errors';
import type { MembershipTableMapping } from '../mapping/table-mapping';
import type { PlanTrace } from './plan-trace';
import { parallel } from './request-pool';
import { directMembersFilter, type RemoteDirectory, type Resource } from './remote-directory';
import type { ResourceStore } from './resource-store';
import { traceScan, type ScanOptions } from './partitioned-scan';

/** Below this many users, asking each user for its groups is never worse than listing groups first. */
const PER_USER_ALWAYS = 3;
/** PingOne serves users in pages of at most 200 (pingone-api.md §5): the estimate of a member list's pages. */
const USERS_PAGE = 200;

export interface MembershipLoad {
  readonly directory: RemoteDirectory;
  readonly store: ResourceStore;
  readonly trace: PlanTrace;
  readonly dryRun: boolean;
  readonly alias: string;
  readonly mapping: MembershipTableMapping;
  readonly groupIds: readonly string[] | undefined;
  readonly userIds: readonly string[] | undefined;
  /**
   * The users' ids when they are still being read in full (every page, no filter) at the same time: the loader
   * starts from the groups and waits for the users only when asking per user could be fewer requests.
   */
  readonly pendingUsers?: () => Promise<readonly string[]>;
  readonly describe: { readonly groups: string; readonly users: string };
}

/** Users ANDed into a member list's filter, and the same test on a user read already. */
interface Narrowing {
  readonly filter: ScimFilter;
  readonly keep: (user: Resource) => boolean;
}

/** Every list at the same time: the shared request pool bounds how many are in flight, with no batch barrier. */
function inParallel<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  return parallel(items.map((item) => () => work(item)));
}

const populationOf = (resource: Resource | undefined): string | undefined => {
  const population = resource?.population as { id?: unknown } | undefined;
  return typeof population?.id === 'string' ? population.id : undefined;
};

/** A group's direct user count as PingOne reports it (`directMemberCounts.users`), when it does. */
const memberCount = (group: Resource): number | undefined => {
  const counts = group.directMemberCounts as { users?: unknown } | undefined;
  return typeof counts?.users === 'number' ? counts.users : undefined;
};

/** The pages of the groups' member lists, by the counts PingOne reports (a page when it reports none). */
const memberPages = (groups: readonly Resource[]): number =>
  groups.reduce((n, g) => n + Math.max(1, Math.ceil((memberCount(g) ?? USERS_PAGE) / USERS_PAGE)), 0);

/**
 * Direct user ↔ group memberships, fetched set-wise. PingOne offers two directions: a user's groups
 * (`/users/{id}/memberOfGroups`, one request per user) and a group's users (`memberOfGroups[id eq …]` on /users,
 * one request per group page, which also returns the users themselves). For known users the group side is
 * narrowed three ways: only groups that can hold them (environment groups and their populations' groups: a
 * population group only takes its own population's users), no request for a group PingOne reports empty, and the
 * users themselves ANDed into the filter (`… and (id eq … or …)`), or their population when there are too many
 * ids. The loader picks the direction with fewer requests. That narrowing combines a DIRECT-typed membership term
 * with other conditions, a shape no source shows (weak): when PingOne refuses it, the choice is made again without it.
 */
export async function loadMemberships(load: MembershipLoad): Promise<[string, string][]> {
  const { directory, store, trace, dryRun, alias, mapping } = load;
  const byGroup = async (groupIds: readonly string[], why: string, narrow?: Narrowing): Promise<[string, string][]> => {
    const shown = `memberOfGroups[id eq "<group>" and type eq "DIRECT"]${narrow ? ' and <users>' : ''}`;
    trace.step({ alias, table: mapping.table, strategy: 'members-of-groups', filter: shown, notes: `${dryRun ? '' : `${groupIds.length} group(s): `}${why}` });
    if (dryRun) return [];
    const lists = await inParallel(groupIds, async (groupId) => {
      // A group's whole member list read earlier in this operation answers a narrowed one without a request.
      const whole = narrow && directory.complete('users', directMembersFilter(groupId));
      const users = whole ? whole.filter(narrow.keep) : narrow
        ? await directory.listAll('users', scim.and(directMembersFilter(groupId), narrow.filter), 1000)
        : await directory.listAll('users', directMembersFilter(groupId), 1000, scanOf(groupId));
      store.remember('users', users);
      return users.map((u) => [u.id, groupId] as [string, string]);
    });
    return lists.flat();
  };
  /** A whole member list is a scan that may be read as partitions by population (partitioned-scan.ts), sized by PingOne's member count. */
  const scanOf = (groupId: string): ScanOptions | undefined => {
    const group = store.known('groups', groupId);
    const size = group && memberCount(group);
    return size === undefined ? undefined : { size, spansPopulations: populationOf(group) === undefined, report: traceScan(trace, alias, mapping.table) };
  };
  const byUser = async (userIds: readonly string[], why: string): Promise<[string, string][]> => {
    trace.step({ alias, table: mapping.table, strategy: 'memberships-of-users', filter: undefined, notes: `${dryRun ? '' : `${userIds.length} user(s): `}${why}` });
    if (dryRun) return [];
    const lists = await inParallel(userIds, async (userId) => {
      const { groupIds, groups } = await directory.directGroupsOfUser(userId);
      // The memberships embed their groups: a groups step of the same statement finds them fetched.
      store.remember('groups', groups);
      return groupIds.map((g) => [userId, g] as [string, string]);
    });
    return lists.flat();
  };
  const allGroups = async (): Promise<Resource[]> => {
    if (dryRun) return [];
    const groups = await directory.listAll('groups', undefined, 1000);
    store.remember('groups', groups);
    return groups;
  };
  const nonEmpty = (groups: readonly Resource[]) => groups.filter((g) => memberCount(g) !== 0);

  if (load.groupIds !== undefined) {
    // Both sides pinned (TypeORM's relation loads: `userId IN (…) AND groupId IN (…)`): the groups' member lists
    // narrowed to those users, or per user, whichever is fewer requests, once the groups are known (read already).
    const groups = load.groupIds.map((id) => store.known('groups', id) ?? directory.known('groups', id));
    if (load.userIds !== undefined && !dryRun && load.userIds.length > PER_USER_ALWAYS && groups.every((g) => g !== undefined)) {
      return byCheapest(load.userIds, groups);
    }
    return byGroup(load.groupIds, `groups from ${load.describe.groups || 'the WHERE'}`);
  }
  if (load.userIds !== undefined) {
    if (dryRun) return byUser([], `users from ${load.describe.users || 'the WHERE'}, or per group when that is fewer requests`);
    const userIds = load.userIds;
    if (userIds.length === 0) return [];
    if (userIds.length <= PER_USER_ALWAYS) return byUser(userIds, `users from ${load.describe.users || 'the WHERE'}`);
    trace.step({ alias: 'groups', table: 'groups', strategy: 'list', filter: undefined, notes: 'all groups, to compare the membership strategies' });
    return byCheapest(userIds, await allGroups());
  }
  if (load.pendingUsers && !dryRun) {
    trace.step({ alias: 'groups', table: 'groups', strategy: 'list', filter: undefined, notes: 'all groups, while every user is read' });
    const groups = await allGroups();
    const candidates = nonEmpty(groups);
    // Every user is read, so there are at least as many users (one request each, per user) as the largest group
    // has members: when the groups' member pages are no more than that, they are the fewest requests, and they
    // don't need the users' ids, so they overlap the users' pages instead of waiting for them.
    const largest = Math.max(0, ...candidates.map((g) => memberCount(g) ?? 0));
    const pages = memberPages(candidates);
    if (pages <= largest) {
      return byGroup(candidates.map((g) => g.id), `every user is read, so every membership of a non-empty group is needed (${pages} page(s) at most, no more than asking each of at least ${largest} users), fetched while the users are read`);
    }
    return byCheapest(await load.pendingUsers(), groups);
  }
  trace.step({ alias: 'groups', table: 'groups', strategy: 'list', filter: undefined, notes: 'all groups: every membership is needed' });
  return byGroup(nonEmpty(await allGroups()).map((g) => g.id), 'every membership (groups PingOne reports empty are skipped)');

  async function byCheapest(userIds: readonly string[], groups: readonly Resource[]): Promise<[string, string][]> {
    try {
      return await cheapest(userIds, groups);
    } catch (error) {
      if (!(error instanceof PingOneFilterRefusedError) || !mapping.refusals?.refused('users', TYPED_MEMBERSHIP_COMBINED_CELL)) throw error;
      trace.replanned(`${alias}: PingOne refused ${error.cells.map((c) => `\`${c}\``).join(', ')}; memberships planned again without narrowing the member lists`);
      return cheapest(userIds, groups);
    }
  }

  function cheapest(userIds: readonly string[], groups: readonly Resource[]): Promise<[string, string][]> {
    const users = userIds.map((id) => store.known('users', id) ?? directory.known('users', id));
    const populations = users.every((u) => u !== undefined) ? new Set(users.map(populationOf)) : undefined;
    const candidates = nonEmpty(groups).filter((g) => populationOf(g) === undefined || !populations || populations.has(populationOf(g)));
    const skipped = groups.length - candidates.length;
    const why = `${skipped > 0 ? `${skipped} of ${groups.length} groups empty or of other populations; ` : ''}`;
    if (candidates.length === 0) return Promise.resolve([]);
    // Narrowing a member list ANDs other conditions to its DIRECT-typed term: not once PingOne refused that.
    const combined = FILTER_CAPABILITIES.users.memberOfGroupsCombined && !mapping.refusals?.refused('users', TYPED_MEMBERSHIP_COMBINED_CELL);
    const wanted = new Set(userIds);
    const ids: Narrowing = { filter: scim.or(...userIds.map((id) => scim.eq('id', id))), keep: (u) => wanted.has(u.id) };
    const idParts = combined ? directory.parts('users', scim.and(directMembersFilter(candidates[0].id), ids.filter), 1000).length : Infinity;
    const byIds = candidates.length * idParts;
    // Whole member lists, narrowed to the users' population when they share one or a few.
    const known = populations && ![...populations].includes(undefined) ? [...populations] as string[] : undefined;
    const byPopulation: Narrowing | undefined = combined && known && known.length <= 4
      ? { filter: scim.or(...known.map((p) => scim.eq('population.id', p))), keep: (u) => known.includes(populationOf(u)!) } : undefined;
    const pages = memberPages(candidates);
    const best = Math.min(userIds.length, byIds, pages);
    if (best === userIds.length) return byUser(userIds, `${why}fewer requests per user (${userIds.length}) than per group (${Math.min(byIds, pages)})`);
    if (best === byIds) return byGroup(candidates.map((g) => g.id), `${why}the ${userIds.length} users' ids ANDed into each group's filter (${byIds} request(s) instead of ${userIds.length})`, ids);
    return byGroup(candidates.map((g) => g.id), `${why}each group's member pages${byPopulation ? ", narrowed to the users' population(s)" : ''} (about ${pages} request(s) instead of ${userIds.length})`, byPopulation);
  }
}
