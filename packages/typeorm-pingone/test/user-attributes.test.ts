import 'reflect-metadata';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, QueryFailedError, UpdateDateColumn } from 'typeorm';
import { startDriver, type DriverHarness } from './helpers/driver-harness';
import { ATTRIBUTE_CATALOG, Group, PingOneAttribute, PingOneDriverError, Population, User } from '../src';

/*
 * Attributes PingOne changes through their own endpoints, or computes itself: routed to the request that changes
 * them, or refused before any request; the affected count is what PingOne did. A password is write-only.
 */

/** A user entity as NestJS boilerplates write them: a password column, the lock state, the dates. */
@Entity('users')
class Account {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'varchar' }) username!: string;
  @Column({ type: 'varchar', nullable: true }) email?: string | null;
  @Column({ type: 'varchar', nullable: true }) password?: string | null;
  @Column({ type: 'boolean', nullable: true }) mfaEnabled?: boolean | null;
  @PingOneAttribute('account.status') @Column({ type: 'varchar', nullable: true }) lockStatus?: string | null;
  @PingOneAttribute('account.unlockAt') @Column({ type: 'datetime', nullable: true }) unlockAt?: Date | null;
  @PingOneAttribute('account.lockedAt') @Column({ type: 'datetime', nullable: true }) lockedAt?: Date | null;
  @CreateDateColumn() createdAt!: Date;
  @UpdateDateColumn() updatedAt!: Date;
}

let h: DriverHarness;
beforeEach(async () => {
  h = await startDriver({ seed: 'demo', users: 5 }, { entities: [User, Group, Population, Account] });
});
afterEach(() => h.close());

const env = () => h.sim.store.environment(h.sim.environmentId)!;
const stored = (id: string) => env().users.get(id)!.data as Record<string, any>;
const anyUserId = () => String([...env().users.values()][0].data.id);
const apiRequests = () =>
  h.sim.requests
    .api()
    .filter((r) => r.method !== 'GET')
    .map((r) => `${r.method} ${r.path.replace(/^.*\/environments\/[^/]+/, '')} ${r.headers['content-type'] ?? ''}`.trim());
const driverError = (error: unknown): PingOneDriverError => {
  expect(error).toBeInstanceOf(QueryFailedError);
  return (error as QueryFailedError).driverError as PingOneDriverError;
};

test('the catalog: what PingOne computes is read-only; mfaEnabled and account.status are written at their endpoints', () => {
  for (const computed of [
    'lifecycle.status',
    'account.lockedAt',
    'account.secondsUntilUnlock',
    'account.canAuthenticate',
    'emailVerified',
    'verifyStatus',
    'createdAt',
    'updatedAt',
  ]) {
    expect([computed, ATTRIBUTE_CATALOG.users[computed]?.readOnly]).toEqual([computed, true]);
  }
  for (const routed of ['mfaEnabled', 'account.status', 'account.unlockAt', 'enabled', 'population.id'])
    expect(ATTRIBUTE_CATALOG.users[routed]?.readOnly).toBe(false);
  expect(ATTRIBUTE_CATALOG.users.password).toMatchObject({ readOnly: false, writeOnly: true });
});

test('UPDATE mfaEnabled = true: PUT /users/{id}/mfaEnabled, not the PATCH PingOne ignores; 1 row, and it changed', async () => {
  const id = anyUserId();
  h.reset();
  const result = await h.ds.getRepository(User).update(id, { mfaEnabled: true });
  expect(result.affected).toBe(1);
  expect(apiRequests()).toEqual([`PUT /users/${id}/mfaEnabled application/json`]);
  expect(stored(id).mfaEnabled).toBe(true);
});

test('account.status LOCKED / OK: the account.lock / account.unlock POSTs with their content types; the count is what PingOne did', async () => {
  const id = anyUserId();
  const repo = h.ds.getRepository(Account);
  h.reset();
  // PingOne locks only until a future unlockAt ("If unlockAt is not set … the user account is not locked"): 0 rows.
  expect((await repo.update(id, { lockStatus: 'LOCKED' })).affected).toBe(0);
  expect(stored(id).account.status).toBe('OK');
  const until = new Date(Date.now() + 3_600_000);
  expect((await repo.update(id, { lockStatus: 'LOCKED', unlockAt: until })).affected).toBe(1);
  expect(stored(id).account).toMatchObject({ status: 'LOCKED', unlockAt: until.toISOString() });
  const locked = await repo.findOneByOrFail({ id });
  expect(locked.lockedAt).toBeInstanceOf(Date);
  expect((await repo.update(id, { lockStatus: 'OK' })).affected).toBe(1);
  expect(stored(id).account.status).toBe('OK');
  expect(apiRequests()).toEqual([
    `POST /users/${id} application/vnd.pingidentity.account.lock+json`,
    `POST /users/${id} application/vnd.pingidentity.account.lock+json`,
    `POST /users/${id} application/vnd.pingidentity.account.unlock+json`,
  ]);
});

