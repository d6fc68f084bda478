import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startDriver, type DriverHarness } from './helpers/driver-harness';
import { DIRECTORY_ENTITIES, Group, Population, User } from '../src';
import { adminRoles, applicationsAndAccess, changedYesterday, effectiveMembers, openSessions } from './fixtures/admin-questions';

/*
 * docs/admin-questions.md, run: its SQL statements and its TypeORM functions (this folder's fixtures/admin-questions.ts,
 * which the page shows verbatim) against the demo directory, each answer checked against the simulator's data.
 */
const page = readFileSync(resolve(__dirname, '../../../docs/admin-questions.md'), 'utf8');
const statements = [...page.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1].trim());
const fixture = readFileSync(resolve(__dirname, 'fixtures/admin-questions.ts'), 'utf8');

let h: DriverHarness;
beforeAll(async () => {
  h = await startDriver({ seed: 'demo', users: 60 }, { entities: [User, Group, Population, ...DIRECTORY_ENTITIES] });
});
afterAll(() => h.close());
beforeEach(() => h.reset());

const env = () => h.sim.store.environment(h.sim.environmentId)!;
const users = () => [...env().users.values()].map((r) => r.data);
const groupNamed = (name: string) => [...env().groups.values()].map((r) => r.data).find((g) => g.name === name)!;
const assignments = (type: string) =>
  [...env().directory.table('roleAssignments').values()].map((r) => r.data).filter((a) => (a._subject as { type: string }).type === type);
const roleName = (id: unknown) =>
  String(
    ([...h.sim.store.platform.roles.values()].find((r) => r.data.id === id) ??
      [...env().directory.table('customRoles').values()].find((r) => r.data.id === id))!.data.name,
  );
const effectiveOf = (groupId: string) =>
  users().filter((u) =>
    env()
      .memberships.groupsOf(String(u.id))
      .some((m) => m.id === groupId),
  );

test('the page shows the TypeORM functions the test runs, and seven statements', () => {
  for (const fn of fixture.split(/\n(?=\/\*\* \d\.)/).slice(1)) expect(page).toContain(fn.trim());
  expect(statements).toHaveLength(7);
});

test('1. who is effectively in this group: one request, nested members included', async () => {
  const admins = String(groupNamed('Administrators').id);
  const expected = effectiveOf(admins)
    .map((u) => String(u.username))
    .sort();
  expect(expected.length).toBeGreaterThan(0);
  const rows = await h.ds.query(statements[0], [admins]);
  expect(rows.map((r: { username: string }) => r.username)).toEqual(expected);
  expect(h.requests()).toEqual([`GET /users?limit=1000&filter=memberOfGroups[id eq "${admins}"]`]);
  expect(await effectiveMembers(h.ds, admins)).toEqual(expected);
});

test('2. who holds which admin role where: per user, and through groups', async () => {
  const employees = users().filter((u) => u.type === 'Employee');
  const expected = assignments('users')
    .filter((a) => employees.some((u) => u.id === (a._subject as { id: string }).id))
    .map(
      (a) =>
        `${String(employees.find((u) => u.id === (a._subject as { id: string }).id)!.username)} ${roleName((a.role as { id: string }).id)}`,
    )
    .sort();
  const rows = await h.ds.query(statements[1], ['Employee']);
  expect(rows.map((r: { username: string; role: string }) => `${r.username} ${r.role}`).sort()).toEqual(expected);
  expect(h.requests().filter((r) => r.endsWith('/roleAssignments'))).toHaveLength(employees.length);
  h.reset();
  const viaGroups = assignments('groups')
    .flatMap((a) =>
      effectiveOf(String((a._subject as { id: string }).id)).map((u) => `${String(u.username)} ${roleName((a.role as { id: string }).id)}`),
    )
    .sort();
  const groupRows = await h.ds.query(statements[2]);
  expect(groupRows.map((r: { username: string; role: string }) => `${r.username} ${r.role}`).sort()).toEqual(viaGroups);
  h.reset();
  const holders = [...new Set(assignments('users').map((a) => String((a._subject as { id: string }).id)))];
  const answer = await adminRoles(h.ds, holders);
  const own = assignments('users').map(
    (a) =>
      `${String(env().users.get(String((a._subject as { id: string }).id))!.data.username)} ${roleName((a.role as { id: string }).id)}`,
  );
  const inherited = assignments('groups').flatMap((a) =>
    effectiveOf(String((a._subject as { id: string }).id))
      .filter((u) => holders.includes(String(u.id)))
      .map((u) => `${String(u.username)} ${roleName((a.role as { id: string }).id)}`),
  );
  expect(answer.map((a) => `${a.user} ${a.role}`).sort()).toEqual([...own, ...inherited].sort());
});

