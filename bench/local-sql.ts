/**
 * The local SQL layer: LIKE with the driver's matcher against alasql's own regular-expression LIKE (which the driver
 * no longer uses), and the throughput of the local engine on the differential suite's kind of statements. One run;
 * figures are printed, never asserted.
 *   node -r ts-node/register bench/local-sql.ts
 */
import { like } from '../packages/typeorm-pingone/dist/sql/sqlite-like';
import { checkNames, parseSql, runLocal } from '../packages/typeorm-pingone/dist/sql/sql-engine';
import { DEFAULT_SQL_LIMITS } from '../packages/typeorm-pingone/dist/sql/statement-limits';
// alasql's own LIKE, for the "before" figure: loaded from the driver's dependency, as the driver did until now
// eslint-disable-next-line @typescript-eslint/no-require-imports
const alasql = require('../packages/typeorm-pingone/node_modules/alasql') as {
  utils: { like(pattern: string, value: string, escape?: string): boolean };
};

function time(label: string, fn: () => number): void {
  const started = process.hrtime.bigint();
  const n = fn();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(`${label}: ${ms.toFixed(1)} ms (${n} matches)`);
}

const values = Array.from({ length: 100 }, (_, i) => `user.${i}.${'a'.repeat(20)}@example.com`);
// Each extra % doubles alasql's backtracking; 10 of them (the case) blocked the event loop for > 20 s, so the
// "before" column stops at 7 and the driver's matcher is also shown at 10 and 40.
for (const n of [3, 5, 7]) {
  const pattern = `${'%'.repeat(n)}!`;
  time(`alasql LIKE '${pattern}' over 100 values`, () => values.filter((v) => alasql.utils.like(pattern, v)).length);
  time(`driver LIKE '${pattern}' over 100 values`, () => values.filter((v) => like(v, pattern, undefined, 'ascii') === 1).length);
}
for (const n of [10, 40]) {
  const pattern = `${'%'.repeat(n)}!`;
  time(`driver LIKE '${pattern}' over 100 values`, () => values.filter((v) => like(v, pattern, undefined, 'ascii') === 1).length);
}
const long = 'ab'.repeat(5000);
time(
  "driver LIKE '%a%b%a%b%…(50 segments)%z' over one 10,000-character value",
  () => like(long, `${'%a%b'.repeat(25)}%z`, undefined, 'ascii') ?? 0,
);

const columns = ['id', 'username', 'nickname', 'type', 'enabled'].map((name) => ({
  name,
  affinity: name === 'enabled' ? ('numeric' as const) : ('text' as const),
  caseInsensitive: name === 'username',
}));
const rows = Array.from({ length: 1000 }, (_, i) => ({
  id: String(i),
  username: `User${i}`,
  nickname: i % 3 ? null : `n${i % 7}`,
  type: ['Employee', 'Contractor', null][i % 3],
  enabled: i % 2,
}));
const tables = new Map([['users', { columns, rows }]]);
const statements = [
  `SELECT u."id" FROM "users" u WHERE NOT (u."nickname" = 'n1') ORDER BY u."username" LIMIT 20`,
  `SELECT u."type" AS t, COUNT(*) AS n, COUNT(DISTINCT u."nickname") AS d, MAX(u."username") AS m FROM "users" u GROUP BY u."type" ORDER BY t`,
  `SELECT u."id" FROM "users" u WHERE u."username" LIKE '%9%' AND u."type" IN ('Employee', NULL)`,
];
for (const sql of statements) {
  const parsed = parseSql(sql);
  const runs = 200;
  const started = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) runLocal(parsed, [], tables);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(`local engine over 1,000 rows: ${(runs / (ms / 1000)).toFixed(0)} statements/s  ${sql.slice(0, 70)}…`);
}

// Planning time of the front end (parse + bind), the cases: TypeORM's findBy of n { username, enabled }
// objects is one OR chain; nested parentheses are refused past the depth limit (STATEMENT_TOO_COMPLEX).
const userTables = new Map([['users', columns]]);
const plan = (label: string, sql: string, params: unknown[], limits = DEFAULT_SQL_LIMITS) => {
  const started = process.hrtime.bigint();
  let outcome = 'planned';
  try {
    checkNames(parseSql(sql, limits), params, userTables);
  } catch (error) {
    outcome = (error as { code?: string }).code ?? 'error';
  }
  console.log(`plan ${label}: ${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(1)} ms (${outcome})`);
};
for (const n of [100, 1000, 10_000]) {
  const where = Array.from({ length: n }, () => '("User"."username" = ? AND "User"."enabled" = ?)').join(' OR ');
  plan(
    `findBy of ${n} objects (${Math.round((where.length + 60) / 1024)} KB)`,
    `SELECT "User"."id" AS "User_id" FROM "users" "User" WHERE (${where})`,
    Array.from({ length: 2 * n }, (_, i) => (i % 2 ? 1 : `u${i}`)),
  );
}
for (const depth of [1000, 5000, 20_000]) {
  const sql = `SELECT "id" FROM "users" WHERE ${'('.repeat(depth)}"id" = ?${')'.repeat(depth)}`;
  plan(`${depth} nested parentheses`, sql, ['x']);
  plan(`${depth} nested parentheses, maxExpressionDepth ${depth * 2}`, sql, ['x'], {
    ...DEFAULT_SQL_LIMITS,
    maxExpressionDepth: depth * 2,
  });
}
