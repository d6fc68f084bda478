import { startDriver, type DriverHarness } from './helpers/driver-harness';
import { quoteText } from './helpers/sql-text';
import { statementFailure } from './helpers/statement-failure';
import { Group, User as ReadyUser } from '../src';

/*
 * The sealed SQL front end's bounds (issue 23): SQLite's lexing decides what is text, and no statement (however deep,
 * long or wide) can exhaust the process; what is too large is refused before it is read, naming the limit.
 */
let h: DriverHarness;
beforeEach(async () => {
  h = await startDriver({ seed: 'demo', users: 50 });
});
afterEach(() => h.close());

const users = () => h.ds.getRepository(ReadyUser);
const directory = () => h.sim.store.environment(h.sim.environmentId)!;

test("SQLite's lexing: '\\' is one backslash, comments and 'on conflict' in text decide nothing, NUL is refused", async () => {
  expect(await h.ds.query(`SELECT LENGTH('\\') AS "n", 'a\\' || 'b' AS "s"`)).toEqual([{ n: 1, s: 'a\\b' }]);
  expect(await h.ds.query(`SELECT COUNT(*) AS "n" FROM "users" WHERE "nickname" = 'on conflict' -- ON CONFLICT DO NOTHING`)).toEqual([
    { n: 0 },
  ]);
  expect(await h.ds.query(`/* ON CONFLICT */ SELECT COUNT(*) AS "n" FROM "users"`)).toEqual([{ n: 50 }]);
  const created = await h.ds.createQueryBuilder().insert().into(Group).values({ name: 'Imported' }).comment('import').execute();
  expect(created.identifiers).toHaveLength(1);
  h.reset();
  expect(await statementFailure(() => h.ds.query('SELECT "id" FROM "users" WHERE "username" = \'a\u0000b\''))).toMatchObject({
    code: 'SQL_ERROR',
    message: expect.stringMatching(/NUL character/),
  });
  expect(h.requests()).toEqual([]);
});

// ── a bounded front end ──

test('deep nesting is refused at once naming the limit; long NOT runs and OR chains are answered', async () => {
  const deep = `SELECT COUNT(*) AS "n" FROM "users" WHERE ${'('.repeat(20_000)}1 = 1${')'.repeat(20_000)}`;
  expect(await statementFailure(() => h.ds.query(deep))).toMatchObject({
    code: 'STATEMENT_TOO_COMPLEX',
    message: expect.stringMatching(/1000.*sqlLimits\.maxExpressionDepth/),
  });
  // a raised limit past what the JavaScript stack can read: refused the same way, naming the stack, not the option
  const { parseSql } = await import('../src/sql/sql-engine.js');
  const { DEFAULT_SQL_LIMITS } = await import('../src/sql/statement-limits.js');
  expect(() => parseSql(deep, { ...DEFAULT_SQL_LIMITS, maxExpressionDepth: 100_000 })).toThrow(
    expect.objectContaining({ code: 'STATEMENT_TOO_COMPLEX', message: expect.stringMatching(/JavaScript stack.*--stack-size/) }),
  );
  expect(await h.ds.query(`SELECT COUNT(*) AS "n" FROM "users" WHERE ${'NOT '.repeat(20_001)}("username" = 'nobody')`)).toEqual([
    { n: 50 },
  ]);
  const names = [...directory().users.values()].map((u) => String(u.data.username));
  const wanted = Array.from({ length: 5000 }, (_, i) => (i % 100 === 0 ? names[(i / 100) % names.length] : `nobody${i}`));
  const or = wanted.map((n) => `"username" = ${quoteText(n)}`).join(' OR ');
  expect(await h.ds.query(`SELECT COUNT(*) AS "n" FROM "users" WHERE ${or}`)).toEqual([
    { n: new Set(wanted.filter((w) => names.includes(w))).size },
  ]);
  expect(await statementFailure(() => h.ds.query(`SELECT ${'1 + '.repeat(2000)}1 AS "n"`))).toMatchObject({
    code: 'STATEMENT_TOO_COMPLEX',
  });
  expect(h.requests().length).toBeGreaterThan(0);
});

test('findBy() with 1,000, 2,000 and 10,000 objects (one OR chain from TypeORM) is answered', async () => {
  const all = [...directory().users.values()].map((u) => u.data);
  for (const n of [1000, 2000, 10_000]) {
    const where = Array.from({ length: n }, (_, i) => ({
      username: i < all.length ? String(all[i].username) : `nobody${i}`,
      enabled: Boolean(all[i % all.length].enabled),
    }));
    const expected = all.filter((u, i) => Boolean(u.enabled) === Boolean(all[i % all.length].enabled)).length;
    expect({ n, found: (await users().findBy(where)).length }).toEqual({ n, found: expected });
  }
}, 120_000);

test('a statement longer than sqlLimits.maxStatementLength is refused before it is read; the parse cache stays within its bytes', async () => {
  const { cacheSizes } = await import('../src/sql/sql-engine.js');
  for (let i = 0; i < 30; i++) {
    const list = Array.from({ length: 20_000 }, (_, j) => `'v${i}_${j}'`).join(', ');
    await h.ds.query(`SELECT COUNT(*) AS "n" FROM "users" WHERE "nickname" IN (${list})`);
    const sizes = cacheSizes();
    expect(sizes.parsedBytes).toBeLessThanOrEqual(sizes.parseBudgetBytes);
  }
  const small = await startDriver({ seed: 'demo', users: 3 }, { sqlLimits: { maxStatementLength: 1000 } });
  try {
    expect(
      await statementFailure(() => small.ds.query(`SELECT "id" FROM "users" WHERE "nickname" IN (${"'x', ".repeat(300)}'y')`)),
    ).toMatchObject({
      code: 'STATEMENT_TOO_COMPLEX',
      message: expect.stringMatching(/sqlLimits\.maxStatementLength/),
    });
  } finally {
    await small.close();
  }
}, 120_000);

// ── TypeORM's documented constructs ──
