import { Like } from 'typeorm';
import { startDriver, type DriverHarness } from './helpers/driver-harness';
import { describeWithRedis, startRedis, type RunningRedis } from '../../pingone-client/test/helpers/redis-server';
import { User, type PingOneDataSourceOptions } from '../src';

/*
 * Adaptive pushdown: PingOne refuses a cell the driver pushes (here the simulator starts refusing it mid-run). The
 * statement still answers, with one extra request (the refused one); the refusal is remembered for the DataSource
 * (no second refused request), logged once, shown by EXPLAIN, and shared through Redis when a store is configured.
 */
function capturingLogger(lines: string[]): NonNullable<PingOneDataSourceOptions['logger']> {
  return {
    logQuery() {},
    logQueryError() {},
    logQuerySlow() {},
    logSchemaBuild() {},
    logMigration() {},
    log(level: string, message: unknown) {
      lines.push(`${level} ${String(message)}`);
    },
  };
}

let h: DriverHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const sorted = (users: User[]) => users.map((u) => u.username).sort();

test('a cell refused mid-run: the statement answers the same with one extra request; the refusal is remembered, logged once, shown by EXPLAIN', async () => {
  const lines: string[] = [];
  h = await startDriver({ seed: 'demo', users: 80 }, { logging: ['warn'], logger: capturingLogger(lines) });
  const repo = h.ds.getRepository(User);
  const before = await repo.findBy({ title: Like('Man%') });
  expect(before.length).toBeGreaterThan(0);
  const pushed = h.requests();
  expect(pushed).toEqual([
    expect.stringMatching(/^GET \/users\?limit=1000&filter=title sw "man" or title sw "maN" or .* or title sw "MAN"$/),
  ]);
  h.reset();

  h.sim.faults.refuseFilterCell('users', 'title sw');
  expect(sorted(await repo.findBy({ title: Like('Man%') }))).toEqual(sorted(before));
  // The refused request, then the same statement planned without the cell: every page, filtered locally.
  expect(h.requests()).toEqual([pushed[0], 'GET /users?limit=1000']);
  expect(h.sim.requests.api().map((r) => r.status)).toEqual([400, 200]);
  h.reset();

  expect(sorted(await repo.findBy({ title: Like('Man%') }))).toEqual(sorted(before));
  expect(h.requests()).toEqual(['GET /users?limit=1000']); // remembered: no second refusal
  const warnings = lines.filter((l) => l.startsWith('warn'));
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatch(
    /PingOne refused the filter cell users `title sw`: 400 INVALID_DATA .*'sw' is not supported for the attribute 'title'.*evaluate it locally.*remembered for this DataSource/,
  );

  // EXPLAIN says what is not pushed and why; `eq` on the same attribute is still pushed.
  const plan = await h.ds.explain(repo.createQueryBuilder('u').where('u.title LIKE :t AND u.type = :y', { t: 'Man%', y: 'Employee' }));
  expect(plan[0]).toMatchObject({
    alias: 'u',
    strategy: 'list',
    filter: 'type eq "Employee"',
    notes: expect.stringMatching(/not pushed, PingOne refused `title sw` earlier: evaluated locally/),
  });
  expect(plan.find((r) => r.strategy === 'refused')).toMatchObject({
    filter: 'users title sw',
    notes: expect.stringMatching(/PingOne refused it earlier \(400 INVALID_DATA/),
  });
  expect((await repo.findBy({ title: 'Manager' })).length).toBeGreaterThanOrEqual(0);
  expect(h.requests().at(-1)).toBe('GET /users?limit=1000&filter=title eq "Manager"');
});

test('EXPLAIN ANALYZE shows the re-plan; a refused COUNT filter is counted locally; a stream re-plans before its first row', async () => {
  h = await startDriver({ seed: 'demo', users: 60 });
  const repo = h.ds.getRepository(User);
  const enabled = await repo.count({ where: { enabled: true } });
  h.reset();
  h.sim.faults.refuseFilterCell('users', 'enabled eq');
  expect(await repo.count({ where: { enabled: true } })).toBe(enabled);
  expect(h.requests()).toEqual(['GET /users?limit=1000&filter=enabled eq true', 'GET /users?limit=1000']);

  h.sim.faults.refuseFilterCell('users', 'type sw');
  const rows = await h.ds.query<Record<string, string>[]>('EXPLAIN ANALYZE SELECT "u"."id" FROM "users" "u" WHERE "u"."type" LIKE ?', [
    'Con%',
  ]);
  expect(rows.map((r) => r.strategy)).toEqual([
    'list',
    're-plan',
    'list',
    'local',
    'round-trips',
    'refused',
    'refused',
    'request',
    'request',
  ]);
  expect(rows[1].notes).toMatch(/alias u: PingOne refused `type sw` on users; re-planned with it evaluated locally/);

  h.sim.faults.refuseFilterCell('users', 'title eq');
  const stream = await repo.createQueryBuilder('u').where('u.title = :t', { t: 'Manager' }).stream();
  const streamed: unknown[] = [];
  for await (const row of stream) streamed.push(row);
  expect(streamed).toHaveLength((await repo.findBy({ title: 'Manager' })).length);
});

test('memberships: a refused narrowed member list re-plans the membership step only (the users and groups are not read again)', async () => {
  h = await startDriver({ seed: 'demo', users: 60 });
  h.sim.faults.refuseFilterCell('users', 'memberOfGroups[id eq … and type eq "DIRECT"] with other conditions');
  const env = h.sim.store.environment(h.sim.environmentId)!;
  const rows = await h.ds.getRepository(User).find({ where: { type: 'Partner' }, relations: { groups: true } });
  for (const u of rows) expect(u.groups!.map((g) => g.id).sort()).toEqual([...env.memberships.directGroups(u.id)].sort());
  const requests = h.requests();
  expect(requests.filter((r) => r === 'GET /users?limit=1000&filter=type eq "Partner"')).toHaveLength(1);
  expect(requests.filter((r) => r === 'GET /groups?limit=1000')).toHaveLength(1);
  // One narrowed request (the probe, refused); every other membership request is plain.
  expect(requests.filter((r) => r.includes('type eq "DIRECT"] and ('))).toHaveLength(1);
  expect(h.sim.requests.api().filter((r) => r.status === 400)).toHaveLength(1);
});

describeWithRedis('refusals shared through Redis', () => {
  let redis: RunningRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis.stop());

  test('a refusal learned by one instance is adopted by another before it sends the cell', async () => {
    const store = { redis: redis.url };
    h = await startDriver({ seed: 'demo', users: 40 }, {});
    const sim = h.sim;
    const pingone = (prefix: string) => ({
      environmentId: sim.environmentId,
      apiUrl: sim.apiUrl,
      authUrl: sim.authUrl,
      clientId: sim.credentials.clientId,
      clientSecret: sim.credentials.clientSecret,
      rateLimit: { requestsPerSecond: 1000, store: { ...store, keyPrefix: prefix } },
      retry: { baseDelayMs: 5, maxDelayMs: 50 },
    });
    const { PingOneDataSource, Group, Population } = await import('../src/index.js');
    const prefix = `adaptive-${Date.now()}:`;
    const first = await new PingOneDataSource({ entities: [User, Group, Population], pingone: pingone(prefix) }).initialize();
    const second = await new PingOneDataSource({ entities: [User, Group, Population], pingone: pingone(prefix) }).initialize();
    try {
      sim.faults.refuseFilterCell('users', 'nickname sw');
      sim.requests.clear();
      await first.getRepository(User).findBy({ nickname: Like('a%') });
      expect(sim.requests.api().map((r) => r.status)).toEqual([400, 200]);
      sim.requests.clear();
      await second.getRepository(User).findBy({ nickname: Like('a%') });
      // The second instance read the verdict from Redis: it never sent the refused cell.
      expect(sim.requests.api().map((r) => [r.status, r.query.filter])).toEqual([[200, undefined]]);
    } finally {
      await first.destroy();
      await second.destroy();
    }
  });
});
