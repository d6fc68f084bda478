import 'reflect-metadata';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { IsNull, Not, type DataSource, type FindOptionsWhere } from 'typeorm';
import { demoSeed, startSimulator, type RunningSimulator } from '@typeorm-pingone/simulator';
import { User, type PingOneDataSource } from '../../src';
import { openDataSource } from '../helpers/driver-harness';
import { oracleOf } from './differential-harness';

/*
 * Three rows of issue 24, each compared with SQLite (TypeORM's sqljs driver) over the rows the driver reads:
 * LIMIT counts rows that passed the local condition, LIMIT 0 sends nothing, and a key list is split so that every
 * page's URL, cursor included, stays within the request-size budget. 600 demo users (3 pages), a nickname on every
 * third, and 60 long given names, so a join on name.given yields key lists longer than one URL and parts of several
 * pages.
 */
let sim: RunningSimulator;
let driver: PingOneDataSource;
let oracle: DataSource;

function seed() {
  const env = demoSeed({ users: 600 });
  const users = env.users!.map((u, i) => ({
    ...u,
    ...(i % 3 === 0 ? { nickname: `nick-${i}` } : {}),
    name: { ...(u.name as object), given: `Given-name-number-${i % 60}-${'x'.repeat(3 + ((i % 60) % 7))}` },
  }));
  return { environments: [{ ...env, users }] };
}

const open = (maxUrlLength?: number) => openDataSource(sim, {}, maxUrlLength ? { maxUrlLength } : {});

beforeAll(async () => {
  sim = await startSimulator({ seed: seed() });
  driver = await open();
  oracle = await oracleOf(driver);
}, 60_000);
afterAll(async () => {
  await oracle?.destroy();
  await driver?.destroy();
  await sim?.close();
});
beforeEach(() => sim.requests.clear());

const ids = (users: readonly User[]) => users.map((u) => u.id);
/** The position (0-based) of each user in PingOne's order: the page a row comes from. */
const order = () => [...sim.store.environment(sim.environmentId)!.users.values()].map((r) => String(r.data.id));

describe('LIMIT counts rows that passed the local condition', () => {
  test("find({ where: { nickname: IsNull() }, take: 37 }) gives SQLite's 37 rows, from the first page", async () => {
    const options = { where: { nickname: IsNull() }, take: 37 };
    const expected = ids(await oracle.getRepository(User).find(options));
    expect(expected).toHaveLength(37);
    expect(ids(await driver.getRepository(User).find(options))).toEqual(expected);
    // IS NULL is not pushed: full pages are read until 37 rows passed, here on the first one.
    expect(sim.requests.api()).toHaveLength(1);
  });

  // Conditions PingOne can't evaluate (or not exactly), alone or beside one it can: the rows and the pages read.
  const wheres: Record<string, FindOptionsWhere<User>> = {
    'nickname IS NULL': { nickname: IsNull() },
    'nickname IS NOT NULL': { nickname: Not(IsNull()) },
    'IS NULL and a pushed type': { nickname: IsNull(), type: 'Employee' },
    'IS NOT NULL and a pushed type': { nickname: Not(IsNull()), type: 'Contractor' },
  };
  test("any take and skip over conditions evaluated locally: SQLite's rows, and no page after the one that completed them", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.keys(wheres)),
        fc.integer({ min: 1, max: 260 }),
        fc.integer({ min: 0, max: 30 }),
        async (name, take, skip) => {
          const options = { where: wheres[name], take, skip };
          const expected = ids(await oracle.getRepository(User).find(options));
          sim.requests.clear();
          const actual = ids(await driver.getRepository(User).find(options));
          expect({ name, take, skip, actual }).toEqual({ name, take, skip, actual: expected });
          // Pages of 200 are read until skip + take rows passed (or the source ends): the last page holds the last row
          // wanted, unless fewer rows pass in all.
          const all = ids(await oracle.getRepository(User).find({ where: wheres[name] }));
          const positions = order();
          const last = all.length >= skip + take ? positions.indexOf(all[skip + take - 1]) : undefined;
          const pages = sim.requests.api().length;
          if (last === undefined) expect(pages).toBeGreaterThanOrEqual(1);
          else expect(pages).toBeLessThanOrEqual(Math.floor(last / 200) + 1);
        },
      ),
      { seed: 24_37, numRuns: 40 },
    );
  }, 120_000);
});

