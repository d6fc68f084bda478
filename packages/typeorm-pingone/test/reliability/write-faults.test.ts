import { QueryFailedError } from 'typeorm';
import { PingOneOutcomeUnknownError, PingOneTimeoutError } from '@typeorm-pingone/client';
import { startDriver, type DriverHarness } from '../helpers/driver-harness';
import { Group, PingOneDataSource, type PingOneDriverError, PingOneWriteOutcomeUnknownError, Population, User } from '../../src';

/*
 * Writes under faults: an unknown outcome stays reported as unknown, a create never stays half-made silently (and
 * never fail-open), and inside a transaction the error says what the rollback did. Each case is checked against
 * the simulator's final state, not only the error.
 */
let h: DriverHarness;
const opened: PingOneDataSource[] = [];
let warnings: jest.SpyInstance;

beforeEach(() => {
  // Incomplete rollbacks and abandoned transactions are process warnings; captured here, asserted where expected.
  warnings = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
});
afterEach(async () => {
  warnings.mockRestore();
  for (const ds of opened.splice(0)) if (ds.isInitialized) await ds.destroy();
  await h?.close();
});

const users = () => [...h.sim.store.environment(h.sim.environmentId)!.users.values()].map((u) => u.data);
const named = (username: string) => users().filter((u) => u.username === username);
const driverError = (error: unknown): PingOneDriverError => {
  expect(error).toBeInstanceOf(QueryFailedError);
  return (error as QueryFailedError).driverError as PingOneDriverError;
};
const fail = (work: Promise<unknown>): Promise<unknown> =>
  work.then(
    () => {
      throw new Error('expected the write to fail');
    },
    (e: unknown) => e,
  );
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Waits (bounded) until the simulator has applied what a slow request carries. */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) await sleep(20);
  expect(condition()).toBe(true);
}

/** A second DataSource on the harness's simulator with a short timeout (150 ms) and 2 attempts per request. */
async function slowDataSource(): Promise<PingOneDataSource> {
  const ds = new PingOneDataSource({
    entities: [User, Group, Population],
    pingone: {
      environmentId: h.sim.environmentId,
      apiUrl: h.sim.apiUrl,
      authUrl: h.sim.authUrl,
      clientId: h.sim.credentials.clientId,
      clientSecret: h.sim.credentials.clientSecret,
      timeoutMs: 150,
      retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 10 },
      rateLimit: false,
    },
  });
  opened.push(ds);
  await ds.initialize();
  await ds.getRepository(User).count(); // the token is fetched before the latency starts
  h.reset();
  return ds;
}

