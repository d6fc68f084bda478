import { In, MoreThan } from 'typeorm';
import { startDriver, type DriverHarness } from './helpers/driver-harness';
import { countRoundTrips, Group, User } from '../src';
import { byMode, strictSimulator } from './helpers/simulator-mode';

/*
 * Request counts and the critical path in round trips (independent requests overlapped count once), asserted
 * exactly on 600 demo users (pages of at most 200 users, as PingOne serves them).
 */
let h: DriverHarness;
let all: Record<string, unknown>[];
beforeAll(async () => {
  h = await startDriver({ seed: 'demo', users: 600 });
  all = [...h.sim.store.environment(h.sim.environmentId)!.users.values()].map((r) => r.data);
});
afterAll(() => h.close());
beforeEach(() => h.reset());

const users = () => h.ds.getRepository(User);
const sorted = (values: unknown[]) => values.map(String).sort();

test('In(500 usernames) is pushed, in the fewest parts that fit the URL budget, all sent at the same time', async () => {
  const wanted = all.slice(0, 500).map((u) => String(u.username));
  const { result, roundTrips } = await countRoundTrips(() => users().findBy({ username: In(wanted) }));
  expect(sorted(result.map((u) => u.username))).toEqual(sorted(wanted));
  const requests = h.requests();
  expect(requests.every((r) => r.startsWith('GET /users?limit=1000&filter=username eq '))).toBe(true);
  // Each part is as long as the 4096-character URL budget allows: 500 usernames fit in 7 requests (a scan is 3 pages).
  expect(requests).toHaveLength(7);
  expect(roundTrips).toBe(1);
});

test('In(500 ids) is one filter split into parts sent at the same time, not 10 sequential calls', async () => {
  const ids = all.slice(50, 550).map((u) => String(u.id));
  const { result, roundTrips } = await countRoundTrips(() => users().findBy({ id: In(ids) }));
  expect(sorted(result.map((u) => u.id))).toEqual(sorted(ids));
  const requests = h.requests();
  expect(requests.every((r) => r.startsWith('GET /users?limit=1000&filter=id eq '))).toBe(true);
  // 65 `id eq "<uuid>"` terms fit one 4096-character URL: 500 ids are 8 requests.
  expect(requests).toHaveLength(8);
  expect(roundTrips).toBe(1);
});

test('take with a condition PingOne cannot evaluate reads full pages and stops once enough rows pass', async () => {
  const times = all.map((u) => Date.parse(String(u.createdAt))).sort((a, b) => a - b);
  const cut = new Date(times[times.length - 2]); // two users are newer: somewhere in the 3 pages
  const { result, roundTrips } = await countRoundTrips(() => users().findOne({ where: { createdAt: MoreThan(cut) } }));
  expect(result).not.toBeNull();
  expect(result!.createdAt!.getTime()).toBeGreaterThan(cut.getTime());
  const order = all.map((u) => Date.parse(String(u.createdAt)) > cut.getTime());
  const pagesNeeded = Math.floor(order.indexOf(true) / 200) + 1;
  expect(h.requests()).toEqual(['GET /users?limit=1000', ...Array<string>(pagesNeeded - 1).fill('GET /users?limit=1000 (next page)')]);
  expect(roundTrips).toBe(pagesNeeded);
});

test('one user with groups and population: the memberships embed the groups, so three requests in all', async () => {
  const target = all.find((u) => h.sim.store.environment(h.sim.environmentId)!.memberships.directGroups?.(String(u.id))?.length) ?? all[3];
  const { result, roundTrips } = await countRoundTrips(() =>
    users().findOne({ where: { id: String(target.id) }, relations: { groups: true, population: true } }),
  );
  expect(result?.id).toBe(target.id);
  const requests = h.requests();
  // TypeORM's first statement (DISTINCT ids) needs the user only; the second reuses it (same operation, no write
  // since): its memberships, then its population with its groups. The memberships embed their groups
  // (expand=group), so the groups need no request of their own.
  expect(requests[0]).toBe(`GET /users/${String(target.id)}`);
  expect(requests.slice(1).sort()).toEqual([
    `GET /populations/${(target.population as { id: string }).id}`,
    `GET /users/${String(target.id)}/memberOfGroups?expand=group`,
  ]);
  const groups = result!.groups!;
  expect(groups.length).toBeGreaterThan(0);
  const stored = h.sim.store.environment(h.sim.environmentId)!.groups;
  for (const g of groups) expect(g.name).toBe(stored.get(g.id)!.data.name); // the embedded documents became the rows
  expect(roundTrips).toBe(1 + 2);
});

