import { QueryFailedError } from 'typeorm';
import { startDriver, type DriverHarness } from './helpers/driver-harness';
import { Group, Population, User } from '../src';

let h: DriverHarness;
beforeEach(async () => {
  h = await startDriver({ seed: 'demo', users: 8 });
});
afterEach(() => h.close());

/** JSON with object keys sorted, so two equal directories compare equal whatever order attributes were written in. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
  );
}

/** The directory as data, minus what PingOne recomputes on every write (updatedAt). */
function snapshot(): string {
  const env = h.sim.store.environment(h.sim.environmentId)!;
  const table = (t: typeof env.users) =>
    [...t.values()]
      .map((r) => {
        const { updatedAt: _u, ...rest } = r.data;
        return rest;
      })
      .sort((a, b) => String(a.id).localeCompare(String(b.id)));
  const memberships = [...env.users.values()].map((r) => [r.data.id, [...env.memberships.directGroups(String(r.data.id))].sort()]).sort();
  return JSON.stringify(
    canonical({ users: table(env.users), groups: table(env.groups), populations: table(env.populations), memberships }),
  );
}

const STEPS = [
  'create population',
  'create user in it',
  'create group',
  'add membership',
  'update existing user',
  'update group',
  'remove a user',
];

async function work(stopAfter: number): Promise<void> {
  await h.ds.transaction(async (m) => {
    const step = (n: number) => {
      if (n === stopAfter) throw new Error(`boom after step ${n}`);
    };
    const existing = await m.findOneByOrFail(User, { type: 'Employee' });
    const victim = (await m.find(User)).find((u) => u.id !== existing.id)!;
    const finance = await m.findOneByOrFail(Group, { name: 'Finance' });
    step(0);
    const population = await m.save(Population, m.create(Population, { name: 'Tx population' }));
    step(1);
    const user = await m.save(User, m.create(User, { username: 'tx.user', email: 'tx@example.com', population }));
    step(2);
    const group = await m.save(Group, m.create(Group, { name: 'Tx group' }));
    step(3);
    user.groups = [group];
    await m.save(User, user);
    step(4);
    existing.title = 'Changed in tx';
    existing.enabled = false;
    await m.save(User, existing);
    step(5);
    finance.description = 'changed in tx';
    await m.save(Group, finance);
    step(6);
    await m.remove(User, victim);
    step(7);
  });
}

test.each(STEPS.map((s, i) => [i + 1, s] as const).concat([[0, 'before any write']]))(
  'a failure after step %i (%s) rolls PingOne back to where it started',
  async (stopAfter) => {
    const before = snapshot();
    const error = await work(stopAfter).catch((e: unknown) => e);
    expect(String((error as Error).message)).toBe(`boom after step ${stopAfter}`);
    expect(snapshot()).toEqual(before);
  },
);

test('a commit applies everything, including the delete deferred to COMMIT', async () => {
  const before = h.sim.store.environment(h.sim.environmentId)!.users.size;
  await work(-1);
  const env = h.sim.store.environment(h.sim.environmentId)!;
  expect(env.users.size).toBe(before); // one created, one removed
  expect([...env.users.values()].some((u) => u.data.username === 'tx.user')).toBe(true);
  expect([...env.groups.values()].find((g) => g.data.name === 'Finance')!.data.description).toBe('changed in tx');
});

test('a PingOne failure in the middle of a transaction rolls back the earlier steps', async () => {
  const before = snapshot();
  h.sim.faults.failNext(1, { status: 400, method: 'POST', path: '/groups' });
  const error = await work(-1).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(QueryFailedError);
  expect(snapshot()).toEqual(before);
});

test('a nested transaction (savepoint) rolls back only its part', async () => {
  const before = h.sim.store.environment(h.sim.environmentId)!.populations.size;
  await h.ds.transaction(async (m) => {
    await m.save(Population, m.create(Population, { name: 'Outer' }));
    await m
      .transaction(async (inner) => {
        await inner.save(Population, inner.create(Population, { name: 'Inner' }));
        throw new Error('inner fails');
      })
      .catch(() => undefined);
  });
  const names = [...h.sim.store.environment(h.sim.environmentId)!.populations.values()].map((p) => p.data.name);
  expect(names).toContain('Outer');
  expect(names).not.toContain('Inner');
  expect(names).toHaveLength(before + 1);
});

test('when compensation itself fails, the error lists every change and its state', async () => {
  const runner = h.ds.createQueryRunner();
  await runner.startTransaction();
  await runner.manager.save(Population, runner.manager.create(Population, { name: 'Orphan' }));
  await runner.manager.save(Group, runner.manager.create(Group, { name: 'Orphan group' }));
  h.sim.faults.failNext(10, { status: 500, method: 'DELETE', path: '/populations' });
  const error = await runner.rollbackTransaction().catch((e: unknown) => e);
  await runner.release();
  const message = String((error as Error).message);
  expect(message).toMatch(/ROLLBACK: 1 change\(s\) could not be undone/);
  expect(message).toMatch(/groups [0-9a-f-]{36} \(created\): undone/);
  expect(message).toMatch(/populations [0-9a-f-]{36} \(created\): COULD NOT BE UNDONE/);
});

test('TypeORM swallows ROLLBACK errors in transaction(), so an incomplete rollback is also a process warning', async () => {
  const emitted = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
  try {
    const error = await h.ds
      .transaction(async (m) => {
        await m.save(Population, m.create(Population, { name: 'Orphan 2' }));
        h.sim.faults.failNext(10, { status: 500, method: 'DELETE', path: '/populations' });
        throw new Error('original failure');
      })
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe('original failure');
    const failures = h.ds.pingoneDriver.compensationFailures.map((f) => f.message);
    expect(failures).toEqual([
      expect.stringMatching(/ROLLBACK: 1 change\(s\) could not be undone[^]*populations [0-9a-f-]{36} \(created\): COULD NOT BE UNDONE/),
    ]);
    expect(emitted).toHaveBeenCalledWith(failures[0], { code: 'PINGONE_ROLLBACK_INCOMPLETE' });
  } finally {
    emitted.mockRestore();
  }
});
