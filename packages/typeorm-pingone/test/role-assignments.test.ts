import { startDriver, type DriverHarness } from './helpers/driver-harness';
import { DIRECTORY_ENTITIES, Group, Population, Role, User, UserRoleAssignment, PingOneDriverError } from '../src';

/*
 * Roles (PingOne's built-in ones and the environment's custom ones) and role assignments of users, groups and
 * applications: read per parent (a statement names them or joins them), created and deleted, on the demo directory.
 */
let h: DriverHarness;
beforeAll(async () => {
  h = await startDriver({ seed: 'demo', users: 40 }, { entities: [User, Group, Population, ...DIRECTORY_ENTITIES] });
});
afterAll(() => h.close());
beforeEach(() => h.reset());

const env = () => h.sim.store.environment(h.sim.environmentId)!;
const assignmentsOf = (type: string, id: string) =>
  [...env().directory.table('roleAssignments').values()]
    .map((r) => r.data)
    .filter((a) => (a._subject as { type: string; id: string }).type === type && (a._subject as { id: string }).id === id);
const holder = () =>
  String(
    (
      [...env().directory.table('roleAssignments').values()].find((r) => (r.data._subject as { type: string }).type === 'users')!.data
        ._subject as { id: string }
    ).id,
  );
const driverError = (error: unknown) => (error as { driverError?: unknown }).driverError ?? error;

test("roles: the built-in ones and the custom ones, two requests whatever the environment's list holds", async () => {
  const roles = await h.ds.getRepository(Role).find({ order: { name: 'ASC' } });
  expect(roles.find((r) => r.name === 'Identity Data Admin')).toMatchObject({
    type: 'PLATFORM',
    applicableTo: ['ENVIRONMENT', 'POPULATION'],
  });
  expect(roles.filter((r) => r.type === 'CUSTOM').map((r) => r.name)).toEqual(['Audit Reader']);
  expect(new Set(roles.map((r) => r.id)).size).toBe(roles.length);
  expect(h.requests().sort()).toEqual(['GET /roles?filter=type eq "CUSTOM"', 'GET /v1/roles']);
});

test("a user's role assignments: one request; a statement without users is refused naming the key, before any request", async () => {
  const user = holder();
  const rows = await h.ds.getRepository(UserRoleAssignment).findBy({ userId: user });
  expect(rows.map((r) => r.id).sort()).toEqual(
    assignmentsOf('users', user)
      .map((a) => String(a.id))
      .sort(),
  );
  expect(rows[0]).toMatchObject({ userId: user, scopeType: expect.stringMatching(/ENVIRONMENT|POPULATION|APPLICATION/) });
  expect(h.requests()).toEqual([`GET /users/${user}/roleAssignments`]);
  h.reset();
  const refused = driverError(await h.ds.query('SELECT * FROM "user_role_assignments"').catch((e: unknown) => e)) as PingOneDriverError;
  expect(refused).toBeInstanceOf(PingOneDriverError);
  expect(refused.code).toBe('KEY_REQUIRED');
  expect(refused.message).toMatch(/only per user.*"userId".*nothing was sent/s);
  expect(h.requests()).toEqual([]);
});

test('who holds which admin role where: users bounded by the WHERE, their assignments per user, the roles once', async () => {
  const sql = `SELECT u."username", r."name" AS "role", a."scopeType", a."scopeId" FROM "users" u
    JOIN "user_role_assignments" a ON a."userId" = u."id" JOIN "roles" r ON r."id" = a."roleId" WHERE u."username" LIKE ? ORDER BY u."username", r."name"`;
  const holders = [...env().users.values()].map((r) => r.data).filter((u) => assignmentsOf('users', String(u.id)).length > 0);
  const prefix = String(holders[0].username).slice(0, 6);
  const rows = await h.ds.query(sql, [`${prefix}%`]);
  const expected = [...env().users.values()]
    .map((r) => r.data)
    .filter((u) => String(u.username).startsWith(prefix))
    .flatMap((u) => assignmentsOf('users', String(u.id)).map(() => u.username));
  expect(rows.map((r: { username: string }) => r.username).sort()).toEqual(expected.sort());
  expect(rows.every((r: { role: string }) => typeof r.role === 'string')).toBe(true);
  const requests = h.requests();
  const users = [...env().users.values()].filter((r) => String(r.data.username).startsWith(prefix)).length;
  expect(requests.filter((r) => r.startsWith('GET /users?'))).toHaveLength(1);
  expect(requests.filter((r) => r.endsWith('/roleAssignments'))).toHaveLength(users);
  expect(requests.filter((r) => r.includes('roles'))).toHaveLength(2 + 0);
  expect(requests).toHaveLength(1 + users + 2);
});