test('reads are shared by the statements a runner runs back to back (one TypeORM operation), not after a turn of the event loop, another runner or a write', async () => {
  const id = String(all[7].id);
  const distinct =
    'SELECT DISTINCT "distinctAlias"."User_id" AS "ids_User_id" FROM (SELECT "User"."id" AS "User_id" FROM "users" "User" WHERE "User"."id" = ?) "distinctAlias" ORDER BY "User_id" ASC LIMIT 1';
  const rows = 'SELECT "User"."id" AS "User_id", "User"."nickname" AS "User_nickname" FROM "users" "User" WHERE "User"."id" IN (?)';
  const runner = h.ds.createQueryRunner();
  const other = h.ds.createQueryRunner();
  const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
  const fetched = () => h.requests().filter((r) => r === `GET /users/${id}`).length;
  try {
    await runner.query(distinct, [id]);
    await runner.query('SELECT 1 AS one FROM "populations" "p" WHERE "p"."id" = ?', ['00000000-0000-4000-8000-000000000000']);
    expect(await runner.query(rows, [id])).toEqual([{ User_id: id, User_nickname: all[7].nickname ?? null }]);
    expect(fetched()).toBe(1); // read once by the first statement, then reused (another statement between, as TypeORM's relation loads send)
    await turn();
    h.reset();
    await runner.query(distinct, [id]);
    await turn(); // the application awaited something else: another operation
    await runner.query(rows, [id]);
    expect(fetched()).toBe(2);
    await turn();
    h.reset();
    await runner.query(distinct, [id]);
    await other.query(rows, [id]); // another runner: its own reads
    expect(fetched()).toBe(2);
    await turn();
    h.reset();
    await runner.query(distinct, [id]);
    await other.query('UPDATE "users" SET "nickname" = ? WHERE "id" = ?', ['handoff', id]);
    expect(await runner.query(rows, [id])).toEqual([{ User_id: id, User_nickname: 'handoff' }]); // a write on another runner: fetched again
    expect(fetched()).toBe(2);
  } finally {
    await runner.release();
    await other.release();
  }
});

test("findAndCount with groups: the count is of the users read whole by the first statement, memberships only for the page's users", async () => {
  const env = h.sim.store.environment(h.sim.environmentId)!;
  const {
    result: [rows, count],
    roundTrips,
  } = await countRoundTrips(() => users().findAndCount({ skip: 20, take: 10, relations: { groups: true } }));
  expect(count).toBe(all.length);
  const page = sorted(all.map((u) => u.id)).slice(20, 30);
  expect(sorted(rows.map((u) => u.id))).toEqual(page);
  for (const u of rows) expect(sorted(u.groups!.map((g) => g.id))).toEqual(sorted([...env.memberships.directGroups(u.id)]));
  const pageUsers = all.filter((u) => page.includes(String(u.id)));
  const populations = new Set(pageUsers.map((u) => (u.population as { id: string }).id));
  const candidates = [...env.groups.values()]
    .map((g) => g.data)
    .filter(
      (g) =>
        env.memberships.directMembers(String(g.id)).some((m) => env.users.has(m)) &&
        (g.population === undefined || populations.has((g.population as { id: string }).id)),
    );
  const requests = h.requests();
  // Statement 1 (ids ordered by id): every page of users, joins not fetched. Statement 2: the 10 users reused from
  // statement 1, all groups, then one request per group that can hold them (their ids ANDed in), fewer than one
  // per user. Statement 3, the count: the users statement 1 read whole, counted (no request).
  expect(requests.slice(0, 3)).toEqual(['GET /users?limit=1000', 'GET /users?limit=1000 (next page)', 'GET /users?limit=1000 (next page)']);
  expect(requests[3]).toBe('GET /groups?limit=1000');
  expect(candidates.length).toBeLessThan(10);
  expect(candidates.length).toBeGreaterThan(1);
  const narrowed = (g: Record<string, unknown>) =>
    expect.stringContaining(`memberOfGroups[id eq "${String(g.id)}" and type eq "DIRECT"] and (id eq `);
  // Narrowing a member list with the users' ids is a shape no source shows (weak): its first use is a probe sent
  // alone, the other groups' requests follow its answer (one round trip more, once per DataSource). The strict
  // PingOne refuses it: the groups' whole member lists follow instead, still fewer requests than one per user.
  const members = byMode({
    default: { first: narrowed, rest: narrowed },
    strict: {
      first: () => expect.stringMatching(/and type eq "DIRECT"\] and \(id eq /),
      rest: (g: Record<string, unknown>) => `GET /users?limit=1000&filter=memberOfGroups[id eq "${String(g.id)}" and type eq "DIRECT"]`,
    },
  });
  const pages = candidates.map((g) => Math.ceil(env.memberships.directMembers(String(g.id)).filter((m) => env.users.has(m)).length / 200));
  const listed = byMode({ default: candidates.length, strict: 1 + pages.reduce((a, b) => a + b, 0) });
  expect(requests[4]).toEqual(members.first(candidates[0]));
  expect(requests.slice(4, 4 + listed)).toEqual(expect.arrayContaining(candidates.map(members.rest)));
  // the count: the users were read whole by this operation's first statement, so no request
  expect(requests).toHaveLength(4 + listed);
  expect(roundTrips).toBe(3 + byMode({ default: 3, strict: 2 + Math.max(...pages) }));
});

