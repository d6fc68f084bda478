import { demoSeed, matchesScimFilter, parseScimFilter, type RunningSimulator, type SeedData } from '@typeorm-pingone/simulator';
import { countRoundTrips, User } from '../src';
import { openDataSource, startDriver, type DriverHarness } from './helpers/driver-harness';

/*
 * Partitioned scans (issue 29), asserted exactly on the simulator: requests and round trips worked out from the
 * directory's data, each partition's users counted with the simulator's own filter evaluator. 2,000 demo users (10
 * pages of 200; populations of about 1,200, 500, 200 and 100 users): a whole read is partitioned, because the
 * largest population's pages plus the populations list are fewer round trips than the 9 pages after the first.
 */
const PAGE = 200;
const pages = (n: number) => Math.max(1, Math.ceil(n / PAGE));

let h: DriverHarness;
afterEach(() => h?.close());

type Env = NonNullable<ReturnType<RunningSimulator['store']['environment']>>;
const envOf = (harness: DriverHarness): Env => harness.sim.store.environment(harness.sim.environmentId)!;
const everyone = (env: Env) => [...env.users.values()].map((r) => r.data);

/** The filter of each partition's first page, and how many of the directory's users it matches. */
function partitionsOf(requests: readonly string[], env: Env, prefix: string): { filter: string; users: string[] }[] {
  const context = { memberOfGroups: (id: string) => env.memberships.groupsOf(id) };
  return requests
    .filter((r) => r.startsWith(prefix) && !r.endsWith('(next page)'))
    .map((r) => {
      const filter = r.slice(prefix.length);
      const expression = parseScimFilter(filter);
      return {
        filter,
        users: everyone(env)
          .filter((u) => matchesScimFilter(expression, u, context))
          .map((u) => String(u.id)),
      };
    });
}

/** Each user in exactly one partition: the partitions are disjoint and their union is `users`. */
function expectPartition(parts: readonly { users: string[] }[], users: readonly string[]): void {
  const seen = parts.flatMap((p) => p.users);
  expect(seen.length).toBe(new Set(seen).size);
  expect([...seen].sort()).toEqual([...users].sort());
}

