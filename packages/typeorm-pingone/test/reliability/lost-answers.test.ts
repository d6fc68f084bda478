import { QueryFailedError } from 'typeorm';
import { createPingOneClient } from '@typeorm-pingone/client';
import { startSimulator, type RunningSimulator } from '@typeorm-pingone/simulator';
import { Group, PingOneDataSource, type PingOneDriverError, PingOneWriteOutcomeUnknownError, Population, User } from '../../src';
import { LossyProxy } from '../helpers/lossy-proxy';

/*
 * Lost answers, through a proxy in front of the simulator that forwards a request (PingOne applies it, or refuses it)
 * and then cuts the connection before the answer arrives. A found resource is taken as the request's only when that
 * is provable: created after the request left (on PingOne's clock) and carrying every value sent. A ROLLBACK never
 * deletes what it cannot prove it created, and never removes a membership that existed before.
 */
let sim: RunningSimulator;
let proxy: LossyProxy;
let ds: PingOneDataSource;

beforeEach(async () => {
  sim = await startSimulator({ seed: 'demo', users: 20 });
  proxy = await LossyProxy.start(sim);
  ds = await new PingOneDataSource({
    entities: [User, Group, Population],
    pingone: {
      environmentId: sim.environmentId,
      apiUrl: proxy.apiUrl,
      authUrl: sim.authUrl,
      clientId: sim.credentials.clientId,
      clientSecret: sim.credentials.clientSecret,
      rateLimit: false,
      retry: { baseDelayMs: 5, maxDelayMs: 20 },
    },
  }).initialize();
});
afterEach(async () => {
  if (ds.isInitialized) await ds.destroy();
  await proxy.close();
  await sim.close();
});

const env = () => sim.store.environment(sim.environmentId)!;
const named = (username: string) =>
  [...env().users.values()].map((u) => u.data).filter((u) => String(u.username).toLowerCase() === username.toLowerCase());
const directGroups = (userId: string) => [...env().memberships.directGroups(userId)].sort();
const driverError = (error: unknown): PingOneDriverError => {
  expect(error).toBeInstanceOf(QueryFailedError);
  return (error as QueryFailedError).driverError as PingOneDriverError;
};
const writes = () => proxy.log.filter((e) => e.method !== 'GET').map((e) => `${e.method} ${e.path}`);

/** A seeded user with at least two direct memberships: what a wrongful ROLLBACK would destroy. */
function userWithTwoGroups(): { id: string; username: string; groups: string[] } {
  for (const record of env().users.values()) {
    const groups = directGroups(String(record.data.id));
    if (groups.length >= 2) return { id: String(record.data.id), username: String(record.data.username), groups };
  }
  throw new Error('the demo seed has no user with two groups');
}

