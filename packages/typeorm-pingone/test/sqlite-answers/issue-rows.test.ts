import { Group, User } from '../../src';
import { canonical, canonicalPairs, startDifferential, type Differential } from '../differential/differential-harness';

/*
 * Every row of the "every answer is SQLite's" issue (24) as a regression test: the statement runs on the driver (end
 * to end: pushdown to the simulator, then the local engine) and on SQLite (TypeORM's sqljs driver) over the same
 * rows, and the answers must be equal, names and values.
 */
let d: Differential;
beforeAll(async () => {
  d = await startDifferential();
}, 60_000);
afterAll(async () => {
  await d?.close();
});

async function same(sql: string, params: unknown[] = [], ordered = /ORDER BY/i.test(sql)): Promise<void> {
  let expected: string[] | string;
  try {
    expected = canonicalPairs(d.oraclePairs(sql, params), ordered);
  } catch (error) {
    expected = `error: ${(error as Error).message}`;
  }
  let actual: string[] | string;
  try {
    actual = canonical(await d.driver.query<Record<string, unknown>[]>(sql, params), ordered);
  } catch (error) {
    actual = `error: ${(error as Error).message}`;
  }
  if (typeof expected === 'string') expect({ sql, failed: typeof actual === 'string' }).toEqual({ sql, failed: true });
  else expect({ sql, rows: actual }).toEqual({ sql, rows: expected });
}

test('NULL from a missing match and NULL from an absent attribute are one group', async () => {
  await same(
    'SELECT g."description" AS "d", COUNT(*) AS "n" FROM "users" u LEFT JOIN "group_memberships" m ON m."userId" = u."id" LEFT JOIN "groups" g ON g."id" = m."groupId" GROUP BY 1 ORDER BY 1',
  );
  await same(
    'SELECT u."title", g."name", COUNT(*) AS "n" FROM "users" u LEFT JOIN "group_memberships" m ON m."userId" = u."id" LEFT JOIN "groups" g ON g."id" = m."groupId" GROUP BY u."title", g."name" ORDER BY 1, 2',
  );
});

test("comparisons between columns use the left operand's collation (then the right's), as SQLite chooses", async () => {
  for (const where of [
    'u."nickname" > u."username"',
    'u."title" > u."username"',
    'u."username" > u."nickname"',
    'u."externalId" BETWEEN u."username" AND \'zzz\'',
    'u."nickname" = u."username"',
    'u."username" = u."nickname"',
    'u."nickname" COLLATE NOCASE = u."username"',
    'u."username" = u."email" COLLATE BINARY',
    'u."title" IN (u."username", \'dr\')',
  ]) {
    await same(`SELECT COUNT(*) AS "n" FROM "users" u WHERE ${where}`);
  }
});

test("numbers: REAL and INTEGER kept apart, text read as SQLite reads it, SQLite's text for reals", async () => {
  for (const expr of [
    '1.0/2',
    '1/2',
    'CAST(100.0 AS TEXT)',
    "CAST('1e3' AS INTEGER)",
    "CAST('2e1' AS INT)",
    "'2e1' / 6",
    'CAST(1 AS TEXT) >= 5',
    'MAX(1, 2)',
    'MIN(3, 1, 2)',
    'CAST(1e20 AS INTEGER)',
    'LENGTH(1e100)',
    'CAST(1e21 AS TEXT)',
    "+ 'a'",
    "CAST('12abc' AS NUMERIC)",
    "CAST('1.5e2x' AS NUMERIC)",
    "CAST('  12  ' AS INTEGER)",
    '5 % 2.5',
    '7.5 % 2',
    '-7 / 2',
    "'5.0' + 1",
    "'5' + 1",
    '0.1 + 0.2',
    'CAST(0.1 + 0.2 AS TEXT)',
    'CAST(1/3.0 AS TEXT)',
    'CAST(2.5e-7 AS TEXT)',
    'ROUND(2.5)',
    'ROUND(-2.5)',
    'ROUND(1.2345, 2)',
    "ABS('-3x')",
    'ABS(-2.0)',
    "'a' || 1.0",
    'TYPEOF(1e3)',
    "TYPEOF(CAST('3.0' AS NUMERIC))",
    '9223372036854775807 + 1',
    '1 << 62',
    '5 & 3',
    '~5',
    'CAST(-3.7 AS INTEGER)',
    "SUBSTR('hello', -3)",
    "INSTR('hello', 'l')",
    "REPLACE('aaa', 'a', 'bb')",
    "IIF(0, 'y', 'n')",
    "COALESCE(NULL, 2.0) || ''",
    'NULLIF(1, 1.0)',
    "1 = '1'",
    "'abc' = 'ABC' COLLATE NOCASE",
    "'abc ' = 'abc' COLLATE RTRIM",
    '1 IS NOT DISTINCT FROM 1.0',
  ]) {
    await same(`SELECT ${expr} AS "v"`);
  }
});

