import { startDriver, type DriverHarness } from './helpers/driver-harness';
import { Group, GroupTotals, Population, User, UserGroupMembership } from '../src';

/*
 * Group nesting (group_nesting), every membership a user has (effective_group_memberships, User.effectiveGroups /
 * Group.effectiveUsers) and memberships with PingOne's type (user_group_memberships), on a directory with a nesting
 * cycle (Admins ⊂ Ops ⊂ Staff ⊂ Admins) and a dynamic group (Managers: title eq "Manager") nested in Staff.
 */
const G = (n: number) => `00000000-0000-4000-9000-00000000000${n}`;
const U = (n: number) => `00000000-0000-4000-a000-00000000000${n}`;
const [ADMINS, OPS, STAFF, MANAGERS, LONE] = [G(1), G(2), G(3), G(4), G(5)];
const seed = {
  environments: [
    {
      name: 'Nesting',
      groups: [
        { id: ADMINS, name: 'Admins' },
        { id: OPS, name: 'Ops' },
        { id: STAFF, name: 'Staff' },
        { id: MANAGERS, name: 'Managers', userFilter: 'title eq "Manager"' },
        { id: LONE, name: 'Lone' },
      ],
      users: [
        { id: U(1), username: 'ada' },
        { id: U(2), username: 'bob' },
        { id: U(3), username: 'cy', title: 'Manager' },
        { id: U(4), username: 'dee' },
      ],
      memberships: [
        { userId: U(1), groupId: ADMINS },
        { userId: U(2), groupId: OPS },
        { userId: U(2), groupId: ADMINS },
      ],
      groupNesting: [
        { groupId: ADMINS, parentGroupId: OPS },
        { groupId: OPS, parentGroupId: STAFF },
        { groupId: STAFF, parentGroupId: ADMINS },
        { groupId: MANAGERS, parentGroupId: STAFF },
      ],
    },
  ],
};

let h: DriverHarness;
beforeAll(async () => {
  h = await startDriver({ seed }, { entities: [User, Group, Population, UserGroupMembership, GroupTotals] });
});
afterAll(() => h.close());
beforeEach(() => h.reset());

const pairs = (rows: Record<string, unknown>[], a: string, b: string, c?: string) =>
  rows.map((r) => [r[a], r[b], ...(c ? [r[c]] : [])].join(' ')).sort();

test('group_nesting lists each direct nesting once: the groups, then one request per group that has nested groups', async () => {
  const rows = await h.ds.query('SELECT "childId", "parentId" FROM "group_nesting"');
  expect(pairs(rows, 'childId', 'parentId')).toEqual(
    [`${ADMINS} ${OPS}`, `${MANAGERS} ${STAFF}`, `${OPS} ${STAFF}`, `${STAFF} ${ADMINS}`].sort(),
  );
  const requests = h.requests();
  expect(requests[0]).toBe('GET /groups?limit=1000');
  // Lone and Managers have no nested groups (directMemberCounts.groups = 0): never asked
  expect(requests.slice(1).sort()).toEqual(
    [ADMINS, OPS, STAFF].map((g) => `GET /groups?limit=1000&filter=memberOfGroups[id eq "${g}" and type eq "DIRECT"]`).sort(),
  );
});

test('the groups one group is nested in: one request, whichever side the WHERE names', async () => {
  const parents = await h.ds.query('SELECT "parentId" FROM "group_nesting" WHERE "childId" = ?', [MANAGERS]);
  expect(parents).toEqual([{ parentId: STAFF }]);
  expect(h.requests()).toEqual([`GET /groups/${MANAGERS}/memberOfGroups?expand=group`]);
  h.reset();
  const children = await h.ds.query('SELECT "childId" FROM "group_nesting" WHERE "parentId" = ?', [STAFF]);
  expect(children.map((r: { childId: string }) => r.childId).sort()).toEqual([OPS, MANAGERS].sort());
  expect(h.requests()).toEqual([`GET /groups?limit=1000&filter=memberOfGroups[id eq "${STAFF}" and type eq "DIRECT"]`]);
});

test("who is effectively in a group: nested members, around the cycle, and the dynamic group's, in one request", async () => {
  const rows = await h.ds.query(
    'SELECT u."username" FROM "effective_group_memberships" m JOIN "users" u ON u."id" = m."userId" WHERE m."groupId" = ? ORDER BY u."username"',
    [ADMINS],
  );
  expect(rows.map((r: { username: string }) => r.username)).toEqual(['ada', 'bob', 'cy']);
  // the members' documents come with the member list: the users join needs no request
  expect(h.requests()).toEqual([`GET /users?limit=1000&filter=memberOfGroups[id eq "${ADMINS}"]`]);
  h.reset();
  const group = await h.ds.getRepository(Group).findOne({ where: { id: STAFF }, relations: { effectiveUsers: true, users: true } });
  expect(group!.effectiveUsers!.map((u) => u.username).sort()).toEqual(['ada', 'bob', 'cy']);
  expect(group!.users).toEqual([]);
});

