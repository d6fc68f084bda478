import { startDriver, type DriverHarness } from './helpers/driver-harness';
import {
  Application,
  AuditActivity,
  DIRECTORY_ENTITIES,
  Environment,
  Group,
  IdentityProvider,
  License,
  LinkedAccount,
  Organization,
  PasswordPolicy,
  PingOneDataSource,
  PingOneDriverError,
  PingOneMappingError,
  Population,
  User,
  UserSession,
} from '../src';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/*
 * The information schema (environments, organizations, licenses), applications with their grants and attribute
 * mappings, identity providers and linked accounts, sessions, password policies and audit activities, on the demo
 * directory: what each read costs, what PingOne is asked, what is refused before any request.
 */
let h: DriverHarness;
beforeAll(async () => {
  h = await startDriver({ seed: 'demo', users: 40 }, { entities: [User, Group, Population, ...DIRECTORY_ENTITIES] });
});
afterAll(() => h.close());
beforeEach(() => h.reset());

const env = () => h.sim.store.environment(h.sim.environmentId)!;
const table = (kind: Parameters<ReturnType<typeof env>['directory']['table']>[0]) =>
  [...env().directory.table(kind).values()].map((r) => r.data);
const driverError = (error: unknown) => (error as { driverError?: unknown }).driverError ?? error;
const posted = () =>
  h.sim.requests
    .api()
    .filter((r) => r.method === 'POST')
    .map((r) => (r.body as { filter?: string }).filter);

test('environments, organizations and licenses: the information schema, with the documented environment filters', async () => {
  const envs = await h.ds.getRepository(Environment).find();
  expect(envs.map((e) => e.id)).toEqual([h.sim.environmentId]);
  expect(envs[0]).toMatchObject({ name: 'Demo', status: 'ACTIVE', licenseId: expect.any(String) });
  expect(h.requests()).toEqual(['GET /v1/environments?limit=1000']);
  h.reset();
  await h.ds.query('SELECT "name" FROM "environments" WHERE "status" = ? AND "name" LIKE ?', ['ACTIVE', 'De%']);
  // `and` only (no `or` of case variants): the LIKE stays local, status is pushed
  expect(h.requests()).toEqual(['GET /v1/environments?limit=1000&filter=status eq "ACTIVE"']);
  h.reset();
  const org = await h.ds.getRepository(Organization).findOneOrFail({ where: {} });
  const licenses = await h.ds.getRepository(License).find({ where: { organizationId: org.id } });
  expect(licenses).toEqual([expect.objectContaining({ status: 'ACTIVE', organizationId: org.id })]);
  // findOne: one organization is enough (limit=1, PingOne's page of exactly the rows wanted)
  expect(h.requests()).toEqual(['GET /v1/organizations?limit=1', `GET /v1/organizations/${org.id}/licenses`]);
  await expect(
    h.ds.query('SELECT * FROM "licenses"').catch((e: unknown) => {
      throw driverError(e);
    }),
  ).rejects.toMatchObject({ code: 'KEY_REQUIRED' });
});

test('applications of every protocol in one table, with who may use them; grants and mappings per application', async () => {
  const apps = await h.ds.getRepository(Application).find({ order: { name: 'ASC' } });
  expect(apps.map((a) => [a.name, a.protocol, a.type])).toEqual(
    table('applications')
      .map((a) => [a.name, a.protocol, a.type])
      .sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
  );
  expect(h.requests()).toEqual(['GET /applications']);
  h.reset();
  const portal = apps.find((a) => a.name === 'Employee Portal')!;
  const mappings = await h.ds.query(
    'SELECT m."name", m."value" FROM "application_attribute_mappings" m WHERE m."applicationId" = ? ORDER BY m."name"',
    [portal.id],
  );
  expect(mappings.map((m: { name: string }) => m.name)).toEqual(['email', 'given_name']);
  expect(h.requests()).toEqual([`GET /applications/${portal.id}/attributes`]);
  h.reset();
  const grants = await h.ds.query(
    'SELECT a."name", g."resourceId" FROM "applications" a JOIN "application_grants" g ON g."applicationId" = a."id" ORDER BY a."name"',
  );
  expect(grants.map((g: { name: string }) => g.name)).toEqual(['Employee Portal', 'Provisioning Worker']);
  expect(h.requests()).toHaveLength(1 + apps.length);
});

test('a client secret is never a column: an entity mapping one is refused at initialize()', async () => {
  @Entity('applications')
  class LeakyApp {
    @PrimaryColumn({ type: 'varchar' }) id!: string;
    @Column({ type: 'varchar', nullable: true }) clientSecret?: string | null;
  }
  const ds = new PingOneDataSource({
    entities: [LeakyApp],
    lazyConnect: true,
    pingone: { environmentId: h.sim.environmentId, apiUrl: h.sim.apiUrl, authUrl: h.sim.authUrl, clientId: 'x', clientSecret: 'y' },
  });
  const error = await ds.initialize().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(PingOneMappingError);
  expect((error as Error).message).toMatch(/LeakyApp\.clientSecret maps to 'clientSecret', a secret: secrets are never columns/);
});