test("values PingOne can't set, and computed attributes, are refused before any request", async () => {
  const id = anyUserId();
  h.reset();
  const cases: [Promise<unknown>, RegExp][] = [
    [
      h.ds.getRepository(Account).update(id, { lockStatus: 'DISABLED' }),
      /account\.status can be set to 'LOCKED' .* or 'OK' .*, not "DISABLED"; nothing was sent/,
    ],
    [
      h.ds.getRepository(Account).update(id, { unlockAt: new Date() }),
      /account\.unlockAt is sent with a lock: set account\.status to 'LOCKED'/,
    ],
    [
      h.ds.query('UPDATE "users" SET "lifecycleStatus" = ? WHERE "id" = ?', ['VERIFICATION_REQUIRED', id]),
      /users\.lifecycle\.status is read-only in PingOne/,
    ],
    [
      h.ds.query('UPDATE "users" SET "accountCanauthenticate" = ? WHERE "id" = ?', [0, id]),
      /users\.account\.canAuthenticate is read-only in PingOne/,
    ],
    [
      h.ds.query('UPDATE "users" SET "lockedAt" = ? WHERE "id" = ?', ['2030-01-01 00:00:00.000', id]),
      /users\.account\.lockedAt is read-only in PingOne/,
    ],
  ];
  for (const [work, message] of cases) expect(driverError(await work.catch((e: unknown) => e)).message).toMatch(message);
  // Through repositories TypeORM never sends them (the driver marks them not updatable, so a re-save of a loaded
  // entity doesn't trip over what PingOne changed since): an update of only those has no values.
  await expect(h.ds.getRepository(User).update(id, { lifecycle: { status: 'VERIFICATION_REQUIRED' } })).rejects.toThrow(
    /update values are not defined/,
  );
  expect(h.sim.requests.api()).toEqual([]);
});

test('a create with mfaEnabled puts it in the POST (PingOne takes it there); with a lock, the lock follows', async () => {
  h.reset();
  const until = new Date(Date.now() + 600_000);
  const saved = await h.ds
    .getRepository(Account)
    .save({ username: 'born.locked', email: 'b@example.com', mfaEnabled: true, lockStatus: 'LOCKED', unlockAt: until });
  expect(stored(saved.id)).toMatchObject({ mfaEnabled: true, account: { status: 'LOCKED' } });
  expect(apiRequests()).toEqual(['POST /users application/json', `POST /users/${saved.id} application/vnd.pingidentity.account.lock+json`]);
  expect(saved.lockStatus).toBe('LOCKED');
});

describe('a password column', () => {
  test('is written (the import content type on create, PUT …/password on update), reads back as NULL, and PingOne checks it', async () => {
    const repo = h.ds.getRepository(Account);
    const saved = await repo.save({ username: 'with.password', email: 'p@example.com', password: 'Sup3r!secret' });
    expect(h.sim.requests.api().find((r) => r.method === 'POST')!.headers['content-type']).toBe(
      'application/vnd.pingidentity.user.import+json',
    );
    expect((await repo.findOneByOrFail({ id: saved.id })).password).toBeNull(); // by design: PingOne never returns it
    expect(await h.ds.pingone.users.checkPassword(saved.id, 'Sup3r!secret')).toEqual({ matches: true, status: 'OK' });
    await repo.update(saved.id, { password: 'An0ther!secret' });
    expect((await h.ds.pingone.users.checkPassword(saved.id, 'Sup3r!secret')).matches).toBe(false);
    expect((await h.ds.pingone.users.checkPassword(saved.id, 'An0ther!secret')).matches).toBe(true);
  });

  test('a WHERE, ORDER BY or join on it is refused before any request, saying PingOne never returns passwords and how to check one', async () => {
    const repo = h.ds.getRepository(Account);
    h.reset();
    const attempts: Promise<unknown>[] = [
      repo.findOneBy({ password: 'x' }),
      repo.find({ order: { password: 'ASC' } }),
      repo.createQueryBuilder('a').where('a.password IS NOT NULL').getMany(),
      repo.update({ password: 'x' }, { email: 'changed@example.com' }),
      repo.find({ where: { email: 'p@example.com', password: 'x' }, take: 2, skip: 1 }),
    ];
    for (const attempt of attempts) {
      const error = driverError(await attempt.catch((e: unknown) => e));
      expect(error.message).toMatch(
        /^(WHERE|ORDER BY) on users\.password: it holds the user's password, which PingOne takes but never returns, so it reads as NULL in every row/,
      );
      expect(error.message).toContain('await dataSource.pingone.users.checkPassword(userId, password)');
    }
    expect(h.sim.requests.api()).toEqual([]);
    // selecting it is fine: NULL
    expect((await repo.find({ select: { id: true, password: true }, take: 1 }))[0].password).toBeNull();
  });
});