test('memberships with their type: DIRECT where added, INDIRECT through nesting and dynamic groups', async () => {
  const mine = await h.ds.getRepository(UserGroupMembership).findBy({ userId: U(3) });
  expect(pairs(mine as unknown as Record<string, unknown>[], 'groupId', 'type')).toEqual(
    [`${ADMINS} INDIRECT`, `${MANAGERS} INDIRECT`, `${OPS} INDIRECT`, `${STAFF} INDIRECT`].sort(),
  );
  expect(h.requests()).toEqual([`GET /users/${U(3)}/memberOfGroups?expand=group`]);
  h.reset();
  const ops = await h.ds.query('SELECT "userId", "type" FROM "user_group_memberships" WHERE "groupId" = ?', [OPS]);
  expect(pairs(ops, 'userId', 'type')).toEqual([`${U(1)} INDIRECT`, `${U(2)} DIRECT`, `${U(3)} INDIRECT`]);
  // every member, then the direct ones
  expect(h.requests()).toEqual([
    `GET /users?limit=1000&filter=memberOfGroups[id eq "${OPS}"]`,
    `GET /users?limit=1000&filter=memberOfGroups[id eq "${OPS}" and type eq "DIRECT"]`,
  ]);
  h.reset();
  const direct = await h.ds.query(`SELECT "userId" FROM "user_group_memberships" WHERE "groupId" = ? AND "type" = 'DIRECT'`, [ADMINS]);
  expect(direct.map((r: { userId: string }) => r.userId).sort()).toEqual([U(1), U(2)]);
  expect(h.requests()).toEqual([`GET /users?limit=1000&filter=memberOfGroups[id eq "${ADMINS}" and type eq "DIRECT"]`]);
});

test('nesting is written through group_nesting (SQL and the relation), in PingOne, and undone by ROLLBACK', async () => {
  await h.ds.query('INSERT INTO "group_nesting" ("childId", "parentId") VALUES (?, ?)', [LONE, OPS]);
  expect(h.requests()).toEqual([`POST /groups/${LONE}/memberOfGroups`]);
  const env = () => h.sim.store.environment(h.sim.environmentId)!;
  expect(env().memberships.has(LONE, OPS)).toBe(true);
  await h.ds.query('DELETE FROM "group_nesting" WHERE "childId" = ? AND "parentId" = ?', [LONE, OPS]);
  expect(env().memberships.has(LONE, OPS)).toBe(false);
  await h.ds.createQueryBuilder().relation(Group, 'parentGroups').of(LONE).add(ADMINS);
  expect(env().memberships.has(LONE, ADMINS)).toBe(true);
  const lone = await h.ds.getRepository(Group).findOneOrFail({ where: { id: LONE }, relations: { parentGroups: true } });
  expect(lone.parentGroups!.map((g) => g.name)).toEqual(['Admins']);
  // save() leaves nesting alone (the relation has persistence: false)
  lone.parentGroups = [];
  await h.ds.getRepository(Group).save(lone);
  expect(env().memberships.has(LONE, ADMINS)).toBe(true);
  await expect(
    h.ds.transaction(async (m) => {
      await m.query('INSERT INTO "group_nesting" ("childId", "parentId") VALUES (?, ?)', [LONE, STAFF]);
      expect(env().memberships.has(LONE, STAFF)).toBe(true);
      throw new Error('roll it back');
    }),
  ).rejects.toThrow('roll it back');
  expect(env().memberships.has(LONE, STAFF)).toBe(false);
  await h.ds.query('DELETE FROM "group_nesting" WHERE "childId" = ? AND "parentId" = ?', [LONE, ADMINS]);
});

test('INDIRECT memberships are read-only: refused before any request, saying where they come from', async () => {
  await expect(h.ds.query('INSERT INTO "effective_group_memberships" ("userId", "groupId") VALUES (?, ?)', [U(4), ADMINS])).rejects.toThrow(
    /read-only.*group_memberships.*group_nesting.*userFilter/s,
  );
  await expect(
    h.ds.query(`INSERT INTO "user_group_memberships" ("userId", "groupId", "type") VALUES (?, ?, 'INDIRECT')`, [U(4), ADMINS]),
  ).rejects.toThrow(/only a DIRECT membership/);
  expect(h.requests()).toEqual([]);
  await expect(h.ds.query('DELETE FROM "user_group_memberships" WHERE "userId" = ?', [U(3)])).rejects.toThrow(
    /INDIRECT memberships.*nothing was sent/s,
  );
  expect(h.requests().every((r) => r.startsWith('GET'))).toBe(true);
});

test('DIRECT rows of user_group_memberships are added and removed like User.groups', async () => {
  const repo = h.ds.getRepository(UserGroupMembership);
  await repo.insert({ userId: U(4), groupId: LONE });
  const env = h.sim.store.environment(h.sim.environmentId)!;
  expect(env.memberships.has(U(4), LONE)).toBe(true);
  await repo.delete({ userId: U(4), groupId: LONE, type: 'DIRECT' });
  expect(env.memberships.has(U(4), LONE)).toBe(false);
});

test("groups' total member counts: one request per group read, by id alone when the WHERE pins it; never for other reads", async () => {
  const one = await h.ds.getRepository(GroupTotals).findOneByOrFail({ id: ADMINS });
  expect(one.totalMemberCounts?.users).toBe(3);
  expect(h.requests()).toEqual([`GET /groups/${ADMINS}?include=totalMemberCounts`]);
  h.reset();
  const all = await h.ds.getRepository(GroupTotals).find({ order: { name: 'ASC' } });
  expect(all.map((g) => [g.name, g.totalMemberCounts?.users])).toEqual([
    ['Admins', 3],
    ['Lone', 0],
    ['Managers', 1],
    ['Ops', 3],
    ['Staff', 3],
  ]);
  expect(h.requests()[0]).toBe('GET /groups?limit=1000');
  expect(h.requests().slice(1).sort()).toEqual(
    [ADMINS, OPS, STAFF, MANAGERS, LONE].map((g) => `GET /groups/${g}?include=totalMemberCounts`).sort(),
  );
  h.reset();
  await h.ds.getRepository(Group).find();
  await h.ds.query('SELECT "name" FROM "groups"');
  expect(h.requests()).toEqual(['GET /groups?limit=1000', 'GET /groups?limit=1000']);
});
