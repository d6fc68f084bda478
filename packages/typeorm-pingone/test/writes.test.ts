import { QueryFailedError } from 'typeorm';
import { startDriver, type DriverHarness } from './helpers/driver-harness';
import { Group, Population, PingOneDriverError, User } from '../src';

let h: DriverHarness;
beforeEach(async () => {
  h = await startDriver({ seed: 'demo', users: 10 });
});
afterEach(() => h.close());

const env = () => h.sim.store.environment(h.sim.environmentId)!;
const users = () => h.ds.getRepository(User);
const writes = () => h.requests().filter((r) => !r.startsWith('GET'));

test('save() of a new user POSTs it; the id PingOne assigned flows back into the entity', async () => {
  const user = users().create({
    username: 'new.user',
    email: 'new.user@example.com',
    name: { given: 'New', family: 'User' },
    type: 'Contractor',
  });
  await users().save(user);
  expect(user.id).toMatch(/^[0-9a-f-]{36}$/);
  const stored = env().users.get(user.id)!.data;
  expect(stored).toMatchObject({ username: 'new.user', name: { given: 'New', family: 'User' }, type: 'Contractor', enabled: true });
  expect(writes()).toEqual(['POST /users']);
  expect((await users().findOneBy({ id: user.id }))?.name?.family).toBe('User');
});

test("save() of a new user with enabled=false and a population routes them to PingOne's own endpoints", async () => {
  const partners = await h.ds.getRepository(Population).findOneByOrFail({ name: 'Partners' });
  h.reset();
  const user = await users().save(users().create({ username: 'off', email: 'off@example.com', enabled: false, population: partners }));
  expect(env().users.get(user.id)!.data).toMatchObject({ enabled: false, population: { id: partners.id } });
  expect(writes()).toEqual(['POST /users', `PUT /users/${user.id}/enabled`]);
});

test('update of loaded users PATCHes only the changed attributes', async () => {
  const user = await users().findOneByOrFail({ type: 'Employee' });
  h.reset();
  user.title = 'Principal';
  user.name!.given = 'Renamed';
  await users().save(user);
  expect(writes()).toEqual([`PATCH /users/${user.id}`]);
  const patch = h.sim.requests.api().find((r) => r.method === 'PATCH')!;
  expect(patch.body).toEqual({ title: 'Principal', name: { given: 'Renamed' } });
  expect(env().users.get(user.id)!.data).toMatchObject({ title: 'Principal', name: { given: 'Renamed', family: expect.any(String) } });
});

test('repository.update with a WHERE finds the rows through the planner and returns the affected count', async () => {
  const partners = [...env().users.values()].filter((r) => r.data.type === 'Partner').length;
  const result = await users().update({ type: 'Partner' }, { title: 'Partner Manager' });
  expect(result.affected).toBe(partners);
  expect(h.requests().filter((r) => r.startsWith('PATCH'))).toHaveLength(partners);
  expect([...env().users.values()].filter((r) => r.data.title === 'Partner Manager')).toHaveLength(partners);
});

test('groups are replaced with PUT keeping every attribute the statement did not touch', async () => {
  const group = await h.ds.getRepository(Group).findOneByOrFail({ name: 'Finance' });
  h.reset();
  group.description = 'Money';
  await h.ds.getRepository(Group).save(group);
  expect(writes()).toEqual([`PUT /groups/${group.id}`]);
  expect(env().groups.get(group.id)!.data).toMatchObject({
    name: 'Finance',
    description: 'Money',
    customData: { demo: true, rank: 5 },
    population: { id: expect.any(String) },
  });
});

test("changing a group's population is refused before any request", async () => {
  const group = await h.ds.getRepository(Group).findOneOrFail({ where: { name: 'Finance' }, relations: { population: true } });
  const other = await h.ds.getRepository(Population).findOneByOrFail({ name: 'Partners' });
  h.reset();
  group.population = other;
  const error = await h.ds
    .getRepository(Group)
    .save(group)
    .catch((e: unknown) => e);
  expect(((error as QueryFailedError).driverError as PingOneDriverError).code).toBe('READ_ONLY_ATTRIBUTE');
  expect(writes()).toEqual([]);
});