describe('a create whose answer is lost', () => {
  test("the username already existed (the 400 was lost): OUTCOME_UNKNOWN naming that user, and save()'s ROLLBACK deletes nothing", async () => {
    const existing = userWithTwoGroups();
    proxy.loseAnswers({ method: 'POST', path: /^\/users$/ });
    const error = driverError(
      await ds
        .getRepository(User)
        .save({ username: existing.username.toUpperCase(), email: 'someone.else@example.com' })
        .catch((e: unknown) => e),
    );
    expect(error).toBeInstanceOf(PingOneWriteOutcomeUnknownError);
    expect(error.code).toBe('OUTCOME_UNKNOWN');
    expect((error as PingOneWriteOutcomeUnknownError).reconciliation.found).toEqual({
      resource: 'users',
      id: existing.id,
      why: expect.stringMatching(/^it was created at .*, before this request was sent \(not before .* on PingOne's clock\)$/),
    });
    expect(error.message).toContain(`users ${existing.id} has that username, but it is not provably this request's`);
    expect(error.message).toContain('Then ROLLBACK ran: this transaction had changed nothing in PingOne.');
    // The other user is intact, memberships included; nothing was deleted or sent twice.
    expect(named(existing.username).map((u) => u.id)).toEqual([existing.id]);
    expect(directGroups(existing.id)).toEqual(existing.groups);
    expect(writes()).toEqual(['POST /users']);
  });

  test('…in an explicit transaction: ROLLBACK leaves the pre-existing user and its memberships', async () => {
    const existing = userWithTwoGroups();
    const runner = ds.createQueryRunner();
    try {
      await runner.startTransaction();
      await runner.manager.save(Population, { name: 'Made in the transaction' });
      proxy.loseAnswers({ method: 'POST', path: /^\/users$/ });
      const error = driverError(
        await runner.manager.save(User, { username: existing.username, email: 'x@example.com' }).catch((e: unknown) => e),
      );
      expect(error.code).toBe('OUTCOME_UNKNOWN');
      expect(error.message).toContain(", and this transaction's ROLLBACK will not delete it.");
      await runner.rollbackTransaction();
    } finally {
      await runner.release();
    }
    expect(named(existing.username).map((u) => u.id)).toEqual([existing.id]);
    expect(directGroups(existing.id)).toEqual(existing.groups);
    expect([...env().populations.values()].map((p) => p.data.name)).not.toContain('Made in the transaction');
    expect(writes().filter((w) => w.startsWith('DELETE /users'))).toEqual([]);
  });

  test('its own create is provable (created after the request left, with every value sent): adopted, never sent twice; ROLLBACK deletes it', async () => {
    proxy.loseAnswers({ method: 'POST', path: /^\/users$/ });
    const saved = await ds
      .getRepository(User)
      .save({ username: 'lost.answer', email: 'lost@example.com', name: { given: 'Lost', family: 'Answer' }, title: 'T' });
    expect(named('lost.answer').map((u) => u.id)).toEqual([saved.id]);
    expect(writes()).toEqual(['POST /users']);

    proxy.loseAnswers({ method: 'POST', path: /^\/users$/ });
    const runner = ds.createQueryRunner();
    try {
      await runner.startTransaction();
      const inTx = await runner.manager.save(User, { username: 'lost.in.tx', email: 'tx@example.com' });
      expect(named('lost.in.tx').map((u) => u.id)).toEqual([inTx.id]);
      await runner.rollbackTransaction();
    } finally {
      await runner.release();
    }
    expect(named('lost.in.tx')).toEqual([]);
  });

  test("PingOne's clock, not this machine's: with PingOne an hour ahead or behind, the same verdicts", async () => {
    for (const offset of [3_600_000, -3_600_000]) {
      proxy.clockOffsetMs = offset;
      const existing = userWithTwoGroups();
      proxy.loseAnswers({ method: 'POST', path: /^\/users$/ });
      const error = driverError(
        await ds
          .getRepository(User)
          .save({ username: existing.username, email: 'x@example.com' })
          .catch((e: unknown) => e),
      );
      expect((error as PingOneWriteOutcomeUnknownError).reconciliation.found?.id).toBe(existing.id);
      const username = `own.${offset > 0 ? 'ahead' : 'behind'}`;
      proxy.loseAnswers({ method: 'POST', path: /^\/users$/ });
      const saved = await ds.getRepository(User).save({ username, email: `${username}@example.com` });
      expect(named(username).map((u) => u.id)).toEqual([saved.id]);
    }
  });

  /** Another writer creates `username` (with `email`) just before this DataSource's POST reaches PingOne. */
  async function racedBy(
    username: string,
    email: string,
    work: () => Promise<unknown>,
  ): Promise<{ outcome: unknown; theirs: string | undefined }> {
    const other = createPingOneClient({
      environmentId: sim.environmentId,
      apiUrl: sim.apiUrl,
      authUrl: sim.authUrl,
      clientId: sim.credentials.clientId,
      clientSecret: sim.credentials.clientSecret,
      rateLimit: false,
    });
    let theirs: string | undefined;
    proxy.beforeForward = async (exchange) => {
      if (exchange.method === 'POST' && exchange.path === '/users' && theirs === undefined)
        theirs = (await other.users.create({ username, email })).id;
      return 'forward' as const;
    };
    proxy.loseAnswers({ method: 'POST', path: /^\/users$/ });
    try {
      return { outcome: await work().catch((e: unknown) => e), theirs };
    } finally {
      other.close();
    }
  }

  test('another writer creates the username while this request is on its way, with other values: not adopted, and ROLLBACK leaves it', async () => {
    const { outcome, theirs } = await racedBy('race.user', 'theirs@example.com', () =>
      ds.getRepository(User).save({ username: 'race.user', email: 'mine@example.com' }),
    );
    expect((driverError(outcome) as PingOneWriteOutcomeUnknownError).reconciliation.found).toEqual({
      resource: 'users',
      id: theirs,
      why: 'its email is "theirs@example.com" where this request sent "mine@example.com"',
    });
    expect(named('race.user').map((u) => u.id)).toEqual([theirs]);
  });

  test('not provable either way: another writer creating the same user, same values, in the same instant, is taken as this one (docs/transactions.md)', async () => {
    const { outcome, theirs } = await racedBy('twin', 'twin@example.com', () =>
      ds.getRepository(User).save({ username: 'twin', email: 'twin@example.com' }),
    );
    // Nothing PingOne returns tells the two requests apart: the one user is the result of both (and not duplicated).
    expect((outcome as User).id).toBe(theirs);
    expect(named('twin')).toHaveLength(1);
  });
});

describe('a membership POST whose answer is lost, in a transaction', () => {
  const insertMembership = (runner: ReturnType<PingOneDataSource['createQueryRunner']>, userId: string, groupId: string) =>
    runner.query('INSERT INTO "group_memberships" ("userId", "groupId") VALUES (?, ?)', [userId, groupId], true);

  test('re-adding a membership that existed: the read before finds it and nothing is sent; ROLLBACK keeps it', async () => {
    const existing = userWithTwoGroups();
    proxy.loseAnswers({ method: 'POST', path: /\/memberOfGroups$/ });
    const runner = ds.createQueryRunner();
    try {
      await runner.startTransaction();
      await insertMembership(runner, existing.id, existing.groups[0]); // the row exists, as the INSERT asked
      await runner.rollbackTransaction();
    } finally {
      await runner.release();
    }
    expect(directGroups(existing.id)).toEqual(existing.groups);
    expect(writes()).toEqual([]);
  });

  test('a new membership whose answer is lost: read back, journaled as added (the read before showed it absent), removed by ROLLBACK', async () => {
    const existing = userWithTwoGroups();
    const group = [...env().groups.values()]
      .map((g) => g.data)
      .find((g) => !existing.groups.includes(String(g.id)) && (g.population as { id?: string } | undefined)?.id === undefined)!;
    proxy.loseAnswers({ method: 'POST', path: /\/memberOfGroups$/ });
    const runner = ds.createQueryRunner();
    try {
      await runner.startTransaction();
      expect((await insertMembership(runner, existing.id, String(group.id))).affected).toBe(1);
      expect(directGroups(existing.id)).toContain(group.id);
      await runner.rollbackTransaction();
    } finally {
      await runner.release();
    }
    expect(directGroups(existing.id)).toEqual(existing.groups);
    expect(writes()).toEqual([
      `POST /users/${existing.id}/memberOfGroups`,
      `DELETE /users/${existing.id}/memberOfGroups/${String(group.id)}`,
    ]);
  });
});