describe('a create whose POST answer is lost and whose read-back fails', () => {
  test('save(): the error stays OUTCOME_UNKNOWN, with the original error, what was tried, and what ROLLBACK did', async () => {
    h = await startDriver({ seed: 'demo', users: 5 });
    const ds = await slowDataSource();
    h.sim.faults.setLatency(300);
    const error = driverError(await fail(ds.getRepository(User).save({ username: 'slow.user', email: 'slow@example.com' })));
    h.sim.faults.setLatency(0);

    expect(error).toBeInstanceOf(PingOneWriteOutcomeUnknownError);
    expect(error.code).toBe('OUTCOME_UNKNOWN');
    expect(error.cause).toBeInstanceOf(PingOneOutcomeUnknownError);
    const { reconciliation } = error as PingOneWriteOutcomeUnknownError;
    expect(reconciliation.tried).toBe('GET /users?filter=username eq "slow.user"');
    expect(reconciliation.error).toBeInstanceOf(PingOneTimeoutError);
    expect(error.message).toMatch(
      /^INSERT into users: the outcome is unknown: POST \/users for username "slow\.user" was sent but its answer was lost \(PingOne POST .* was sent but its answer was lost/,
    );
    expect(error.message).toContain('and reading it back to reconcile (GET /users?filter=username eq "slow.user") failed too (PingOne GET');
    expect(error.message).toContain('got no complete answer within 150 ms');
    // save() runs in its own transaction: its ROLLBACK looked again (and timed out again), and says so.
    expect(error.message).toMatch(
      /Then ROLLBACK: 1 change\(s\) could not be undone in PingOne[^]*users with username "slow\.user" \(POST answer lost, may have been created\): COULD NOT BE UNDONE \(PingOne GET [^]* Look it up with GET \/users\?filter=username eq "slow\.user" and delete it if it exists\./,
    );
    expect(ds.pingoneDriver.compensationFailures).toHaveLength(1);
    expect(warnings).toHaveBeenCalledWith(ds.pingoneDriver.compensationFailures[0].message, { code: 'PINGONE_ROLLBACK_INCOMPLETE' });

    // The outcome really was unknown: the POST landed after the client gave up. It was sent once, never repeated.
    await until(() => named('slow.user').length === 1);
    await sleep(400); // the last timed-out reads still reach the log
    expect(h.requests().filter((r) => r === 'POST /users')).toHaveLength(1);
    expect(h.requests().filter((r) => r.startsWith('GET /users?filter=username eq "slow.user"'))).toHaveLength(4); // 2 attempts at save, 2 at ROLLBACK

    // The ROLLBACK that could not look it up left the transaction's journal: recovery finds the user (created after
    // the POST left, with every value sent: provably that POST's) and deletes it.
    expect((await ds.interruptedTransactions()).map((t) => [t.state, t.changes])).toEqual([
      ['abandoned', ['users with username "slow.user" (POST answer lost, may have been created)']],
    ]);
    const id = String(named('slow.user')[0].id);
    const [recovered] = await ds.recoverTransactions({ action: 'rollback' });
    expect(recovered).toMatchObject({
      outcome: 'rolled back',
      report: [`users with username "slow.user" (POST answer lost, may have been created): undone (found as ${id}, deleted)`],
    });
    expect(named('slow.user')).toHaveLength(0);
    expect(await ds.interruptedTransactions()).toEqual([]);
  });

  test('inside a transaction, ROLLBACK reconciles again and deletes the user the lost POST created', async () => {
    h = await startDriver({ seed: 'demo', users: 5 });
    const ds = await slowDataSource();
    const runner = ds.createQueryRunner();
    try {
      await runner.startTransaction();
      h.sim.faults.setLatency(300);
      const error = driverError(await fail(runner.manager.save(User, { username: 'tx.slow', email: 'tx.slow@example.com' })));
      expect(error.code).toBe('OUTCOME_UNKNOWN');
      expect(error.message).toContain(
        "This transaction's ROLLBACK will look it up again and delete it if it exists and is provably this one.",
      );
      h.sim.faults.setLatency(0);
      await until(() => named('tx.slow').length === 1);
      await sleep(400); // the timed-out reads still in flight reach the log before the rollback's requests
      const id = String(named('tx.slow')[0].id);

      await runner.rollbackTransaction();
      expect(named('tx.slow')).toHaveLength(0);
      expect(error.message).toContain(
        `Then ROLLBACK undid this transaction's changes in PingOne:\nusers with username "tx.slow" (POST answer lost, may have been created): undone (found as ${id}, deleted)`,
      );
      expect(h.requests().slice(-2)).toEqual(['GET /users?filter=username eq "tx.slow"', `DELETE /users/${id}`]);
    } finally {
      await runner.release();
    }
  });
});

describe('a create whose follow-up fails is undone, never left fail-open', () => {
  test('insert({ enabled: false }) with PUT /enabled failing: the user is deleted again and the error says so', async () => {
    h = await startDriver({ seed: 'demo', users: 5 });
    h.sim.faults.failNext(10, { status: 500, method: 'PUT', path: '/enabled' });
    const error = driverError(
      await fail(h.ds.getRepository(User).insert({ username: 'locked.out', email: 'l@example.com', enabled: false })),
    );
    expect(error.code).toBe('REMOTE_ERROR');
    expect(error.message).toMatch(
      /^INSERT into users: users [0-9a-f-]{36} was created, but PUT \/users\/[0-9a-f-]{36}\/enabled \(enabled: false\) failed \(PingOne PUT .* failed with 500[^]*\)\. It was deleted again, so nothing is left ENABLED although enabled: false was asked; nothing was saved\./,
    );
    expect(named('locked.out')).toHaveLength(0);
    const id = /users ([0-9a-f-]{36}) was created/.exec(error.message)![1];
    expect(h.requests()).toEqual(['POST /users', ...Array<string>(5).fill(`PUT /users/${id}/enabled`), `DELETE /users/${id}`]);
  });

  test('…and when deleting it fails too: PARTIALLY_APPLIED with the id, and the user is really there', async () => {
    h = await startDriver({ seed: 'demo', users: 5 });
    h.sim.faults.failNext(10, { status: 500, method: 'PUT', path: '/enabled' });
    h.sim.faults.failNext(10, { status: 503, method: 'DELETE', path: '/users' });
    const error = driverError(
      await fail(h.ds.getRepository(User).insert({ username: 'half.made', email: 'h@example.com', enabled: false })),
    );
    expect(error.code).toBe('PARTIALLY_APPLIED');
    const id = /users ([0-9a-f-]{36}) was created/.exec(error.message)![1];
    expect(error.message).toContain(`and deleting it again failed too (PingOne DELETE`);
    expect(error.message).toContain(
      `It exists in PingOne left ENABLED although enabled: false was asked: fix or delete users ${id} by hand (DELETE /users/${id}).`,
    );
    expect(named('half.made').map((u) => [u.id, u.enabled])).toEqual([[id, true]]); // exactly what the error says
  });

  test('save() with the undo failing once: its ROLLBACK deletes the user and the error says so', async () => {
    h = await startDriver({ seed: 'demo', users: 5 });
    h.sim.faults.failNext(10, { status: 500, method: 'PUT', path: '/enabled' });
    h.sim.faults.failNext(5, { status: 503, method: 'DELETE', path: '/users' }); // the 5 attempts of the immediate undo
    const error = driverError(
      await fail(h.ds.getRepository(User).save({ username: 'retry.undo', email: 'r@example.com', enabled: false })),
    );
    expect(error.code).toBe('PARTIALLY_APPLIED');
    const id = /users ([0-9a-f-]{36}) was created/.exec(error.message)![1];
    expect(error.message).toContain("This transaction's ROLLBACK will try to delete it again.");
    expect(error.message).toContain(`Then ROLLBACK undid this transaction's changes in PingOne:\nusers ${id} (created): undone (deleted)`);
    expect(named('retry.undo')).toHaveLength(0);
  });

  test('save() of a new user with groups whose membership POST fails: the user is not left behind', async () => {
    h = await startDriver({ seed: 'demo', users: 5 });
    const groups = (await h.ds.getRepository(Group).find()).slice(0, 2);
    h.sim.faults.failNext(1, { status: 400, method: 'POST', path: '/memberOfGroups' });
    const error = driverError(await fail(h.ds.getRepository(User).save({ username: 'with.groups', email: 'g@example.com', groups })));
    expect(error.message).toMatch(/1 of 2 rows failed; the others were applied and are journaled: this transaction's ROLLBACK undoes them/);
    expect(error.message).toMatch(
      /Then ROLLBACK undid this transaction's changes in PingOne:\nmembership of user [0-9a-f-]{36} in group [0-9a-f-]{36} \(added\): undone \(removed\)\nusers [0-9a-f-]{36} \(created\): undone \(deleted\)/,
    );
    expect(named('with.groups')).toHaveLength(0);
  });
});

test('a multi-row insert() outside a transaction whose second row fails: PARTIALLY_APPLIED naming the created ids', async () => {
  h = await startDriver({ seed: 'demo', users: 5 });
  const taken = String(users()[0].username);
  const error = driverError(
    await fail(
      h.ds.getRepository(User).insert([
        { username: 'first.row', email: 'f@example.com' },
        { username: taken, email: 't@example.com' },
      ]),
    ),
  );
  expect(error.code).toBe('PARTIALLY_APPLIED');
  const id = String(named('first.row')[0].id);
  expect(error.message).toMatch(
    new RegExp(
      `^INSERT into 'users': row 2 of 2 failed \\(PingOne POST .* failed with 400 [^]*\\); rows 1-1 were created \\(${id}\\) and stay applied \\(PingOne has no transactions, and this statement ran outside one\\)\\.$`,
    ),
  );
});

describe('a membership POST whose answer is lost, inside a transaction', () => {
  async function newUserWithGroups(): Promise<{ user: User; groups: Group[] }> {
    const groups = (await h.ds.getRepository(Group).find()).slice(0, 3);
    const user = await h.ds.getRepository(User).save({ username: 'member', email: 'm@example.com' });
    h.reset();
    return { user, groups };
  }
  const directGroups = (userId: string) => [...h.sim.store.environment(h.sim.environmentId)!.memberships.directGroups(userId)].sort();

  test('the lost one is read back: the save succeeds with each membership once, and a rollback removes all three', async () => {
    h = await startDriver({ seed: 'demo', users: 5 });
    const { user, groups } = await newUserWithGroups();
    h.sim.faults.cutNext(1, { method: 'POST', path: '/memberOfGroups' });
    const error = await h.ds
      .transaction(async (m) => {
        await m.save(User, { ...user, groups });
        expect(directGroups(user.id)).toEqual(groups.map((g) => g.id).sort());
        throw new Error('fail after the save');
      })
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe('fail after the save');
    expect(h.requests().filter((r) => r === `POST /users/${user.id}/memberOfGroups`)).toHaveLength(3); // the lost one not repeated
    // TypeORM's load (memberships with their groups embedded); before each POST a read that the user (created before
    // this transaction) isn't a member already, so ROLLBACK never removes a membership it didn't add; then the
    // writer's read-back of the lost POST
    expect(h.requests().filter((r) => r.startsWith(`GET /users/${user.id}/memberOfGroups`))).toEqual([
      `GET /users/${user.id}/memberOfGroups?expand=group`,
      ...groups.map((g) => `GET /users/${user.id}/memberOfGroups/${g.id}`),
      `GET /users/${user.id}/memberOfGroups`,
    ]);
    expect(directGroups(user.id)).toEqual([]);
  });

  test('read-back failing too: the error lists every row, and what ROLLBACK did with the lost one', async () => {
    h = await startDriver({ seed: 'demo', users: 5 });
    const groups = (await h.ds.getRepository(Group).find()).slice(0, 3);
    // A new user with groups: one POST /users, then the membership POSTs; nothing reads memberships before them.
    h.sim.faults.cutNext(1, { method: 'POST', path: '/memberOfGroups' });
    h.sim.faults.failNext(10, { status: 503, method: 'GET', path: '/memberOfGroups' });
    const error = driverError(
      await fail(h.ds.transaction((m) => m.save(User, { username: 'member.lost', email: 'm@example.com', groups }))),
    );
    expect(error.message).toMatch(
      /^1 of 3 rows failed; the others were applied and are journaled: this transaction's ROLLBACK undoes them \(and reconciles any whose answer was lost\)/,
    );
    expect(error.message).toMatch(
      /user [0-9a-f-]{36} in group [0-9a-f-]{36}: FAILED \(membership of user [^]*the outcome is unknown: its POST was sent but the answer was lost [^]*and reading it back \(GET \/users\/[0-9a-f-]{36}\/memberOfGroups\) failed too/,
    );
    const rollback = error.message.slice(error.message.indexOf('Then ROLLBACK'));
    expect(rollback).toMatch(/^Then ROLLBACK undid this transaction's changes in PingOne:\n/);
    expect(rollback).toMatch(/\(POST answer lost, may have been added\): undone \(it had been added; removed\)/); // the cut POST had landed
    expect(rollback.match(/\(added\): undone \(removed\)/g)).toHaveLength(2);
    expect(rollback).toMatch(/users [0-9a-f-]{36} \(created\): undone \(deleted\)$/);
    expect(named('member.lost')).toHaveLength(0);
  });
});

describe('a transaction never ended with commit or rollback', () => {
  test('release(): its changes are rolled back, its deferred deletes dropped, and a warning says so', async () => {
    h = await startDriver({ seed: 'demo', users: 5 });
    const before = users().length;
    const victim = users()[0];
    const runner = h.ds.createQueryRunner();
    await runner.startTransaction();
    await runner.manager.save(Population, { name: 'Forgotten' });
    await runner.manager.save(User, { username: 'forgotten.user', email: 'f@example.com' });
    await runner.manager.delete(User, { id: String(victim.id) });
    await runner.release();

    expect(runner.isTransactionActive).toBe(false);
    expect(named('forgotten.user')).toHaveLength(0);
    expect(users()).toHaveLength(before); // the victim's delete was never run
    const populations = [...h.sim.store.environment(h.sim.environmentId)!.populations.values()].map((p) => p.data.name);
    expect(populations).not.toContain('Forgotten');
    expect(warnings).toHaveBeenCalledTimes(1);
    const [message, options] = warnings.mock.calls[0] as [string, { code: string }];
    expect(options).toEqual({ code: 'PINGONE_TRANSACTION_NOT_ENDED' });
    expect(message).toMatch(
      /^queryRunner\.release\(\) with a transaction still open \(startTransaction\(\) without commitTransaction\(\) or rollbackTransaction\(\)\): its PingOne changes were rolled back:\n/,
    );
    expect(message).toContain(`users ${String(victim.id)} (delete at COMMIT): not applied`);
    expect(message).toMatch(
      /users [0-9a-f-]{36} \(created\): undone \(deleted\)\npopulations [0-9a-f-]{36} \(created\): undone \(deleted\)/,
    );
  });

  test('dataSource.destroy(): the same, for every runner left open', async () => {
    h = await startDriver({ seed: 'demo', users: 5 });
    const ds = await slowDataSource();
    const runner = ds.createQueryRunner();
    await runner.startTransaction();
    await runner.manager.save(Group, { name: 'Left open' });
    await ds.destroy();
    const groups = [...h.sim.store.environment(h.sim.environmentId)!.groups.values()].map((g) => g.data.name);
    expect(groups).not.toContain('Left open');
    expect(warnings).toHaveBeenCalledWith(
      expect.stringMatching(
        /^dataSource\.destroy\(\) with a transaction still open[^]*groups [0-9a-f-]{36} \(created\): undone \(deleted\)/,
      ),
      { code: 'PINGONE_TRANSACTION_NOT_ENDED' },
    );
    expect(runner.isTransactionActive).toBe(false);
    await runner.release(); // nothing left to roll back: no second warning
    expect(warnings).toHaveBeenCalledTimes(1);
  });

  test('a committed or rolled-back runner releases without a warning', async () => {
    h = await startDriver({ seed: 'demo', users: 5 });
    const runner = h.ds.createQueryRunner();
    await runner.startTransaction();
    await runner.manager.save(Population, { name: 'Kept' });
    await runner.commitTransaction();
    await runner.release();
    expect(warnings).not.toHaveBeenCalled();
  });
});