test('aggregates inside any expression, in HAVING and ORDER BY, over nothing and over NULLs', async () => {
  await same(
    `SELECT 100 * SUM(CASE WHEN u."type" = 'Employee' THEN 1 ELSE 0 END) AS "a", SUM(CASE WHEN u."type" = 'Employee' THEN 1 ELSE 0 END) + 1 AS "b", 1 + COUNT(CASE WHEN u."title" IS NULL THEN 1 END) AS "c", MAX(u."username" || 'x') || '' AS "e" FROM "users" u`,
  );
  await same(
    `SELECT MIN('10' || NULL) AS "a", SUM(TRIM(NULL, ' ')) AS "b", COUNT(u."nickname" || '') AS "c", AVG(NULL) AS "d", TOTAL(u."title") AS "t", GROUP_CONCAT(u."title") IS NULL AS "g" FROM "users" u WHERE 0`,
  );
  await same('SELECT COUNT(*) * 1.0 / 7 AS "a", CAST(COUNT(*) AS REAL) / 7 AS "b", COUNT(*) / 2.0 AS "c" FROM "users"');
  await same('SELECT u."type", COUNT(*) / 2.0 AS "h" FROM "users" u GROUP BY u."type" ORDER BY u."type"');
  await same(
    `SELECT p."name", COUNT(*) AS "n" FROM "users" u JOIN "populations" p ON p."id" = u."populationId" GROUP BY p."name" HAVING COUNT('X') > 2.5 ORDER BY 1`,
  );
  await same(
    `SELECT p."name", COUNT(*) AS "n" FROM "users" u JOIN "populations" p ON p."id" = u."populationId" GROUP BY p."name" HAVING MIN(LENGTH('abc')) < 30 ORDER BY 1`,
  );
  await same(`SELECT u."locale", COUNT(*) AS "n" FROM "users" u GROUP BY u."locale" ORDER BY COUNT(TRIM(u."nickname", ' ')) DESC, 1`);
  await same(
    'SELECT p."name" AS "c0", p."name", COUNT(*) FROM "users" u JOIN "populations" p ON p."id" = u."populationId" GROUP BY "c0", p."name" ORDER BY 1',
  );
  await same('SELECT u."type", u."title", MAX(u."username") AS "m" FROM "users" u GROUP BY u."type" ORDER BY 1');
  // a sub-query's (or a parenthesized join's) repeated column names are SQLite's name:1, name:2
  await same(
    'SELECT * FROM (SELECT a."username", b."username", a."email" AS "USERNAME" FROM "users" a JOIN "users" b ON b."id" = a."id") ORDER BY 1',
  );
  await same(
    'SELECT x."username:1" FROM (SELECT a."username", b."username" FROM "users" a JOIN "users" b ON b."id" = a."id") x ORDER BY 1',
  );
});

test('scalar sub-queries, CURRENT_TIMESTAMP and WITH run as SQLite runs them', async () => {
  await same(`SELECT u."id", (SELECT COUNT(*) FROM "group_memberships" m WHERE m."userId" = u."id") AS "n" FROM "users" u ORDER BY u."id"`);
  await same(`SELECT u."id" FROM "users" u WHERE LENGTH(u."username") > (SELECT AVG(LENGTH(v."username")) FROM "users" v) ORDER BY u."id"`);
  await same('SELECT COUNT(*) AS "n" FROM "users" WHERE "createdAt" < CURRENT_TIMESTAMP AND "createdAt" < CURRENT_DATE');
  await same(
    `WITH t AS (SELECT "type" AS "k", COUNT(*) AS "n" FROM "users" GROUP BY "type") SELECT "k", "n" FROM t WHERE "n" > 1 ORDER BY "k"`,
  );
  const raw = await d.driver.getRepository(User).createQueryBuilder('u').where('u.createdAt < CURRENT_TIMESTAMP').getCount();
  expect(raw).toBe(await d.oracle.getRepository(User).createQueryBuilder('u').where('u.createdAt < CURRENT_TIMESTAMP').getCount());
});

test("a relation load with take and a where on a joined relation returns SQLite's entity", async () => {
  const options = { where: { population: { name: 'Staff' } }, order: { id: 'ASC' as const }, relations: { users: true } };
  const mine = await d.driver.getRepository(Group).findOne(options);
  const theirs = await d.oracle.getRepository(Group).findOne(options);
  expect(mine?.id).toBe(theirs?.id);
  expect(mine?.users?.map((u) => u.id).sort()).toEqual(theirs?.users?.map((u) => u.id).sort());
  const many = await d.driver
    .getRepository(User)
    .find({ where: { groups: { name: 'Admins' } }, relations: { groups: true }, order: { id: 'ASC' }, take: 3, skip: 1 });
  const oracleMany = await d.oracle
    .getRepository(User)
    .find({ where: { groups: { name: 'Admins' } }, relations: { groups: true }, order: { id: 'ASC' }, take: 3, skip: 1 });
  expect(many.map((u) => [u.id, u.groups?.map((g) => g.id).sort()])).toEqual(
    oracleMany.map((u) => [u.id, u.groups?.map((g) => g.id).sort()]),
  );
});

test('LIMIT and OFFSET take what SQLite converts losslessly to an integer, and refuse the rest', async () => {
  for (const [limit, offset] of [
    ['2.0', '1.0'],
    ["'2'", "' 1 '"],
    ['9223372036854775807', '0'],
    ['-1', '2'],
    ['2.5', '0'],
    ["'x'", '0'],
    ['NULL', '0'],
    ['2', '0.5'],
    ['1e1', '0'],
    ['CAST(3 AS REAL)', '0'],
  ]) {
    await same(`SELECT u."username" FROM "users" u ORDER BY u."username" LIMIT ${limit} OFFSET ${offset}`);
  }
});