test('assign a role and take it back (repository insert and remove), and a ROLLBACK deletes what a transaction assigned', async () => {
  const user = String([...env().users.values()][9].data.id);
  const role = (await h.ds.getRepository(Role).findOneByOrFail({ name: 'Identity Data Read Only' })).id;
  h.reset();
  const repo = h.ds.getRepository(UserRoleAssignment);
  const saved = await repo.save(repo.create({ userId: user, roleId: role, scopeId: h.sim.environmentId, scopeType: 'ENVIRONMENT' }));
  expect(assignmentsOf('users', user).map((a) => a.id)).toContain(saved.id);
  expect(h.requests().filter((r) => !r.startsWith('GET'))).toEqual([`POST /users/${user}/roleAssignments`]);
  await repo.remove(saved);
  expect(assignmentsOf('users', user).map((a) => a.id)).not.toContain(saved.id);
  const duplicate = await h.ds
    .transaction(async (m) => {
      const made = await m.save(
        UserRoleAssignment,
        m.create(UserRoleAssignment, { userId: user, roleId: role, scopeId: h.sim.environmentId, scopeType: 'ENVIRONMENT' }),
      );
      expect(assignmentsOf('users', user).map((a) => a.id)).toContain(made.id);
      throw new Error('undo it');
    })
    .catch((e: unknown) => e);
  expect((duplicate as Error).message).toMatch(/undo it/);
  expect(assignmentsOf('users', user)).toEqual([]);
});

test("a role at a scope it does not apply to, and a read-only column, are refused with PingOne's or the driver's reason", async () => {
  const user = String([...env().users.values()][10].data.id);
  const role = (await h.ds.getRepository(Role).findOneByOrFail({ name: 'Application Owner' })).id;
  await expect(
    h.ds.query('INSERT INTO "user_role_assignments" ("userId", "roleId", "scopeId", "scopeType") VALUES (?, ?, ?, ?)', [
      user,
      role,
      h.sim.environmentId,
      'ENVIRONMENT',
    ]),
  ).rejects.toThrow(/can't be assigned at ENVIRONMENT/);
  await expect(
    h.ds.query('INSERT INTO "user_role_assignments" ("userId", "roleId", "scopeId", "scopeType", "readOnly") VALUES (?, ?, ?, ?, 1)', [
      user,
      role,
      h.sim.environmentId,
      'APPLICATION',
    ]),
  ).rejects.toThrow(/read-only/);
  await expect(h.ds.query('UPDATE "user_role_assignments" SET "scopeId" = ? WHERE "userId" = ?', ['x', user])).rejects.toThrow(
    /no update of user_role_assignments.*nothing was sent/,
  );
  await expect(h.ds.query('INSERT INTO "roles" ("id", "name") VALUES (?, ?)', ['x', 'y'])).rejects.toThrow(/creates none/);
});

test('group and application assignments: per group, per application', async () => {
  const helpDesk = String([...env().groups.values()].find((g) => g.data.name === 'Help Desk')!.data.id);
  const rows = await h.ds.query(
    'SELECT g."name", r."name" AS "role" FROM "groups" g JOIN "group_role_assignments" a ON a."groupId" = g."id" JOIN "roles" r ON r."id" = a."roleId" WHERE g."id" = ?',
    [helpDesk],
  );
  expect(rows).toEqual([{ name: 'Help Desk', role: 'Help Desk Admin' }]);
  h.reset();
  const worker = String([...env().directory.table('applications').values()].find((a) => a.data.type === 'WORKER')!.data.id);
  const apps = await h.ds.query('SELECT "roleId", "scopeType" FROM "application_role_assignments" WHERE "applicationId" IN (?)', [worker]);
  expect(apps).toHaveLength(1);
  expect(h.requests()).toEqual([`GET /applications/${worker}/roleAssignments`]);
});
