import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { In, Like, Not } from 'typeorm';
import { User } from '../src';
import { cacheSizes } from '../src/sql/sql-engine';
import { statementFailure } from './helpers/statement-failure';
import { startDriver, type DriverHarness } from './helpers/driver-harness';

/**
 * Every row of the local-SQL issue's table, as a regression test: nothing but SQL reaches alasql, names are resolved,
 * and answers are SQLite's (with PingOne's case rule for username/email).
 */
let h: DriverHarness;
let dir: string;
beforeEach(async () => {
  h = await startDriver({ seed: 'demo', users: 100 });
  dir = mkdtempSync(join(tmpdir(), 'p1-sql-'));
});
afterEach(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

test("alasql's JavaScript, @variables, JSON literals and statements beyond SQL are refused before any request, naming what was written", async () => {
  // Each is read by the driver's own SQLite parser: alasql never sees the text, so none of it can run code.
  const cases: [string, RegExp][] = [
    ['SELECT ``process.version`` AS v FROM users LIMIT 1', /could not be parsed at line 1, column 17/],
    ["SELECT ``require('child_process').execSync('id')`` AS v FROM users", /could not be parsed/],
    ['SELECT @x AS v FROM users', /named parameter @x/],
    ['SELECT {a: 1} AS v FROM users', /unrecognized token "\{"/],
    ['SELECT VALUE username FROM users', /no such column: VALUE/],
    ['SELECT username FROM users WHERE username -> length > 1', /JSON operator ->/],
    ['SELECT NOW() AS v FROM users', /no such function: NOW\(\)/],
    ['SELECT username FROM users WHERE username REGEXP ?', /operator REGEXP/],
    ['SELECT username FROM users WHERE username ILIKE ?', /operator ILIKE.*UPPER\(x\) LIKE UPPER/],
    ['SHOW TABLES', /SHOW statements have no PingOne equivalent/],
    ['CREATE TABLE x (a INT)', /CREATE statements have no PingOne equivalent/],
    ['DROP TABLE users', /DROP statements have no PingOne equivalent/],
    ['SELECT username FROM users UNION SELECT name FROM groups', /UNION \(compound SELECT\)/],
  ];
  for (const [sql, construct] of cases) {
    const error = await statementFailure(() => h.ds.query(sql, ['x'])).catch((e: Error) => ({
      code: `no error: ${e.message}`,
      message: '',
    }));
    expect({
      sql,
      refused: ['SQL_ERROR', 'UNSUPPORTED_STATEMENT'].includes(error.code ?? ''),
      construct: construct.test(error.message),
      internals: /alasql|queriesidx|WithSelect|yy\./i.test(error.message),
    }).toEqual({ sql, refused: true, construct: true, internals: false });
  }
  expect(h.requests()).toEqual([]);
});

test('INTO and file/URL table functions are refused in every position, and nothing is written', async () => {
  const file = join(dir, 'x.json');
  const statements = [
    `SELECT * INTO JSON('${file}') FROM users`,
    `SELECT * FROM JSON('${file}')`,
    `SELECT * FROM CSV('${file}')`,
    `SELECT * FROM users WHERE id IN (SELECT id INTO JSON('${file}') FROM users)`,
    `EXPLAIN ANALYZE SELECT * INTO JSON('${file}') FROM users`,
    `SELECT * FROM ?`,
    `DELETE FROM users WHERE id IN (SELECT id FROM TXT('${file}'))`,
  ];
  for (const sql of statements) {
    const error = await statementFailure(() => h.ds.query(sql, [[{ a: 1 }]]));
    expect({ sql, refused: ['SQL_ERROR', 'UNSUPPORTED_STATEMENT'].includes(error.code ?? '') }).toEqual({ sql, refused: true });
  }
  expect(existsSync(file)).toBe(false);
  expect(h.requests()).toEqual([]);
});

test("username and email compare case-insensitively locally, as PingOne does: the re-check keeps PingOne's answer", async () => {
  const [first] = await h.ds.query<{ username: string; email: string }[]>('SELECT "username", "email" FROM "users" LIMIT 1');
  const repo = h.ds.getRepository(User);
  expect((await repo.findBy({ username: first.username.toUpperCase() })).map((u) => u.username)).toEqual([first.username]);
  expect((await repo.findBy({ email: In([first.email.toUpperCase()]) })).map((u) => u.email)).toEqual([first.email]);
});

test('NOT over NULL is NULL: Not(In), Not(Like) and raw NOT drop rows whose value is NULL (three-valued logic)', async () => {
  const repo = h.ds.getRepository(User);
  expect(await repo.countBy({ nickname: Not(In(['x'])) })).toBe(0);
  expect(await repo.countBy({ nickname: Not(Like('x%')) })).toBe(0);
  expect(await h.ds.query(`SELECT "id" FROM "users" WHERE NOT ("nickname" = 'x')`)).toEqual([]);
  expect(await h.ds.query(`SELECT COUNT(*) AS "n" FROM "users" WHERE "nickname" NOT IN ('x', NULL)`)).toEqual([{ n: 0 }]);
});

test("COUNT(DISTINCT …) is counted, never answered by PingOne's total; MIN/MAX/COUNT columns are all there", async () => {
  const types = new Set((await h.ds.query<{ type: string }[]>('SELECT "type" FROM "users"')).map((r) => r.type));
  h.reset();
  expect(await h.ds.query('SELECT COUNT(DISTINCT "type") AS "n" FROM "users"')).toEqual([{ n: types.size }]);
  expect(h.requests().some((r) => r.includes('limit=1&') || r.endsWith('limit=1'))).toBe(false);
  const usernames = (await h.ds.query<{ username: string }[]>('SELECT "username" FROM "users"')).map((r) => r.username).sort();
  expect(await h.ds.query('SELECT MIN("username"), MAX("username"), COUNT(*) FROM "users"')).toEqual([
    { 'MIN("username")': usernames[0], 'MAX("username")': usernames.at(-1), 'COUNT(*)': 100 },
  ]); // SQLite's names: the source text
  const newest = (await h.ds.query<{ createdAt: string }[]>('SELECT "createdAt" FROM "users" ORDER BY "createdAt" DESC LIMIT 1'))[0]
    .createdAt;
  // TypeORM reads aggregate results as numbers on every driver (sqljs gives the same 2024 for a date text)
  expect(await h.ds.getRepository(User).maximum('createdAt' as never)).toBe(Number.parseFloat(newest));
});

test('unknown columns are errors that list the columns, and a DELETE naming one deletes nothing', async () => {
  const read = await statementFailure(() => h.ds.query(`SELECT "id" FROM "users" WHERE "nosuch" = 'x'`));
  expect(read).toMatchObject({ code: 'SQL_ERROR', message: expect.stringMatching(/no such column: nosuch.*users: id, username/) });
  const before = await h.ds.getRepository(User).count();
  h.reset();
  const del = await statementFailure(() => h.ds.query('DELETE FROM "users" WHERE "nosuch" IS NULL'));
  expect(del).toMatchObject({ code: 'SQL_ERROR', message: expect.stringMatching(/no such column: nosuch/) });
  expect(h.requests()).toEqual([]);
  expect(await h.ds.getRepository(User).count()).toBe(before);
  expect(await statementFailure(() => h.ds.query('SELECT u."id" FROM "users" u WHERE x."id" = 1'))).toMatchObject({
    message: expect.stringMatching(/no such table or alias: x/),
  });
});

test('LIKE has only % and _ as wildcards (ESCAPE supported), matches ASCII case-insensitively and never backtracks', async () => {
  const repo = h.ds.getRepository(User);
  for (const pattern of ['%\\d%', '[ab]%', '__proto__', '%[z-a%', '%%%%%%%%%%!'])
    expect({ pattern, n: await repo.countBy({ username: Like(pattern) }) }).toEqual({ pattern, n: 0 });
  expect(await repo.countBy({ username: Like('%.%.%') })).toBe(100);
  expect(
    await h.ds.query(
      `SELECT COUNT(*) AS "n" FROM "users" WHERE 'a_b' LIKE 'a!_b' ESCAPE '!' AND 'axb' NOT LIKE 'a!_b' ESCAPE '!' AND 'ABC' LIKE 'abc'`,
    ),
  ).toEqual([{ n: 100 }]);
});

test("a missing parameter, INSERT … SELECT and TypeORM's own invalid SQL are errors, not empty results", async () => {
  expect(await statementFailure(() => h.ds.query('SELECT "id" FROM "users" WHERE "username" = ? AND "email" = ?', ['x']))).toMatchObject({
    code: 'SQL_ERROR',
    message: expect.stringMatching(/parameter 2.*only 1/),
  });
  expect(await statementFailure(() => h.ds.query('INSERT INTO "users" ("username") SELECT "name" FROM "groups"'))).toMatchObject({
    code: 'UNSUPPORTED_STATEMENT',
  });
  expect(
    await statementFailure(() =>
      h.ds.query(
        'SELECT DISTINCT "distinctAlias"."User_id" AS "ids_User_id" FROM (SELECT "User"."id" AS "User_uuid" FROM "users" "User") "distinctAlias"',
      ),
    ),
  ).toMatchObject({ code: 'SQL_ERROR', message: expect.stringMatching(/no such column: distinctAlias\.User_id/) });
  expect(await statementFailure(() => h.ds.query('SELEKT nonsense'))).toMatchObject({
    code: 'SQL_ERROR',
    message: expect.stringMatching(/line 1/),
  });
  expect(
    await statementFailure(() =>
      h.ds.query(`INSERT INTO "users" ("username") VALUES ('a') ON CONFLICT ("username") DO UPDATE SET "username" = 'b'`),
    ),
  ).toMatchObject({ message: expect.stringMatching(/upsert/) });
});

test('thousands of distinct LIKE patterns and IN lists leave no cache behind', async () => {
  // One query first: the DataSource's long-lived local database is created once, on first use.
  await h.ds.query(`SELECT "id" FROM "users" WHERE "username" LIKE '%warm%'`);
  const before = cacheSizes();
  for (let i = 0; i < 600; i++)
    await h.ds.query(`SELECT "id" FROM "users" WHERE "username" LIKE '%${i}x%' AND "title" IN ('a${i}', 'b${i}')`);
  const after = cacheSizes();
  expect(after.databases).toBe(before.databases);
  expect(after.alasqlDatabases).toBe(before.alasqlDatabases);
  expect(after.alasqlSqlCache).toBe(before.alasqlSqlCache);
  expect(after.compiled).toBe(before.compiled);
  expect(after.parsedBytes).toBeLessThanOrEqual(after.parseBudgetBytes);
});