test('3. which applications exist and who may use them', async () => {
  const rows = await h.ds.query(statements[3]);
  const apps = [...env().directory.table('applications').values()].map((r) => r.data);
  const groupsOf = (a: Record<string, unknown>) =>
    ((a.accessControl as { group?: { groups?: { id: string }[] } } | undefined)?.group?.groups ?? []).map((g) =>
      String(env().groups.get(g.id)!.data.name),
    );
  expect(rows.map((r: { name: string; group: string }) => `${r.name} ${r.group}`).sort()).toEqual(
    apps.flatMap((a) => groupsOf(a).map((g) => `${String(a.name)} ${g}`)).sort(),
  );
  expect(h.requests().sort()).toEqual(['GET /applications', 'GET /groups?limit=1000']);
  const open = await h.ds.query(statements[4]);
  expect(open.map((r: { name: string }) => r.name)).toEqual(
    apps
      .filter((a) => groupsOf(a).length === 0)
      .map((a) => String(a.name))
      .sort(),
  );
  const answer = await applicationsAndAccess(h.ds);
  expect(answer.find((a) => a.name === 'Payroll')).toEqual({ name: 'Payroll', protocol: 'SAML', groups: ['Finance'] });
  expect(answer.map((a) => a.protocol).sort()).toEqual(apps.map((a) => String(a.protocol)).sort());
});

test("4. whose sessions are open now, among a group's members", async () => {
  const staff = String(groupNamed('All Staff').id);
  const members = users().filter((u) => env().memberships.directGroups(String(u.id)).includes(staff));
  const sessions = [...env().directory.table('sessions').values()]
    .map((r) => r.data)
    .filter((s) => members.some((u) => u.id === (s.user as { id: string }).id));
  expect(sessions.length).toBeGreaterThan(0);
  const rows = await h.ds.query(statements[5], [staff]);
  expect(rows).toHaveLength(sessions.length);
  const requests = h.requests();
  expect(requests.filter((r) => r.endsWith('/sessions'))).toHaveLength(members.length);
  expect(requests.filter((r) => !r.endsWith('/sessions'))).toEqual([
    `GET /users?limit=1000&filter=memberOfGroups[id eq "${staff}" and type eq "DIRECT"]`,
  ]);
  const answer = await openSessions(h.ds, staff);
  expect(answer).toHaveLength(sessions.length);
});

test('5. what changed yesterday: one POST, the range pushed', async () => {
  const now = new Date();
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const yesterday = new Date(today.getTime() - 86_400_000);
  const expected = [...env().directory.table('activities').values()]
    .map((r) => r.data)
    .filter((a) => String(a.recordedAt) >= yesterday.toISOString() && String(a.recordedAt) < today.toISOString())
    .map((a) => String(a.id))
    .sort();
  expect(expected.length).toBeGreaterThan(0);
  const sqlite = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');
  const rows = await h.ds.query(statements[6], [sqlite(yesterday), sqlite(today)]);
  expect(rows.map((r: { id: string }) => r.id).sort()).toEqual(expected);
  expect(h.requests()).toEqual(['POST /activities']);
  h.reset();
  const answer = await changedYesterday(h.ds, now);
  expect(answer.map((a) => a.id).sort()).toEqual(expected);
  expect(h.requests()).toEqual(['POST /activities']);
});