describe('a whole read of a large directory', () => {
  test('find(): the first page, the populations, then partitions by population read at the same time; requests and round trips exactly', async () => {
    h = await startDriver({ seed: 'demo', users: 2000 });
    const env = envOf(h);
    const { result, roundTrips } = await countRoundTrips(() => h.ds.getRepository(User).find());
    expect(result.map((u) => u.id).sort()).toEqual(
      everyone(env)
        .map((u) => String(u.id))
        .sort(),
    );
    const requests = h.requests();
    expect(requests.slice(0, 2).sort()).toEqual(['GET /populations?limit=1000', 'GET /users?limit=1000'].sort());
    const parts = partitionsOf(requests.slice(2), env, 'GET /users?limit=1000&filter=');
    expectPartition(
      parts,
      everyone(env).map((u) => String(u.id)),
    );
    expect(parts.length).toBeGreaterThan(1);
    // Every filter is by population (small populations share one request), and every page of each is read.
    for (const p of parts) expect(p.filter).toMatch(/^\(?population\.id eq "[^"]+"/);
    for (const p of parts)
      expect(requests.filter((r) => r.endsWith(`filter=${p.filter}`) || r.endsWith(`filter=${p.filter} (next page)`))).toHaveLength(
        pages(p.users.length),
      );
    const partitionPages = parts.reduce((n, p) => n + pages(p.users.length), 0);
    expect(requests).toHaveLength(2 + partitionPages);
    expect(roundTrips).toBe(2 + Math.max(...parts.map((p) => pages(p.users.length))));
    // The bounds: at most the minimum + one per partition + the populations list, and fewer round trips.
    expect(requests.length).toBeLessThanOrEqual(pages(2000) + parts.length + 1);
    expect(roundTrips).toBeLessThan(pages(2000));
  });

  test("GROUP BY over every user, and EXPLAIN ANALYZE: the partitions, the check against PingOne's counts, the critical path and the rate bound", async () => {
    h = await startDriver({ seed: 'demo', users: 2000 });
    const env = envOf(h);
    const sql = 'SELECT "type", COUNT(*) AS "n" FROM "users" GROUP BY "type"';
    const rows = await h.ds.query<{ type: string; n: number }[]>(sql);
    const types = new Map<string, number>();
    for (const u of everyone(env)) types.set(String(u.type), (types.get(String(u.type)) ?? 0) + 1);
    expect(new Map(rows.map((r) => [r.type, Number(r.n)]))).toEqual(types);
    const limited = await openDataSource(h.sim, {}, { rateLimit: { requestsPerSecond: 500 } });
    try {
      h.reset();
      const plan = await limited.query<Record<string, string>[]>(`EXPLAIN ANALYZE ${sql}`);
      const requests = plan.filter((r) => r.strategy === 'request');
      expect(requests.map((r) => r.notes)).toEqual(expect.arrayContaining(['GET /users?limit=1000', 'GET /populations?limit=1000']));
      expect(plan.find((r) => r.table === 'populations')?.notes).toMatch(/^every population with its userCount/);
      const partitions = plan.find((r) => r.table === 'users' && r.filter.includes('population.id eq'))!;
      expect(partitions.notes).toMatch(
        /^\d+ partitions by population, read at the same time: \d+ round trip\(s\) \(the populations list, then the longest partition\) instead of 9 page\(s\) one after another; they add up to PingOne's count of 2000; each population's matches its userCount$/,
      );
      // The statement's critical path: the first page, then the populations list and the longest partition.
      const afterFirst = Number(/: (\d+) round trip/.exec(partitions.notes)![1]);
      expect(plan.find((r) => r.strategy === 'round-trips')!.notes).toBe(
        `critical path: ${1 + afterFirst} round trip(s) of dependent requests; ${requests.length} request(s), held to the client's rate limit of 500 requests/s, so they take at least ${(requests.length / 500).toFixed(2)} s (rate bound)`,
      );
    } finally {
      await limited.destroy();
    }
  });

  test('stream(): every user once, rows arriving partition by partition, with the same requests as find()', async () => {
    h = await startDriver({ seed: 'demo', users: 2000 });
    const env = envOf(h);
    const stream = await h.ds.getRepository(User).createQueryBuilder('u').select(['u.id', 'u.populationId']).stream();
    const ids: string[] = [];
    for await (const row of stream) ids.push(String((row as Record<string, unknown>).u_id));
    expect(ids.length).toBe(2000);
    expect([...ids].sort()).toEqual(
      everyone(env)
        .map((u) => String(u.id))
        .sort(),
    );
    const requests = h.requests();
    const parts = partitionsOf(requests.slice(2), env, 'GET /users?limit=1000&filter=');
    expectPartition(parts, ids);
    expect(requests).toHaveLength(2 + parts.reduce((n, p) => n + pages(p.users.length), 0));
    // Rows come page by page, pages partition by partition: each run of one partition's rows is whole pages (its last
    // page may be short).
    const partitionOf = new Map(parts.flatMap((p, i) => p.users.map((id) => [id, i] as const)));
    const runs: { partition: number; length: number }[] = [];
    for (const id of ids) {
      const partition = partitionOf.get(id)!;
      if (runs.at(-1)?.partition === partition) runs.at(-1)!.length++;
      else runs.push({ partition, length: 1 });
    }
    expect(runs.length).toBeGreaterThan(parts.length); // the partitions were read at the same time: their pages interleave
    for (const run of runs) expect([0, parts[run.partition].users.length % PAGE]).toContain(run.length % PAGE);
  });

  test('a directory mostly in one population, half enabled: its largest population is also split by enabled', async () => {
    const seed = demoSeed({ users: 2000 });
    const [only, other] = seed.populations!;
    const users = seed.users!.map((u, i) => ({ ...u, population: { id: (i % 5 === 4 ? other : only).id }, enabled: i % 2 === 0 }));
    h = await startDriver({ seed: { environments: [{ ...seed, users, memberships: [] }] } as SeedData });
    const env = envOf(h);
    const { result, roundTrips } = await countRoundTrips(() => h.ds.getRepository(User).find());
    expect(result).toHaveLength(2000);
    const requests = h.requests();
    const parts = partitionsOf(requests.slice(2), env, 'GET /users?limit=1000&filter=');
    expectPartition(
      parts,
      everyone(env).map((u) => String(u.id)),
    );
    // 1,600 users in one population: 8 pages alone, 4 once split by enabled (800 each); the other population's 400
    // users are 2; the two empty populations cost no request of their own (they share one with 800 users).
    const [empty1, empty2] = seed.populations!.filter((p) => p !== only && p !== other).map((p) => String(p.id));
    expect(parts.map((p) => p.filter).sort()).toEqual(
      [
        `(population.id eq "${String(only.id)}" and enabled eq true) or population.id eq "${empty1}" or population.id eq "${empty2}"`,
        `population.id eq "${String(only.id)}" and enabled eq false`,
        `population.id eq "${String(other.id)}"`,
      ].sort(),
    );
    expect(requests).toHaveLength(2 + 4 + 4 + 2);
    expect(roundTrips).toBe(2 + 4);
  });

  test("every user with their groups: the users and the large groups' member lists are partitioned, one populations list for both", async () => {
    h = await startDriver({ seed: 'demo', users: 2000 });
    const env = envOf(h);
    const { result, roundTrips } = await countRoundTrips(() => h.ds.getRepository(User).find({ relations: { groups: true } }));
    expect(result).toHaveLength(2000);
    for (const u of result) expect(u.groups!.map((g) => g.id).sort()).toEqual([...env.memberships.directGroups(u.id)].sort());
    const requests = h.requests();
    expect(requests.filter((r) => r.startsWith('GET /populations'))).toEqual(['GET /populations?limit=1000']);
    // All Staff holds every user: its member list is read as partitions by population, like the users.
    const allStaff = [...env.groups.values()].find((g) => g.data.name === 'All Staff')!.data;
    const lists = partitionsOf(requests, env, 'GET /users?limit=1000&filter=');
    const ofGroup = (id: unknown) => lists.filter((p) => p.filter.startsWith(`memberOfGroups[id eq "${String(id)}"`));
    const staff = ofGroup(allStaff.id);
    expect(staff.length).toBeGreaterThan(1);
    expectPartition(
      staff,
      env.memberships.directMembers(String(allStaff.id)).filter((m) => env.users.has(m)),
    );
    // Requests: the users' first page, the populations, their partitions; the groups; each non-empty group's member
    // list (whole, or its partitions), every page of each.
    const users = lists.filter((p) => !p.filter.startsWith('memberOfGroups'));
    expectPartition(
      users,
      everyone(env).map((u) => String(u.id)),
    );
    const groups = [...env.groups.values()]
      .map((g) => g.data)
      .filter((g) => env.memberships.directMembers(String(g.id)).some((m) => env.users.has(m)));
    for (const g of groups)
      expectPartition(
        ofGroup(g.id),
        env.memberships.directMembers(String(g.id)).filter((m) => env.users.has(m)),
      );
    for (const list of lists)
      expect(requests.filter((r) => r.endsWith(`filter=${list.filter}`) || r.endsWith(`filter=${list.filter} (next page)`))).toHaveLength(
        pages(list.users.length),
      );
    expect(requests).toHaveLength(2 + 1 + lists.reduce((n, p) => n + pages(p.users.length), 0));
    // Round trips: the users' first page, then the populations (shared), then their longest partition; the groups,
    // then the populations (the same request), then All Staff's longest partition; the groups, then a whole list.
    const longest = (parts: typeof lists) => Math.max(...parts.map((p) => pages(p.users.length)));
    const whole = groups.filter((g) => ofGroup(g.id).length === 1).map((g) => ofGroup(g.id));
    expect(roundTrips).toBe(Math.max(2 + longest(users), 2 + longest(staff), ...whole.map((w) => 1 + longest(w))));
    expect(roundTrips).toBeLessThan(pages(2000));
  });
});

test('a directory of a few pages keeps one scan: no populations list, no partition', async () => {
  h = await startDriver({ seed: 'demo', users: 700 });
  const { result, roundTrips } = await countRoundTrips(() => h.ds.getRepository(User).find());
  expect(result).toHaveLength(700);
  expect(h.requests()).toEqual(['GET /users?limit=1000', ...Array<string>(3).fill('GET /users?limit=1000 (next page)')]);
  expect(roundTrips).toBe(4);
});

test('when the directory changes during a partitioned read, EXPLAIN ANALYZE says the partitions did not add up', async () => {
  h = await startDriver({ seed: 'demo', users: 2000 });
  const env = envOf(h);
  h.sim.faults.setLatency(100);
  const plan = h.ds.query<Record<string, string>[]>('EXPLAIN ANALYZE SELECT COUNT("id") AS "n" FROM "users" WHERE "createdAt" IS NOT NULL');
  // Once the populations are asked for (after PingOne counted the users on the first page), a user is added.
  while (!h.requests().some((r) => r.startsWith('GET /populations'))) await new Promise((resolve) => setTimeout(resolve, 5));
  const template = everyone(env)[0];
  env.putUser({ ...template, id: '00000000-0000-4000-8000-00000000beef', username: 'added.while.reading' });
  const notes = (await plan).find((r) => r.filter.includes('population.id eq'))!.notes;
  expect(notes).toMatch(/they read 2001, PingOne counted 2000 on the first page; .* \(the directory changed while it was read\)$/);
});

test('when the populations list fails, the read goes on as one scan and EXPLAIN ANALYZE says why', async () => {
  h = await startDriver({ seed: 'demo', users: 2000 });
  h.sim.faults.failNext(1, { status: 403, path: '/populations' });
  const plan = await h.ds.query<Record<string, string>[]>(
    'EXPLAIN ANALYZE SELECT COUNT("id") AS "n" FROM "users" WHERE "createdAt" IS NOT NULL',
  );
  expect(plan.find((r) => r.table === 'users' && r.notes.startsWith('one scan'))?.notes).toMatch(
    /^one scan: the populations list failed \(.*403/,
  );
  const requests = h.requests();
  expect(requests.filter((r) => r.startsWith('GET /users'))).toEqual([
    'GET /users?limit=1000',
    ...Array<string>(9).fill('GET /users?limit=1000 (next page)'),
  ]);
  expect(requests.filter((r) => r.startsWith('GET /populations'))).toHaveLength(1);
});

test('ORDER BY with LIMIT reads the partitions and answers as one scan would; a LIMIT that stops early reads one list', async () => {
  h = await startDriver({ seed: 'demo', users: 2000 });
  const env = envOf(h);
  const byName = everyone(env)
    .map((u) => String(u.username))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const first = await h.ds.getRepository(User).find({ order: { username: 'ASC' }, skip: 3, take: 5 });
  expect(first.map((u) => u.username)).toEqual(byName.slice(3, 8));
  expect(h.requests().some((r) => r.includes('population.id eq'))).toBe(true);
  h.reset();
  // No ORDER BY: the first rows PingOne serves; paging stops after the first page, nothing partitioned.
  expect(await h.ds.getRepository(User).find({ take: 5 })).toHaveLength(5);
  expect(h.requests()).toEqual(['GET /users?limit=5']);
});

describe('a whole read of a list the DataSource last read as partitions', () => {
  test('sends the populations list with its first page: the same requests, one round trip fewer', async () => {
    h = await startDriver({ seed: 'demo', users: 2000 });
    const first = await countRoundTrips(() => h.ds.getRepository(User).find());
    const before = h.requests();
    h.reset();
    h.sim.faults.setLatency(20);
    const plan = await h.ds.query<Record<string, string>[]>(
      'EXPLAIN ANALYZE SELECT COUNT("id") AS "n" FROM "users" WHERE "createdAt" IS NOT NULL',
    );
    h.reset();
    const again = await countRoundTrips(() => h.ds.getRepository(User).find());
    expect(again.result).toHaveLength(2000);
    expect([...h.requests()].sort()).toEqual([...before].sort());
    expect(again.roundTrips).toBe(first.roundTrips - 1);
    // both requests went out before either answered: the first two, in either order
    expect(h.requests().slice(0, 2).sort()).toEqual(['GET /populations?limit=1000', 'GET /users?limit=1000'].sort());
    expect(plan.find((r) => r.table === 'populations')?.notes).toMatch(/^every population with its userCount/);
    expect(plan.find((r) => r.filter?.includes('population.id eq'))?.notes).toMatch(
      /read at the same time: \d+ round trip\(s\) for the longest/,
    );
  });

  test('once the directory has shrunk, the bet costs one request, EXPLAIN ANALYZE says so, and the next read makes no bet', async () => {
    h = await startDriver({ seed: 'demo', users: 2000 });
    const env = envOf(h);
    await h.ds.getRepository(User).find();
    for (const user of everyone(env).slice(700)) env.removeUser(String(user.id));
    h.reset();
    const plan = await h.ds.query<Record<string, string>[]>(
      'EXPLAIN ANALYZE SELECT COUNT("id") AS "n" FROM "users" WHERE "createdAt" IS NOT NULL',
    );
    expect(plan.find((r) => r.table === 'users' && r.notes.startsWith('one scan'))?.notes).toMatch(
      /^one scan: .*the populations list was read with the first page/,
    );
    expect(h.requests().filter((r) => r.startsWith('GET /populations'))).toHaveLength(1);
    expect(h.requests().filter((r) => r.startsWith('GET /users'))).toHaveLength(4);
    h.reset();
    expect(await h.ds.getRepository(User).find()).toHaveLength(700);
    expect(h.requests()).toEqual(['GET /users?limit=1000', ...Array<string>(3).fill('GET /users?limit=1000 (next page)')]);
  });

  test('when the populations list sent with the first page fails, the read goes on as one scan', async () => {
    h = await startDriver({ seed: 'demo', users: 2000 });
    await h.ds.getRepository(User).find();
    h.reset();
    h.sim.faults.failNext(1, { status: 403, path: '/populations' });
    const { result, roundTrips } = await countRoundTrips(() => h.ds.getRepository(User).find());
    expect(result).toHaveLength(2000);
    expect(h.requests().filter((r) => r.startsWith('GET /users'))).toEqual([
      'GET /users?limit=1000',
      ...Array<string>(9).fill('GET /users?limit=1000 (next page)'),
    ]);
    expect(h.requests().filter((r) => r.startsWith('GET /populations'))).toHaveLength(1);
    expect(roundTrips).toBe(10);
  });
});
