import fc from 'fast-check';
import { expectSqliteAnswer, startDifferential, type Differential } from './differential-harness';
import { generatedQuery, partitionedPredicate, type GeneratedQuery } from './sql-generators';

/**
 * The driver's local SQL engine against SQLite on generated statements, and SQLancer's ternary logic partitioning.
 * Seeded: a failure prints the statement and replays with the same seed. Most statements run through the local
 * engine over the fetched rows; a sample runs end to end through PingOneDataSource.query() and the simulator.
 */
const SEED = 20261201;
const LOCAL_RUNS = 6500;
const REMOTE_RUNS = 500;

let d: Differential;
beforeAll(async () => {
  d = await startDifferential();
}, 60_000);
afterAll(async () => {
  await d?.close();
});

const compare = (q: GeneratedQuery, mine: () => unknown) => expectSqliteAnswer(d, q, mine);

test(`${LOCAL_RUNS} generated SELECTs: the local engine returns SQLite's rows`, async () => {
  await fc.assert(
    fc.asyncProperty(generatedQuery, (q) => compare(q, () => d.local(q.sql, q.params))),
    { seed: SEED, numRuns: LOCAL_RUNS },
  );
}, 300_000);

test(`${REMOTE_RUNS} generated SELECTs end to end (pushdown to the simulator, then the local re-check) return SQLite's rows`, async () => {
  await fc.assert(
    fc.asyncProperty(generatedQuery, (q) => compare(q, () => d.driver.query(q.sql, [...q.params]))),
    { seed: SEED + 1, numRuns: REMOTE_RUNS },
  );
}, 300_000);

test('ternary logic partitioning: |all| = |p| + |NOT p| + |p IS NULL|, on the driver and on SQLite', async () => {
  const count = async (run: (sql: string, params: unknown[]) => unknown, where: string, params: unknown[]) =>
    Number(((await run(`SELECT COUNT(*) AS "n" FROM "users" u${where}`, params)) as { n: number }[])[0].n);
  await fc.assert(
    fc.asyncProperty(partitionedPredicate, async (p) => {
      for (const run of [(s: string, ps: unknown[]) => d.local(s, ps), (s: string, ps: unknown[]) => d.oracle.query(s, ps)]) {
        const all = await count(run, '', []);
        const parts = await Promise.all(
          [` WHERE (${p.sql})`, ` WHERE NOT (${p.sql})`, ` WHERE (${p.sql}) IS NULL`].map((w) => count(run, w, [...p.params])),
        );
        expect({ predicate: p.sql, params: p.params, sum: parts[0] + parts[1] + parts[2] }).toEqual({
          predicate: p.sql,
          params: p.params,
          sum: all,
        });
      }
    }),
    { seed: SEED + 2, numRuns: 700 },
  );
}, 300_000);

test("the statements from the local-SQL issue give SQLite's answers, through the driver end to end", async () => {
  const statements: [string, unknown[]][] = [
    ['SELECT COUNT(DISTINCT "type") AS "n" FROM "users"', []],
    ['SELECT MIN("username"), MAX("username"), COUNT(*) FROM "users"', []],
    ['SELECT MIN("createdAt") AS "a", MAX("createdAt") AS "b", SUM("enabled") AS "s", AVG("enabled") AS "v" FROM "users"', []],
    ['SELECT COUNT(*) AS "n" FROM "users" WHERE NOT ("nickname" = ?)', ['ace']],
    ['SELECT COUNT(*) AS "n" FROM "users" WHERE "nickname" NOT IN (?)', ['x']],
    ['SELECT COUNT(*) AS "n" FROM "users" WHERE NOT ("nickname" LIKE ?)', ['x%']],
    ['SELECT "id" FROM "users" WHERE "nickname" LIKE ? ORDER BY "id"', ['%\\d%']],
    ['SELECT "id" FROM "users" WHERE "nickname" LIKE ? ORDER BY "id"', ['x[y]']],
    ['SELECT "id" FROM "users" WHERE "nickname" LIKE ? ORDER BY "id"', ['__proto__']],
    ['SELECT "id" FROM "users" WHERE "nickname" LIKE ? ORDER BY "id"', ['%[z-a%']],
    ['SELECT "id" FROM "users" WHERE "nickname" LIKE ? ORDER BY "id"', ['%%%%%%%%%%!']],
    ['SELECT "id" FROM "users" WHERE "nickname" LIKE ? ESCAPE ? ORDER BY "id"', ['b!_c', '!']],
    ['SELECT "title", COUNT(*) AS "n" FROM "users" GROUP BY "title" ORDER BY "title"', []],
    ['SELECT "nickname" FROM "users" ORDER BY "nickname" DESC, "id"', []],
    ['SELECT "id" FROM "users" WHERE "title" > 5 ORDER BY "id"', []],
    ['SELECT "id" FROM "users" WHERE "enabled" = ? ORDER BY "id"', ['1']],
  ];
  for (const [sql, params] of statements) await compare({ sql, params, ordered: /ORDER BY/.test(sql) }, () => d.driver.query(sql, params));
  const { User } = await import('../../src/index.js');
  const repo = (ds: typeof d.oracle) => ds.getRepository(User);
  expect(await repo(d.driver).count({ select: { name: { given: true } } })).toBe(
    await repo(d.oracle).count({ select: { name: { given: true } } }),
  );
  // TypeORM types maximum()/minimum() for numeric properties only; it runs them on any column, as here
  expect(await repo(d.driver).maximum('createdAt' as never)).toBe(await repo(d.oracle).maximum('createdAt' as never));
  expect(await repo(d.driver).minimum('nickname' as never)).toBe(await repo(d.oracle).minimum('nickname' as never));
});

test('joins of one shape, by equality and by another ON test, one after the other: each runs its own condition', async () => {
  // the compiled join of a shape was once shared between an equi-join (hash index) and an ON test of the same shape
  const statements = [
    'SELECT u."id" AS "id", g."name" AS "grp" FROM "users" u JOIN "groups" g ON g."id" = u."populationId" ORDER BY u."id", g."name"',
    'SELECT u."id" AS "id", g."name" AS "grp" FROM "users" u JOIN "groups" g ON INSTR(g."name", u."nickname") > 0 ORDER BY u."id", g."name"',
    'SELECT u."id" AS "id", g."name" AS "grp" FROM "users" u JOIN "groups" g ON g."name" > u."nickname" ORDER BY u."id", g."name"',
    'SELECT u."id" AS "id", g."name" AS "grp" FROM "users" u JOIN "groups" g ON g."id" = u."populationId" ORDER BY u."id", g."name"',
  ];
  for (const sql of statements) await compare({ sql, params: [], ordered: true }, () => d.local(sql, []));
});
