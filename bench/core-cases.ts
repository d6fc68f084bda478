/**
 * bench/requests.ts's cases over users, groups, populations and memberships (the request-count suite of issues 17
 * and 29): each with the minimum a perfect planner needs, worked out by hand from the data sizes, its critical path,
 * and the requests of a connector that pushes down only `id =`.
 */
import { In, Like, MoreThan } from 'typeorm';
import { Group, type PingOneDataSource, Population, User } from 'typeorm-pingone';

export interface Case {
  readonly name: string;
  /** requests a perfect planner needs (worked out by hand from the data sizes), and why */
  readonly minimum: number | ((d: DataSizes) => number);
  readonly why: string;
  /** critical-path round trips a perfect planner needs (the longest chain of dependent requests) */
  readonly depth: number | ((d: DataSizes) => number);
  /** requests when only `id =` reaches PingOne: every other table is read whole (50 pages of users, 1 of groups/populations); memberships per user */
  readonly baseline: number;
  readonly run: (ds: PingOneDataSource, ids: Ids) => Promise<unknown>;
}
export interface Ids {
  userId: string;
  groupId: string;
  populationId: string;
  twoIds: string[];
  usernames500: string[];
  ids500: string[];
  late: Date;
}
export interface DataSizes {
  pageGroups: number;
  lateIndex: number;
  contractors: number;
  enabled: number;
  ada: number;
  populationUsers: number;
  groupMembers: number;
  helpDeskMembers: number;
}
/** PingOne serves at most 200 users a page, whatever `limit` asks (pingone-api.md §5). */
export const USERS_PAGE = 200;
export const pages = (n: number) => Math.max(1, Math.ceil(n / USERS_PAGE));

