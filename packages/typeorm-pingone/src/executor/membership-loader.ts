import {
  FILTER_CAPABILITIES,
  MEMBERSHIP_COMBINED_CELL,
  scim,
  TYPED_MEMBERSHIP_COMBINED_CELL,
  type ScimFilter,
} from '@typeorm-pingone/client';
import { PingOneFilterRefusedError } from '../errors';
import type { MembershipTableMapping } from '../mapping/table-mapping';
import type { PlanTrace } from './plan-trace';
import { parallel } from './request-pool';
import { allMembersFilter, directMembersFilter, type RemoteDirectory, type Resource } from './remote-directory';
import type { ResourceStore } from './resource-store';
import type { ScanOptions } from './partitioned-scan';
import { traceScan } from './scan-report';

/** Below this many members, asking each member for its groups is never worse than listing groups first. */
const PER_MEMBER_ALWAYS = 3;
/** PingOne serves users in pages of at most 200 (pingone-api.md §5), groups in pages of 1000: a member list's pages. */
const PAGE = { users: 200, groups: 1000 } as const;

/** One membership row: member id, group id, PingOne's type (DIRECT or INDIRECT). */
export type MembershipRow = [string, string, 'DIRECT' | 'INDIRECT'];

export interface MembershipLoad {
  readonly directory: RemoteDirectory;
  readonly store: ResourceStore;
  readonly trace: PlanTrace;
  readonly dryRun: boolean;
  readonly alias: string;
  readonly mapping: MembershipTableMapping;
  readonly groupIds: readonly string[] | undefined;
  readonly memberIds: readonly string[] | undefined;
  /**
   * The members' ids when they are still being read in full (every page, no filter) at the same time: the loader
   * starts from the groups and waits for the members only when asking per member could be fewer requests.
   */
  readonly pendingMembers?: () => Promise<readonly string[]>;
  readonly describe: { readonly groups: string; readonly members: string };
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

const counts = (group: Resource) => group.directMemberCounts as { users?: unknown; groups?: unknown } | undefined;

/**
 * How many members a group's list holds, as far as PingOne's counts tell (`directMemberCounts`). Every membership
 * of a group (effective) is more than its direct users: known to be none only when it has no direct users, no
 * nested group and no filter of its own.
 */
function memberCount(mapping: MembershipTableMapping, group: Resource): number | undefined {
  const direct = counts(group)?.[mapping.member];
  if (mapping.scope === 'direct') return typeof direct === 'number' ? direct : undefined;
  const users = counts(group)?.users;
  const groups = counts(group)?.groups;
  const dynamic = typeof group.userFilter === 'string' && group.userFilter !== '';
  return users === 0 && groups === 0 && !dynamic ? 0 : undefined;
}

/**
 * Group memberships, fetched set-wise. PingOne offers two directions: a member's groups
 * (`/users/{id}/memberOfGroups`, `/groups/{id}/memberOfGroups`: one request per member, every type) and a group's
 * members (`memberOfGroups[id eq …]` on /users or /groups, one request per group page, which also returns the members
 * themselves; `and type eq "DIRECT"` for direct ones). For known members the group side is narrowed three ways: only
 * groups that can hold them (environment groups and their populations' groups), no request for a group PingOne
 * reports empty, and the members themselves ANDed into the filter, or their population when there are too many ids.
 * The loader picks the direction with fewer requests. The typed table (DIRECT / INDIRECT) reads a group's members
 * twice from the group side (all, then the direct ones); its member side reads the type with each membership.
 */
export async function loadMemberships(load: MembershipLoad): Promise<MembershipRow[]> {
  const { directory, store, trace, dryRun, alias, mapping } = load;
  const { member } = mapping;
  const typed = mapping.scope === 'effective' && mapping.typeColumn !== undefined;
  /** A group's member list; narrowed, it is answered without a request by the whole list when this operation read it. */
  const listMembers = async (group: Resource, filter: ScimFilter, narrow?: Narrowing): Promise<Resource[]> => {
    const whole = narrow && directory.complete(member, filter);
    const items = whole
      ? whole.filter(narrow.keep)
      : narrow
        ? await directory.listAll(member, scim.and(filter, narrow.filter), 1000)
        : await directory.listAll(member, filter, 1000, scanOf(group));
    store.remember(member, items);
    return items;
  };
  /** A group's whole direct user list is a scan that may be read as partitions by population (partitioned-scan.ts), sized by PingOne's count. */
  const scanOf = (group: Resource): ScanOptions | undefined => {
    const size = member === 'users' && mapping.scope === 'direct' ? memberCount(mapping, group) : undefined;
    return size === undefined
      ? undefined
      : { size, spansPopulations: populationOf(group) === undefined, report: traceScan(trace, alias, mapping.table) };
  };
  const byGroup = async (groups: readonly Resource[], why: string, narrow?: Narrowing): Promise<MembershipRow[]> => {
    const shape =
      mapping.scope === 'direct'
        ? 'memberOfGroups[id eq "<group>" and type eq "DIRECT"]'
        : `memberOfGroups[id eq "<group>"]${typed ? ', then with type eq "DIRECT"' : ''}`;
    trace.step({
      alias,
      table: mapping.table,
      strategy: 'members-of-groups',
      filter: `${shape}${narrow ? ` and <${member}>` : ''}`,
      notes: `${dryRun ? '' : `${groups.length} group(s): `}${why}`,
    });
    if (dryRun) return [];
    const lists = await inParallel(groups, async (group): Promise<MembershipRow[]> => {
      if (mapping.scope === 'direct')
        return (await listMembers(group, directMembersFilter(group.id), narrow)).map((m) => [m.id, group.id, 'DIRECT']);
      const all = await listMembers(group, allMembersFilter(group.id), narrow);
      const noDirect = counts(group)?.users === 0;
      const direct =
        !typed || noDirect || all.length === 0
          ? new Set<string>()
          : new Set((await listMembers(group, directMembersFilter(group.id), narrow)).map((m) => m.id));
      return all.map((m) => [m.id, group.id, direct.has(m.id) ? 'DIRECT' : 'INDIRECT']);
    });
    return lists.flat();
  };
  const byMember = async (memberIds: readonly string[], why: string): Promise<MembershipRow[]> => {
    trace.step({
      alias,
      table: mapping.table,
      strategy: 'memberships-of-users',
      filter: undefined,
      notes: `${dryRun ? '' : `${memberIds.length} ${member}: `}${why}`,
    });
    if (dryRun) return [];
    const lists = await inParallel(memberIds, async (memberId) => {
      const { memberships, groups } = await directory.membershipsOf(member, memberId);
      // The memberships embed their groups: a groups step of the same statement finds them fetched.
      store.remember('groups', groups);
      return memberships
        .filter((m) => mapping.scope === 'effective' || m.type === 'DIRECT')
        .map((m): MembershipRow => [memberId, m.groupId, m.type]);
    });
    return lists.flat();
  };
  /** Groups named by id: their documents when this statement fetched them (their counts), else the id alone. */
  const groupsById = (ids: readonly string[]): Resource[] =>
    ids.map((id) => store.known('groups', id) ?? directory.known('groups', id) ?? { id });
  const allGroups = async (): Promise<Resource[]> => {
    if (dryRun) return [];
    const groups = await directory.listAll('groups', undefined, 1000);
    store.remember('groups', groups);
    return groups;
  };
  const nonEmpty = (groups: readonly Resource[]) => groups.filter((g) => memberCount(mapping, g) !== 0);
  const pagesOf = (groups: readonly Resource[]) =>
    groups.reduce((n, g) => n + Math.max(1, Math.ceil((memberCount(mapping, g) ?? PAGE[member]) / PAGE[member])) * (typed ? 2 : 1), 0);

  if (load.groupIds !== undefined) {
    // Both sides pinned (TypeORM's relation loads: `userId IN (…) AND groupId IN (…)`): the groups' member lists
    // narrowed to those members, or per member, whichever is fewer requests, once the groups are known (read already).
    const groups = load.groupIds.map((id) => store.known('groups', id) ?? directory.known('groups', id));
    if (load.memberIds !== undefined && !dryRun && load.memberIds.length > PER_MEMBER_ALWAYS && groups.every((g) => g !== undefined)) {
      return byCheapest(load.memberIds, groups);
    }
    return byGroup(groupsById(load.groupIds), `groups from ${load.describe.groups || 'the WHERE'}`);
  }
  if (load.memberIds !== undefined) {
    if (dryRun) return byMember([], `${member} from ${load.describe.members || 'the WHERE'}, or per group when that is fewer requests`);
    const memberIds = load.memberIds;
    if (memberIds.length === 0) return [];
    if (memberIds.length <= PER_MEMBER_ALWAYS) return byMember(memberIds, `${member} from ${load.describe.members || 'the WHERE'}`);
    trace.step({
      alias: 'groups',
      table: 'groups',
      strategy: 'list',
      filter: undefined,
      notes: 'all groups, to compare the membership strategies',
    });
    return byCheapest(memberIds, await allGroups());
  }
  if (load.pendingMembers && !dryRun) {
    trace.step({
      alias: 'groups',
      table: 'groups',
      strategy: 'list',
      filter: undefined,
      notes: `all groups, while every one of ${member} is read`,
    });
    const groups = await allGroups();
    const candidates = nonEmpty(groups);
    // Every member is read, so there are at least as many members (one request each, per member) as the largest
    // group has: when the groups' member pages are no more than that, they are the fewest requests, and they don't
    // need the members' ids, so they overlap the members' pages instead of waiting for them.
    const largest = Math.max(0, ...candidates.map((g) => memberCount(mapping, g) ?? 0));
    const pages = pagesOf(candidates);
    if (pages <= largest) {
      return byGroup(
        candidates,
        `every member is read, so every membership of a non-empty group is needed (${pages} page(s) at most, no more than asking each of at least ${largest} members), fetched while the members are read`,
      );
    }
    return byCheapest(await load.pendingMembers(), groups);
  }
  trace.step({ alias: 'groups', table: 'groups', strategy: 'list', filter: undefined, notes: 'all groups: every membership is needed' });
  return byGroup(nonEmpty(await allGroups()), 'every membership (groups PingOne reports empty are skipped)');

  async function byCheapest(memberIds: readonly string[], groups: readonly Resource[]): Promise<MembershipRow[]> {
    try {
      return await cheapest(memberIds, groups);
    } catch (error) {
      if (!(error instanceof PingOneFilterRefusedError) || !narrowingCells().some((c) => mapping.refusals?.refused(member, c))) throw error;
      trace.replanned(
        `${alias}: PingOne refused ${error.cells.map((c) => `\`${c}\``).join(', ')}; memberships planned again without narrowing the member lists`,
      );
      return cheapest(memberIds, groups);
    }
  }

  /** The cells a narrowed member list relies on: the typed term with other conditions is weakly sourced. */
  function narrowingCells(): string[] {
    if (mapping.scope === 'direct') return [TYPED_MEMBERSHIP_COMBINED_CELL];
    return typed ? [MEMBERSHIP_COMBINED_CELL, TYPED_MEMBERSHIP_COMBINED_CELL] : [MEMBERSHIP_COMBINED_CELL];
  }

  function cheapest(memberIds: readonly string[], groups: readonly Resource[]): Promise<MembershipRow[]> {
    const members = memberIds.map((id) => store.known(member, id) ?? directory.known(member, id));
    const populations = members.every((u) => u !== undefined) ? new Set(members.map(populationOf)) : undefined;
    const candidates = nonEmpty(groups).filter((g) => populationOf(g) === undefined || !populations || populations.has(populationOf(g)));
    const skipped = groups.length - candidates.length;
    const why = `${skipped > 0 ? `${skipped} of ${groups.length} groups empty or of other populations; ` : ''}`;
    if (candidates.length === 0) return Promise.resolve([]);
    // Narrowing a member list ANDs other conditions to its membership term: not where PingOne refused that.
    const combined =
      FILTER_CAPABILITIES[member].memberOfGroupsCombined && !narrowingCells().some((c) => mapping.refusals?.refused(member, c));
    const wanted = new Set(memberIds);
    const ids: Narrowing = { filter: scim.or(...memberIds.map((id) => scim.eq('id', id))), keep: (m) => wanted.has(m.id) };
    const idParts = combined
      ? directory.parts(member, scim.and(directMembersFilter(candidates[0].id), ids.filter), 1000).length * (typed ? 2 : 1)
      : Infinity;
    const byIds = candidates.length * idParts;
    // Whole member lists, narrowed to the members' population when they share one or a few.
    const known = populations && ![...populations].includes(undefined) ? ([...populations] as string[]) : undefined;
    const byPopulation: Narrowing | undefined =
      combined && known && known.length <= 4
        ? { filter: scim.or(...known.map((p) => scim.eq('population.id', p))), keep: (m) => known.includes(populationOf(m)!) }
        : undefined;
    const pages = pagesOf(candidates);
    const best = Math.min(memberIds.length, byIds, pages);
    if (best === memberIds.length)
      return byMember(memberIds, `${why}fewer requests per member (${memberIds.length}) than per group (${Math.min(byIds, pages)})`);
    if (best === byIds)
      return byGroup(
        candidates,
        `${why}the ${memberIds.length} members' ids ANDed into each group's filter (${byIds} request(s) instead of ${memberIds.length})`,
        ids,
      );
    return byGroup(
      candidates,
      `${why}each group's member pages${byPopulation ? ", narrowed to the members' population(s)" : ''} (about ${pages} request(s) instead of ${memberIds.length})`,
      byPopulation,
    );
  }
}