test('writing a read-only attribute is an error before any request', async () => {
  const error = await h.ds
    .getRepository(Population)
    .insert({ name: 'X', userCount: 5 })
    .catch((e: unknown) => e);
  expect(((error as QueryFailedError).driverError as PingOneDriverError).message).toMatch(/populations\.userCount is read-only/);
  expect(writes()).toEqual([]);
});

test('saving a ManyToMany relation diffs memberships: only the needed POST and DELETE', async () => {
  const user = await users().findOneOrFail({ where: { type: 'Employee' }, relations: { groups: true } });
  const all = await h.ds.getRepository(Group).find();
  const before = user.groups!.map((g) => g.id);
  const keep = before[0];
  const add = all.find((g) => !before.includes(g.id) && !g.population)!;
  h.reset();
  user.groups = [...user.groups!.filter((g) => g.id === keep), add];
  await users().save(user);
  const removed = before.filter((id) => id !== keep);
  expect(writes().sort()).toEqual(
    [`POST /users/${user.id}/memberOfGroups`, ...removed.map((g) => `DELETE /users/${user.id}/memberOfGroups/${g}`)].sort(),
  );
  expect([...env().memberships.directGroups(user.id)].sort()).toEqual([keep, add.id].sort());
});

test('remove() and delete() issue DELETE; a missing id is 0 affected', async () => {
  const user = await users().findOneByOrFail({ type: 'Employee' });
  h.reset();
  await users().remove(user);
  expect(env().users.has(user.id ?? '')).toBe(false);
  expect((await users().delete('00000000-0000-4000-8000-000000000000')).affected).toBe(0);
  const group = await h.ds.getRepository(Group).save({ name: 'Temp' });
  expect((await h.ds.getRepository(Group).delete(group.id)).affected).toBe(1);
});

test('a POST whose answer is lost is reconciled by username: exactly one user exists afterwards', async () => {
  h.sim.faults.cutNext(1, { method: 'POST', path: '/users' });
  const user = await users().save(users().create({ username: 'once.only', email: 'once@example.com' }));
  expect(user.id).toMatch(/^[0-9a-f-]{36}$/);
  expect([...env().users.values()].filter((r) => r.data.username === 'once.only')).toHaveLength(1);
  expect(h.requests()).toEqual(['POST /users', 'GET /users?filter=username eq "once.only"']);
});

test('uniqueness errors surface as typed errors naming the field', async () => {
  const existing = await users().findOneByOrFail({ type: 'Employee' });
  const error = await users()
    .save(users().create({ username: existing.username.toUpperCase(), email: 'dup@example.com' }))
    .catch((e: unknown) => e);
  const cause = (error as QueryFailedError).driverError as PingOneDriverError;
  expect(cause.code).toBe('REMOTE_ERROR');
  expect(cause.message).toMatch(/username: A user with the specified username already exists/);
});

describe('passwords (write-only)', () => {
  test('a password column creates the user with the import content type, changes it with PUT /password, and never logs it', async () => {
    const { Column, Entity, PrimaryGeneratedColumn } = await import('typeorm');
    @Entity('users')
    class Account {
      @PrimaryGeneratedColumn('uuid') id!: string;
      @Column({ type: 'varchar' }) username!: string;
      @Column({ type: 'varchar' }) email!: string;
      @Column({ type: 'varchar', nullable: true }) password?: string | null;
    }
    const lines: string[] = [];
    const logger = {
      logQuery: (q: string, p?: unknown[]) => {
        lines.push(`${q} ${JSON.stringify(p)}`);
      },
      logQueryError: (e: unknown, q: string, p?: unknown[]) => {
        lines.push(`${String(e)} ${q} ${JSON.stringify(p)}`);
      },
      logQuerySlow: () => undefined,
      logSchemaBuild: () => undefined,
      logMigration: () => undefined,
      log: (_l: string, m: unknown) => {
        lines.push(String(m));
      },
    };
    const other = await startDriver({ seed: 'demo', users: 3 }, { entities: [Account], logger, logging: true });
    try {
      const repo = other.ds.getRepository(Account);
      const saved = await repo.save(repo.create({ username: 'pw.user', email: 'pw@example.com', password: 'S3cret-Pass!1' }));
      const store = other.sim.store.environment(other.sim.environmentId)!;
      expect(store.passwords.get(saved.id)).toEqual({ value: 'S3cret-Pass!1', forceChange: false });
      expect(other.sim.requests.api().find((r) => r.method === 'POST')!.headers['content-type']).toBe(
        'application/vnd.pingidentity.user.import+json',
      );
      saved.password = 'N3w-Secret!2';
      await repo.save(saved);
      expect(store.passwords.get(saved.id)!.value).toBe('N3w-Secret!2');
      expect((await repo.findOneByOrFail({ id: saved.id })).password).toBeNull(); // PingOne never returns it
      const logged = lines.join('\n');
      expect(logged).toMatch(/INSERT INTO "users"/);
      expect(logged).not.toContain('S3cret-Pass!1');
      expect(logged).not.toContain('N3w-Secret!2');
    } finally {
      await other.close();
    }
  });
});