export const USERS = 10_000;
const U = Math.ceil(USERS / USERS_PAGE); // pages of a full users scan
export const coreCases: Case[] = [
  {
    name: 'findBy type = Contractor',
    minimum: (d) => pages(d.contractors),
    depth: (d) => pages(d.contractors),
    why: 'pages of 200 contractors',
    baseline: U,
    run: (ds) => ds.getRepository(User).findBy({ type: 'Contractor' }),
  },
  {
    name: 'findOneBy id',
    minimum: 1,
    depth: 1,
    why: 'GET by id',
    baseline: 1,
    run: (ds, i) => ds.getRepository(User).findOneBy({ id: i.userId }),
  },
  {
    name: 'findOneBy username',
    minimum: 1,
    depth: 1,
    why: 'filtered list, 1 row',
    baseline: U,
    run: (ds) => ds.getRepository(User).findOneBy({ username: 'ada.lovelace.0' }),
  },
  {
    name: 'findBy id In (2 ids)',
    minimum: 1,
    depth: 1,
    why: 'one or-of-eq filter',
    baseline: 2,
    run: (ds, i) => ds.getRepository(User).findBy({ id: In(i.twoIds) }),
  },
  {
    name: 'username LIKE "ada%"',
    minimum: (d) => pages(d.ada),
    depth: (d) => pages(d.ada),
    why: 'sw filter pages',
    baseline: U,
    run: (ds) => ds.getRepository(User).findBy({ username: Like('ada%') }),
  },
  {
    name: 'count()',
    minimum: 1,
    depth: 1,
    why: "PingOne's count on the first page",
    baseline: U,
    run: (ds) => ds.getRepository(User).count(),
  },
  {
    name: 'count(enabled = true)',
    minimum: (d) => pages(d.enabled),
    depth: (d) => pages(d.enabled),
    why: 'exact filter, but PingOne leaves count out of a result this large: its pages are counted',
    baseline: U,
    run: (ds) => ds.getRepository(User).count({ where: { enabled: true } }),
  },
  {
    name: 'find take 10 (no order)',
    minimum: 1,
    depth: 1,
    why: 'first page only',
    baseline: 1,
    run: (ds) => ds.getRepository(User).find({ take: 10 }),
  },
  {
    name: 'find type = Partner take 5',
    minimum: 1,
    depth: 1,
    why: 'first filtered page',
    baseline: 1,
    run: (ds) => ds.getRepository(User).find({ where: { type: 'Partner' }, take: 5 }),
  },
  {
    name: 'users of a population',
    minimum: (d) => pages(d.populationUsers),
    depth: (d) => pages(d.populationUsers),
    why: 'population.id filter pages (the joined population is read only through its key: not fetched)',
    baseline: U + 1,
    run: (ds, i) => ds.getRepository(User).find({ where: { population: { id: i.populationId } } }),
  },
  {
    name: 'one user with groups and population',
    minimum: 3,
    depth: 3,
    why: 'user, its memberships with their groups embedded (expand=group), its population (TypeORM sends 2 statements; the first needs only the user)',
    baseline: 1 + 1 + 1 + 1,
    run: (ds, i) => ds.getRepository(User).findOne({ where: { id: i.userId }, relations: { groups: true, population: true } }),
  },
  {
    name: 'group Help Desk with its users',
    minimum: (d) => 1 + pages(d.helpDeskMembers),
    depth: (d) => 1 + pages(d.helpDeskMembers),
    why: 'group by name, members by memberOfGroups filter pages',
    baseline: 1 + U + USERS,
    run: (ds) => ds.getRepository(Group).find({ where: { name: 'Help Desk' }, relations: { users: true } }),
  },
  {
    name: 'members of one group (QB join)',
    minimum: (d) => pages(d.groupMembers),
    depth: (d) => pages(d.groupMembers),
    why: 'members filter pages (the group is read only through its id)',
    baseline: 1 + USERS + U,
    run: (ds, i) =>
      ds.getRepository(User).createQueryBuilder('u').innerJoin('u.groups', 'g').where('g.id = :g', { g: i.groupId }).getMany(),
  },
  {
    name: 'users per type (GROUP BY)',
    minimum: U,
    depth: U,
    why: 'every user is needed',
    baseline: U,
    run: (ds) =>
      ds.getRepository(User).createQueryBuilder('u').select('u.type', 'type').addSelect('COUNT(*)', 'n').groupBy('u.type').getRawMany(),
  },
  {
    name: 'contractors ordered by username, page 2',
    minimum: (d) => pages(d.contractors),
    depth: (d) => pages(d.contractors),
    why: 'all contractors, ordered locally',
    baseline: U,
    run: (ds) => ds.getRepository(User).find({ where: { type: 'Contractor' }, order: { username: 'ASC' }, skip: 20, take: 20 }),
  },
  {
    name: 'groups of a population',
    minimum: 1,
    depth: 1,
    why: 'population.id filter (the population is read only through its key)',
    baseline: 1,
    run: (ds, i) => ds.getRepository(Group).find({ where: { population: { id: i.populationId } } }),
  },
  {
    name: 'findBy username In (500)',
    minimum: 7,
    depth: 1,
    why: 'or-of-eq filter in 7 parts that fit the 4 KB URL budget, sent together',
    baseline: U,
    run: (ds, i) => ds.getRepository(User).findBy({ username: In(i.usernames500) }),
  },
  {
    name: 'findBy id In (500)',
    minimum: 8,
    depth: 1,
    why: '65 ids fit one URL: 8 parts, sent together',
    baseline: 500,
    run: (ds, i) => ds.getRepository(User).findBy({ id: In(i.ids500) }),
  },
  {
    name: 'findOne createdAt > d (local condition)',
    minimum: (d) => Math.floor(d.lateIndex / USERS_PAGE) + 1,
    depth: (d) => Math.floor(d.lateIndex / USERS_PAGE) + 1,
    why: 'full pages until the first match',
    baseline: U,
    run: (ds, i) => ds.getRepository(User).findOne({ where: { createdAt: MoreThan(i.late) } }),
  },
  {
    name: 'username LIKE "%zzz%" take 5',
    minimum: U,
    depth: U,
    why: 'co is not pushed for username: every page, each checked once',
    baseline: U,
    run: (ds) => ds.getRepository(User).find({ where: { username: Like('%zzz%') }, take: 5 }),
  },
  {
    name: 'findAndCount skip 20 take 10 with groups',
    minimum: (d) => U + 1 + d.pageGroups,
    depth: U + 3,
    why: 'ids ordered by id: every users page (PingOne has no order); the 10 users reused; all groups, then memberships per group that can hold them (their ids ANDed in: a weakly sourced shape, so its first use in a DataSource is a probe sent alone, one round trip); the count of the users read whole',
    baseline: U + 10,
    run: (ds) => ds.getRepository(User).findAndCount({ skip: 20, take: 10, relations: { groups: true } }),
  },
  {
    name: 'population by name',
    minimum: 1,
    depth: 1,
    why: 'name eq filter',
    baseline: 1,
    run: (ds) => ds.getRepository(Population).findOneBy({ name: 'Partners' }),
  },
];