test("identity providers, each user's linked accounts and identity provider", async () => {
  const idps = await h.ds.getRepository(IdentityProvider).find();
  expect(idps.map((i) => i.type).sort()).toEqual(['GOOGLE', 'SAML']);
  const linked = table('linkedAccounts')[0];
  const userId = String((linked.user as { id: string }).id);
  h.reset();
  const accounts = await h.ds.getRepository(LinkedAccount).find({ where: { userId }, relations: { identityProvider: true } });
  expect(accounts.map((a) => a.identityProvider?.name)).toEqual([
    idps.find((i) => i.id === (linked.identityProvider as { id: string }).id)!.name,
  ]);
  expect(h.requests()[0]).toBe(`GET /users/${userId}/linkedAccounts`);
  const user = await h.ds.getRepository(User).findOneByOrFail({ id: userId });
  expect(user.identityProviderId ?? null).toBeNull(); // PingOne itself manages the demo users
});

test('whose sessions are open now: per user, joined from a bounded user set; revoke is a DELETE', async () => {
  const session = table('sessions')[0];
  const userId = String((session.user as { id: string }).id);
  const mine = await h.ds.getRepository(UserSession).find({ where: { userId }, order: { activeAt: 'DESC' } });
  expect(mine.length).toBe(table('sessions').filter((s) => (s.user as { id: string }).id === userId).length);
  expect(h.requests()).toEqual([`GET /users/${userId}/sessions`]);
  h.reset();
  const username = String(env().users.get(userId)!.data.username);
  const open = await h.ds.query(
    'SELECT u."username", s."browser" FROM "users" u JOIN "user_sessions" s ON s."userId" = u."id" WHERE u."username" = ?',
    [username],
  );
  expect(open).toHaveLength(mine.length);
  expect(h.requests()).toEqual([`GET /users?limit=1000&filter=username eq "${username}"`, `GET /users/${userId}/sessions`]);
  h.reset();
  const revoked = mine[0].id;
  await h.ds.getRepository(UserSession).delete({ userId, id: revoked });
  expect(h.requests()).toEqual([`DELETE /users/${userId}/sessions/${revoked}`]);
  expect(table('sessions').map((s) => s.id)).not.toContain(revoked);
  h.reset();
  // remove() reads the row first (TypeORM's load of what it removes), then the DELETE
  await h.ds.getRepository(UserSession).remove(mine[1] ?? mine[0]);
  const refused = driverError(await h.ds.query('SELECT COUNT(*) FROM "user_sessions"').catch((e: unknown) => e)) as PingOneDriverError;
  expect(refused.code).toBe('KEY_REQUIRED');
});

test('password policies, and the populations that reference them', async () => {
  const rows = await h.ds.query(
    'SELECT p."name", pp."name" AS "policy", pp."minLength" FROM "populations" p JOIN "password_policies" pp ON pp."id" = p."passwordPolicyId" ORDER BY p."name"',
  );
  expect(rows).toEqual([
    { name: 'Default', policy: 'Standard', minLength: 8 },
    { name: 'Employees', policy: 'Standard', minLength: 8 },
  ]);
  // the populations first, then the one policy they name, by id
  expect(h.requests()).toEqual(['GET /populations?limit=1000', 'GET /passwordPolicies/d1000005-0000-4000-8000-000000000001']);
  const policies = await h.ds.getRepository(PasswordPolicy).find();
  expect(policies.find((p) => p.isDefault)?.name).toBe('Standard');
});

test('what changed yesterday: the range and one documented eq pushed in a POST body, the rest checked locally', async () => {
  const day = 86_400_000;
  const from = new Date(Date.now() - 2 * day);
  const to = new Date(Date.now() - day);
  const rows = await h.ds
    .getRepository(AuditActivity)
    .createQueryBuilder('a')
    .where('a.recordedAt >= :from AND a.recordedAt < :to', { from, to })
    .andWhere('a.actionType = :type AND a.resourceType = :rt', { type: 'USER.UPDATED', rt: 'USER' })
    .getMany();
  const expected = table('activities').filter(
    (a) =>
      String(a.recordedAt) >= from.toISOString() &&
      String(a.recordedAt) < to.toISOString() &&
      (a.action as { type: string }).type === 'USER.UPDATED',
  );
  expect(rows.map((r) => r.id).sort()).toEqual(expected.map((a) => String(a.id)).sort());
  expect(h.requests()).toEqual(['POST /activities']);
  // no personal data in URLs: the filter went in the body; one of the documented eq filters (PingOne takes one)
  expect(h.sim.requests.api()[0].query).toEqual({});
  expect(posted()[0]).toBe(
    `recordedat ge "${from.toISOString()}" and recordedat le "${new Date(to.getTime()).toISOString()}" and action.type eq "USER.UPDATED"`,
  );
});

test('audit activities without a range: the 14 days PingOne keeps', async () => {
  const count = await h.ds.getRepository(AuditActivity).count({ where: { actionType: 'USER.CREATED' } });
  const since = new Date(Date.now() - 14 * 86_400_000 - 60_000).toISOString();
  expect(count).toBe(
    table('activities').filter((a) => String(a.recordedAt) >= since && (a.action as { type: string }).type === 'USER.CREATED').length,
  );
  expect(posted()[0]).toMatch(/^action\.type eq "USER\.CREATED" and recordedat ge "[^"]+" and recordedat le "[^"]+"$/);
});