test('writes under 429 and 5xx end with exactly one resource each', async () => {
  h.sim.faults.failNext(2, { status: 429, method: 'POST', path: '/groups', retryAfterSeconds: 0 });
  await h.ds.getRepository(Group).save({ name: 'Rate limited' });
  expect([...env().groups.values()].filter((g) => g.data.name === 'Rate limited')).toHaveLength(1);
  h.sim.faults.failNext(1, { status: 503, method: 'POST', path: '/groups' });
  const error = await h.ds
    .getRepository(Group)
    .save({ name: 'Unavailable' })
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(QueryFailedError); // not retried blindly: PingOne may have applied it
  expect([...env().groups.values()].filter((g) => g.data.name === 'Unavailable')).toHaveLength(0);
  const group = await h.ds.getRepository(Group).findOneByOrFail({ name: 'Finance' });
  h.sim.faults.failNext(2, { status: 503, method: 'PUT' });
  group.description = 'after 503s';
  await h.ds.getRepository(Group).save(group); // PUT is idempotent: retried
  expect(env().groups.get(group.id)!.data.description).toBe('after 503s');
});

describe('a save in 3 requests', () => {
  test("load a user, change a column, save(): the load, save()'s own load, the PATCH; inside save()'s transaction too", async () => {
    const id = String([...env().users.values()][0].data.id);
    h.reset();
    const user = await users().findOneByOrFail({ id });
    user.title = 'Three requests';
    await users().save(user);
    expect(h.requests()).toEqual([`GET /users/${id}`, `GET /users/${id}`, `PATCH /users/${id}`]);
    expect(env().users.get(id)!.data.title).toBe('Three requests');
  });

  test('with @CreateDateColumn / @UpdateDateColumn: still 3, the dates come from the PATCH answer', async () => {
    const { Member, Team } = await import('./fixtures/ported-entities.js');
    await h.close();
    h = await startDriver(
      { seed: { environments: [{ customAttributes: ['costCenter', { name: 'locales', multiValued: true }] }] } },
      { entities: [Member, Team] },
    );
    const created = await h.ds.getRepository(Member).save({ login: 'dated', email: 'd@example.com' });
    h.reset();
    const member = await h.ds.getRepository(Member).findOneByOrFail({ id: created.id });
    member.title = 'Dated';
    await h.ds.getRepository(Member).save(member);
    expect(h.requests()).toEqual([`GET /users/${created.id}`, `GET /users/${created.id}`, `PATCH /users/${created.id}`]);
    const patchAnswer = env().users.get(created.id)!.data;
    expect(member.modifiedAt.toISOString()).toBe(patchAnswer.updatedAt);
    expect(member.createdAt.toISOString()).toBe(patchAnswer.createdAt);
  });

  test('an UPDATE by id of a missing user: the PATCH answers 404, 0 rows, no read before it', async () => {
    h.reset();
    const result = await users().update('00000000-0000-4000-8000-000000000000', { title: 'nobody' });
    expect(result.affected).toBe(0);
    expect(h.requests()).toEqual(['PATCH /users/00000000-0000-4000-8000-000000000000']);
  });
});
