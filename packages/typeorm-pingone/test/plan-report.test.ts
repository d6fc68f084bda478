import fc from 'fast-check';
import { startDriver, type DriverHarness } from './helpers/driver-harness';
import { countRoundTrips, tokenize, type PlanReport } from '../src';

/*
 * PreparedStatement.run()'s `plan` (PlanTrace.report()): what the example app's plan page and tools draw. Each
 * request with its filter and the round trip it went in, the round trips and cache hits, and per alias which
 * conditions PingOne evaluated and which only the local run checks; `columns` says what each result column shows.
 */
let h: DriverHarness;
let cached: DriverHarness;
beforeAll(async () => {
  h = await startDriver({ seed: 'demo', users: 450 });
  cached = await startDriver({ seed: 'demo', users: 30 }, { cache: true });
});
afterAll(async () => {
  await h?.close();
  await cached?.close();
});
beforeEach(() => h.reset());

async function run(harness: DriverHarness, sql: string): Promise<{ plan: PlanReport; rows: number; roundTrips: number }> {
  const prepared = harness.ds.pingoneDriver.prepare(sql, [], { uniqueNames: true });
  const { result, roundTrips } = await countRoundTrips(() => prepared.run());
  return { plan: result.plan!, rows: result.records.length, roundTrips };
}

test('a join: the conditions PingOne evaluated and those only run locally, each request with its filter and round trip', async () => {
  const { plan, roundTrips } = await run(
    h,
    "SELECT u.username, g.name FROM users u JOIN group_memberships m ON m.userId = u.id JOIN groups g ON g.id = m.groupId WHERE u.type = 'Contractor' AND lower(u.username) LIKE '%a%'",
  );
  const users = plan.steps.find((s) => s.alias === 'u')!;
  expect(users).toMatchObject({ table: 'users', strategy: 'list', filter: 'type eq "Contractor"' });
  expect(users.conditions).toEqual([
    { sql: "u.type = 'Contractor'", pushed: true },
    { sql: "LOWER(u.username) LIKE '%a%'", pushed: false },
  ]);
  // every request the simulator saw, in order, with the filter it carried
  const seen = h.requests();
  expect(plan.requests.map((r) => `${r.method} ${r.path.replace(/\?limit=\d+| \(next page\)/, '')}`)).toEqual(
    seen.map((r) => r.replace(/\?.*| \(next page\)/, '')),
  );
  expect(plan.requests[0]).toMatchObject({
    method: 'GET',
    path: '/users?limit=1000',
    filter: 'type eq "Contractor"',
    cacheHit: false,
    roundTrip: 1,
  });
  expect(plan.requests.filter((r) => r.filter?.startsWith('memberOfGroups[')).length).toBeGreaterThan(0);
  // round trips: the statement's critical path, the deepest request's, as countRoundTrips measures it
  expect(plan.roundTrips).toBe(roundTrips);
  expect(Math.max(...plan.requests.map((r) => r.roundTrip))).toBe(plan.roundTrips);
  expect(plan.requests.every((r) => r.roundTrip >= 1)).toBe(true);
  expect(plan.cacheHits).toBe(0);
  expect(plan.local).toMatch(/alasql/);
});

test('pages of one list are successive round trips; overlapped requests share one', async () => {
  const scan = await run(h, 'SELECT COUNT(*) AS n FROM users WHERE lower(nickname) IS NULL');
  expect(scan.plan.requests.map((r) => [r.path, r.roundTrip])).toEqual([
    ['/users?limit=1000', 1],
    ['/users (next page)', 2],
    ['/users (next page)', 3],
  ]);
  expect(scan.plan.steps[0].conditions).toEqual([{ sql: 'LOWER(users.nickname) IS NULL', pushed: false }]);
  h.reset();
  const ids = [...h.sim.store.environment(h.sim.environmentId)!.users.values()].slice(0, 150).map((u) => `'${String(u.data.id)}'`);
  const byIds = await run(h, `SELECT username FROM users WHERE id IN (${ids.join(', ')})`);
  expect(byIds.rows).toBe(150);
  expect(byIds.plan.requests.length).toBeGreaterThan(1); // parts that fit the URL budget, sent at the same time
  expect(byIds.plan.requests.every((r) => r.roundTrip === 1 && r.filter?.startsWith('id eq '))).toBe(true);
  expect(byIds.plan.roundTrips).toBe(1);
});

test('reads the cache answered are cache hits, in no round trip', async () => {
  const sql = "SELECT name FROM groups WHERE name LIKE 'H%'";
  const first = await run(cached, sql);
  expect(first.plan).toMatchObject({ cacheHits: 0, roundTrips: 1 });
  cached.reset();
  const again = await run(cached, sql);
  expect(cached.requests()).toEqual([]);
  expect(again.plan.requests).toEqual([
    { method: 'GET', path: '/groups?limit=1000 (cache hit)', filter: 'name sw "h" or name sw "H"', cacheHit: true, roundTrip: 0 },
  ]);
  expect(again.plan).toMatchObject({ cacheHits: 1, roundTrips: 0 });
});