test('a ManyToOne join read only through its key is not fetched: users of a population are its filtered pages', async () => {
  const population = (all[0].population as { id: string }).id;
  const { result, roundTrips } = await countRoundTrips(() => users().find({ where: { population: { id: population } } }));
  expect(sorted(result.map((u) => u.id))).toEqual(
    sorted(all.filter((u) => (u.population as { id: string }).id === population).map((u) => u.id)),
  );
  const pages = Math.ceil(result.length / 200);
  expect(h.requests()).toEqual([
    `GET /users?limit=1000&filter=population.id eq "${population}"`,
    ...Array<string>(pages - 1).fill(`GET /users?limit=1000&filter=population.id eq "${population}" (next page)`),
  ]);
  expect(roundTrips).toBe(pages);
});

test('a join on a column that is not a PingOne reference still fetches the joined rows', async () => {
  const id = String(all[9].id);
  await h.ds.query('UPDATE users SET externalId = ? WHERE id = ?', ['no-such-population', id]);
  h.reset();
  // externalId is no reference: the population must be looked up (none has that id), not assumed from the key.
  const rows = await h.ds.query('SELECT u.id FROM users u INNER JOIN populations p ON p.id = u.externalId WHERE u.id = ?', [id]);
  expect(rows).toEqual([]);
  expect(h.requests().some((r) => r.startsWith('GET /populations'))).toBe(true);
});

/** Every user with their groups: requests and round trips worked out from the directory's data. */
async function everyUserWithGroups(harness: DriverHarness) {
  const env = harness.sim.store.environment(harness.sim.environmentId)!;
  const everyone = [...env.users.values()].map((r) => String(r.data.id));
  const memberPages = [...env.groups.values()]
    .map((g) => env.memberships.directMembers(String(g.data.id)).filter((m) => env.users.has(m)).length)
    .filter((n) => n > 0)
    .map((n) => Math.ceil(n / 200));
  const { result, roundTrips } = await countRoundTrips(() => harness.ds.getRepository(User).find({ relations: { groups: true } }));
  expect(sorted(result.map((u) => u.id))).toEqual(sorted(everyone));
  for (const u of result) expect(sorted(u.groups!.map((g) => g.id))).toEqual(sorted([...env.memberships.directGroups(u.id)]));
  return { requests: harness.requests(), roundTrips, userPages: Math.ceil(everyone.length / 200), users: everyone.length, memberPages };
}

test("every user with their groups: the groups' member lists are read while the users' pages are, not after them", async () => {
  const { requests, roundTrips, userPages, memberPages } = await everyUserWithGroups(h);
  // Every user is read, so every membership is needed: all groups, then each non-empty group's member pages. They
  // need no user ids, so they start with the users' first page instead of after the last one.
  expect(requests.filter((r) => r.startsWith('GET /users?limit=1000') && !r.includes('filter='))).toHaveLength(userPages);
  expect(requests.filter((r) => r === 'GET /groups?limit=1000')).toHaveLength(1);
  expect(requests.filter((r) => r.includes('memberOfGroups['))).toHaveLength(memberPages.reduce((a, b) => a + b, 0));
  expect(requests).toHaveLength(userPages + 1 + memberPages.reduce((a, b) => a + b, 0));
  expect(roundTrips).toBe(Math.max(userPages, 1 + Math.max(...memberPages)));
  expect(roundTrips).toBeLessThan(userPages + 1 + Math.max(...memberPages));
});

test('every user with their groups in a directory of few users: asking each user is fewer requests, so the users are waited for', async () => {
  const small = await startDriver({ seed: 'demo', users: 3 });
  try {
    const { requests, roundTrips, userPages, users: n, memberPages } = await everyUserWithGroups(small);
    expect(memberPages.length).toBeGreaterThan(n); // more member lists than users: per user is cheaper
    // The groups are listed while the users are read; then one request per user.
    expect(requests.filter((r) => /^GET \/users\/[^/]+\/memberOfGroups/.test(r))).toHaveLength(n);
    expect(requests).toHaveLength(userPages + 1 + n);
    expect(roundTrips).toBe(userPages + 1);
  } finally {
    await small.close();
  }
});