describe('LIMIT 0 answers with no request', () => {
  test("take(0), LIMIT 0 and LIMIT 0 OFFSET n: SQLite's empty answers, nothing sent to PingOne", async () => {
    const cases: [string, (ds: DataSource) => Promise<unknown[]>][] = [
      ['find take 0', (ds) => ds.getRepository(User).find({ take: 0 })],
      [
        'query builder limit(0)',
        (ds) => ds.getRepository(User).createQueryBuilder('u').where('u.type = :t', { t: 'Employee' }).limit(0).getMany(),
      ],
      ['LIMIT 0', (ds) => ds.query('SELECT "id" FROM "users" LIMIT 0')],
      ['COUNT(*) LIMIT 0', (ds) => ds.query('SELECT COUNT(*) AS "n" FROM "users" LIMIT 0')],
      [
        'LIMIT 0 OFFSET 5 with a join',
        (ds) =>
          ds.query(
            'SELECT u."id", g."name" FROM "users" u JOIN "group_memberships" m ON m."userId" = u."id" JOIN "groups" g ON g."id" = m."groupId" LIMIT 0 OFFSET 5',
          ),
      ],
    ];
    for (const [name, run] of cases) {
      const expected = await run(oracle);
      sim.requests.clear();
      expect({ name, rows: await run(driver) }).toEqual({ name, rows: expected });
      expect({ name, requests: sim.requests.api().length }).toEqual({ name, requests: 0 });
    }
  });
});

const join = 'SELECT COUNT(*) AS "n" FROM "users" u JOIN "users" v ON v."nameGiven" = u."nameGiven" AND v."id" <> u."id"';

describe('a key list is split so that every page fits the request-size budget, cursor included', () => {
  const url = (r: { path: string; query: Readonly<Record<string, string>> }) =>
    `${sim.url}${r.path}?${Object.entries(r.query)
      .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
      .join('&')}`;

  const check = async (ds: DataSource, budget: number) => {
    const [expected] = await oracle.query<{ n: number }[]>(join);
    sim.requests.clear();
    const [actual] = await ds.query<{ n: number }[]>(join);
    expect({ budget, n: Number(actual.n) }).toEqual({ budget, n: Number(expected.n) });
    const requests = sim.requests.api();
    expect({ budget, over: requests.filter((r) => url(r).length > budget).map(url) }).toEqual({ budget, over: [] });
    // The key list took several requests; whether some of its parts had later pages (their URLs carry the cursor).
    expect(requests.filter((r) => r.query.filter?.includes('name.given eq')).length).toBeGreaterThan(1);
    return requests.some((r) => r.query.filter?.includes('name.given eq') && r.query.cursor !== undefined);
  };

  test("a join on a non-key column with the default budget: SQLite's count, every request within the budget", async () => {
    expect(await check(driver, 4096)).toBe(true);
  });

  test('the same join under budgets from 1500 to 2400 characters (option maxUrlLength): never over the budget', async () => {
    // Where a part's first page just fits, its next page (the same URL with the cursor added) did not, somewhere
    // in this range: the parts now leave room for the cursor.
    let paged = 0;
    for (let budget = 1500; budget <= 2400; budget += 75) {
      const ds = await open(budget);
      try {
        if (await check(ds, budget)) paged++;
      } finally {
        await ds.destroy();
      }
    }
    expect(paged).toBeGreaterThan(5);
  }, 60_000);
});

describe('a cursor longer than the room left for it', () => {
  // PingOne documents no cursor length. A proxy in front of the simulator makes every next link 300 characters
  // longer (an extra parameter the simulator ignores), past the room the driver leaves: a part whose later page is
  // over the budget is read again as two halves of its key list.
  let proxy: Server;
  let through: PingOneDataSource;
  beforeAll(async () => {
    const target = new URL(sim.url);
    proxy = createServer((req, res) => {
      const forward = request(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: { ...req.headers, host: target.host } },
        (answer) => {
          const chunks: Buffer[] = [];
          answer.on('data', (c: Buffer) => chunks.push(c));
          answer.on('end', () => {
            const own = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
            const body = Buffer.concat(chunks)
              .toString('utf8')
              .split(sim.url)
              .join(own)
              .replace(/(cursor=[A-Za-z0-9_-]+)/g, `$1&pad=${'p'.repeat(300)}`);
            res.writeHead(answer.statusCode ?? 500, { ...answer.headers, 'content-length': Buffer.byteLength(body) });
            res.end(body);
          });
        },
      );
      req.pipe(forward);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const own = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    through = await openDataSource(
      sim,
      {},
      { apiUrl: sim.apiUrl.replace(sim.url, own), authUrl: sim.authUrl.replace(sim.url, own), maxUrlLength: 2400 },
    );
  });
  afterAll(async () => {
    await through?.destroy();
    await new Promise<void>((resolve) => proxy?.close(() => resolve()));
  });

  test("the join still answers as SQLite does, its parts' later pages over the budget read again in halves", async () => {
    const [expected] = await oracle.query<{ n: number }[]>(join);
    sim.requests.clear();
    const [actual] = await through.query<{ n: number }[]>(join);
    expect(Number(actual.n)).toBe(Number(expected.n));
    // Some part's first page was sent, then the same terms again in two smaller requests.
    const firsts = sim.requests
      .api()
      .filter((r) => r.query.filter?.includes('name.given eq') && r.query.cursor === undefined)
      .map((r) => r.query.filter);
    const halved = firsts.filter((f) => firsts.some((g) => g !== f && f.startsWith(g.slice(0, g.length / 2)) && g.length < f.length));
    expect(halved.length).toBeGreaterThan(0);
  });
});