test('EXPLAIN (not run) reports the steps and their conditions, and no request', async () => {
  const prepared = h.ds.pingoneDriver.prepare(
    "EXPLAIN SELECT * FROM users WHERE type IN ('Partner', 'Contractor') AND nickname || 'x' = 'ax'",
  );
  const { plan } = await prepared.run();
  expect(plan!.requests).toEqual([]);
  expect(plan!.steps[0].conditions).toEqual([
    { sql: "users.type IN ('Partner', 'Contractor')", pushed: true },
    { sql: "(users.nickname || 'x') = 'ax'", pushed: false },
  ]);
  expect(h.requests()).toEqual([]);
});

test('a condition reads back as the condition: its text parses to the same text (literals quoted as SQL quotes them)', async () => {
  const explain = async (where: string) =>
    (await h.ds.pingoneDriver.prepare(`EXPLAIN SELECT * FROM users u WHERE ${where}`).run())
      .plan!.steps.find((s) => s.alias === 'u')!
      .conditions!.map((c) => c.sql);
  for (const where of [
    "NOT (u.type IN ('a', 'b'))",
    "u.username BETWEEN 'a' AND 'm'",
    'u.nickname IS NOT NULL',
    'CAST(u.enabled AS TEXT) = ?1',
    "CASE WHEN u.enabled THEN 'y' ELSE 'n' END = 'y'",
    "u.username NOT LIKE 'x!%' ESCAPE '!'",
    '-u.enabled < 2.0',
    "u.title COLLATE NOCASE = 'ceo'",
    "u.title || ? = 'x'",
    'abs(u.enabled - 1) + 2 * 3 = 6',
  ]) {
    const [text] = await explain(where.replace('?1', "'1'").replace('?', "'y'"));
    expect(text).toBeDefined();
    expect(await explain(text)).toEqual([text]);
  }
  // any string literal: the condition's text holds exactly that string
  await fc.assert(
    fc.asyncProperty(
      fc.string({ unit: 'binary' }).filter((s) => !s.includes('\u0000')),
      async (value) => {
        const [text] = await explain(`u.nickname = '${value.replace(/'/g, "''")}'`);
        const literal = tokenize(text).find((t) => t.t === 'string');
        expect(text.length <= 300 ? literal?.text : value).toBe(value);
      },
    ),
    { numRuns: 150 },
  );
});

test('columns: the table column, PingOne attribute and kind each result column shows (a column, *, MIN/MAX of one)', () => {
  const columns = (sql: string) =>
    h.ds.pingoneDriver
      .prepare(sql, [], { uniqueNames: true })
      .columns.map((c) => [c.name, c.source && `${c.source.table}.${c.source.column} ${c.source.attribute} ${c.source.kind}`]);
  expect(
    columns('SELECT u.enabled, u.createdAt AS since, MAX(u.updatedAt) AS last, u.enabled = 1 AS e, COUNT(*) AS n FROM users u'),
  ).toEqual([
    ['enabled', 'users.enabled enabled boolean'],
    ['since', 'users.createdAt createdAt datetime'],
    ['last', 'users.updatedAt updatedAt datetime'],
    ['e', undefined],
    ['n', undefined],
  ]);
  expect(columns('SELECT a.username, b.username, g.* FROM users a JOIN users b ON a.id = b.id, populations g').slice(0, 4)).toEqual([
    ['username', 'users.username username string'],
    ['username_1', 'users.username username string'],
    ['id', 'populations.id id string'],
    ['name', 'populations.name name string'],
  ]);
  expect(columns('SELECT x FROM (SELECT enabled AS x FROM users)')).toEqual([['x', undefined]]);
  expect(columns("INSERT INTO groups (name) VALUES ('x')")).toEqual([]);
});

test('LIMIT 0 sends nothing; a LIMIT over a condition only the local run checks counts the rows that pass it', async () => {
  const none = await run(h, 'SELECT id FROM users LIMIT 0');
  expect({ rows: none.rows, requests: h.requests(), strategy: none.plan.steps[0].strategy }).toEqual({
    rows: 0,
    requests: [],
    strategy: 'none',
  });
  // IS NULL and NOT are not strict: PingOne gets no filter for them, so the first users fetched prove nothing
  const partners = [...h.sim.store.environment(h.sim.environmentId)!.users.values()].filter((u) => u.data.type === 'Partner').length;
  expect(partners).toBeGreaterThan(3);
  for (const where of ["NOT (type <> 'Partner')", "(CASE WHEN type = 'Partner' THEN NULL ELSE 1 END) IS NULL"]) {
    const limited = await run(h, `SELECT id FROM users WHERE ${where} LIMIT 3`);
    expect({ where, rows: limited.rows }).toEqual({ where, rows: 3 });
    expect(limited.plan.steps[0].conditions).toEqual([{ sql: expect.any(String), pushed: false }]);
  }
});