describe('one read per TypeORM operation: the statements of one operation never send the same request twice', () => {
  const firstPages = (requests: readonly string[]) => requests.filter((r) => !r.endsWith('(next page)'));
  const operations: [string, () => Promise<unknown>][] = [
    ['findAndCount, skip and take with groups', () => users().findAndCount({ skip: 20, take: 10, relations: { groups: true } })],
    ['find, take with groups', () => users().find({ take: 10, relations: { groups: true } })],
    [
      'find, a where on the groups, take',
      () => users().find({ where: { groups: { name: 'Sales' } }, relations: { groups: true }, take: 10 }),
    ],
    [
      'findAndCount, a where on the groups, take',
      () => users().findAndCount({ where: { groups: { name: 'Sales' } }, relations: { groups: true }, take: 10 }),
    ],
    [
      'find, relations loaded by separate queries',
      () => users().find({ where: { type: 'Partner' }, relations: { groups: true, population: true }, relationLoadStrategy: 'query' }),
    ],
    [
      'Group findAndCount with users, skip and take',
      () => h.ds.getRepository(Group).findAndCount({ relations: { users: true }, take: 2, skip: 1 }),
    ],
    [
      'findAndCount with population and groups, ordered',
      () => users().findAndCount({ relations: { groups: true, population: true }, take: 25, order: { username: 'ASC' } }),
    ],
  ];
  test.each(operations)('%s', async (_name, run) => {
    await run();
    const requests = h.requests();
    expect(firstPages(requests)).toEqual([...new Set(firstPages(requests))]);
  });

  test('findAndCount costs what find costs: its COUNT is answered by what the other statements read', async () => {
    for (const where of [{}, { groups: { name: 'Sales' } }] as const) {
      await users().find({ where, relations: { groups: true }, take: 10 });
      const find = h.requests();
      await new Promise((resolve) => setImmediate(resolve));
      h.reset();
      const [rows, count] = await users().findAndCount({ where, relations: { groups: true }, take: 10 });
      expect(rows).toHaveLength(10);
      expect(count).toBe(
        where.groups
          ? new Set(
              all
                .filter((u) =>
                  [...h.sim.store.environment(h.sim.environmentId)!.memberships.directGroups(String(u.id))].some(
                    (g) => h.sim.store.environment(h.sim.environmentId)!.groups.get(g)?.data.name === 'Sales',
                  ),
                )
                .map((u) => u.id),
            ).size
          : all.length,
      );
      expect(h.requests()).toEqual(find);
      h.reset();
    }
  });

  test('relations loaded by separate queries: the users are read once, the memberships narrowed to them', async () => {
    const env = h.sim.store.environment(h.sim.environmentId)!;
    const { result, roundTrips } = await countRoundTrips(() =>
      users().find({ where: { type: 'Partner' }, relations: { groups: true, population: true }, relationLoadStrategy: 'query' }),
    );
    const partners = all.filter((u) => u.type === 'Partner');
    expect(sorted(result.map((u) => u.id))).toEqual(sorted(partners.map((u) => u.id)));
    for (const u of result) expect(sorted(u.groups!.map((g) => g.id))).toEqual(sorted([...env.memberships.directGroups(u.id)]));
    const requests = h.requests();
    expect(requests.filter((r) => r.startsWith('GET /users?limit=1000&filter=type eq "Partner"'))).toHaveLength(
      Math.ceil(partners.length / 200),
    );
    // No membership list is read whole: every one is narrowed to the partners (their ids, or their population).
    // The strict PingOne refuses that narrowing (a weakly sourced shape): after the refused probe, whole lists.
    const narrowed = (r: string) => /\] and \(?(id|population\.id) eq/.test(r);
    const memberLists = requests.filter((r) => r.includes('memberOfGroups['));
    expect(memberLists.filter((r) => !narrowed(r))).toEqual(
      byMode({ default: [], strict: expect.arrayContaining([expect.stringMatching(/type eq "DIRECT"\]$/)]) }),
    );
    // the probe, refused (none when this DataSource learned the refusal in an earlier test)
    const probes = strictSimulator ? memberLists.filter(narrowed).length : 0;
    expect(probes).toBeLessThanOrEqual(1);
    // The partners; then the groups and the population (the relation statements run at the same time); then the
    // memberships, narrowed to the partners (strict: the refused probe, then the whole lists, the longest of several pages).
    const longest = Math.max(
      0,
      ...memberLists
        .filter((r) => !narrowed(r) && !r.endsWith('(next page)'))
        .map((first) => memberLists.filter((r) => r.startsWith(first)).length),
    );
    expect(roundTrips).toBe(byMode({ default: 3, strict: 2 + probes + longest }));
  });
});
