import fc from 'fast-check';
import { quoteName, quoteText } from './helpers/sql-text';
import { statementFailure } from './helpers/statement-failure';
import { startDriver, type DriverHarness } from './helpers/driver-harness';
import { User as ReadyUser } from '../src';

/*
 * The sealed SQL front end (issue 23): one parse decides everything about a statement, alasql compiles only names
 * the driver makes, and no value becomes code or an object key. Each row of the table is a test here; the
 * invariants are properties over generated input.
 */
let h: DriverHarness;
beforeEach(async () => {
  h = await startDriver({ seed: 'demo', users: 50 });
});
afterEach(() => h.close());

const users = () => h.ds.getRepository(ReadyUser);
const directory = () => h.sim.store.environment(h.sim.environmentId)!;

/** Every source of code alasql compiles while `run` runs (alasql builds its functions with `new Function`). */
async function compiledDuring(run: () => Promise<unknown>): Promise<string[]> {
  const sources: string[] = [];
  const original = globalThis.Function;
  globalThis.Function = new Proxy(original, {
    construct(target, args: string[]) {
      sources.push(args.join('\n'));
      return Reflect.construct(target, args);
    },
  });
  try {
    await run().catch(() => undefined);
  } finally {
    globalThis.Function = original;
  }
  return sources;
}

test('comments, quotes and spacing never change the rows a write targets: only the parsed WHERE', async () => {
  const before = { users: directory().users.size, memberships: await h.ds.query('SELECT COUNT(*) AS "n" FROM "group_memberships"') };
  const statements = [
    "DELETE FROM users -- don't\nWHERE nickname = 'nobody'",
    "DELETE FROM users /* it's */ WHERE nickname = 'nobody'",
    'DELETE FROM "users"WHERE nickname = \'nobody\'',
    "UPDATE users SET title = 'x' -- don't\nWHERE nickname = 'nobody'",
    "UPDATE \"users\"SET title = 'x' /* it's */ WHERE nickname = 'nobody'",
    "DELETE FROM group_memberships -- don't\nWHERE groupId = 'nope'",
  ];
  for (const sql of statements) {
    const result = (await h.ds.createQueryRunner().query(sql, [], true)) as { affected?: number };
    expect({ sql, affected: result.affected }).toEqual({ sql, affected: 0 });
  }
  expect({ users: directory().users.size, memberships: await h.ds.query('SELECT COUNT(*) AS "n" FROM "group_memberships"') }).toEqual(
    before,
  );
  expect(h.requests().filter((r) => !r.startsWith('GET'))).toEqual([]);
});

test('property: comment, whitespace, quoting and case variants of an UPDATE change exactly its one target', async () => {
  const all = [...directory().users.values()].map((u) => u.data);
  const target = all[7];
  const gap = fc.constantFrom(
    ' ',
    '\n',
    '\t',
    ' /* x */ ',
    " /* it's */ ",
    " -- don't\n",
    ' --\n',
    ' /*; WHERE 1=1 */ ',
    "\n-- WHERE username = 'other'\n",
  );
  const word = (w: string) => fc.constantFrom(w, w.toLowerCase(), `${w[0]}${w.slice(1).toLowerCase()}`);
  const name = (n: string) => fc.constantFrom(n, `"${n}"`, `\`${n}\``, `[${n}]`);
  let i = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.tuple(
        word('UPDATE'),
        gap,
        name('users'),
        gap,
        word('SET'),
        gap,
        name('title'),
        gap,
        gap,
        word('WHERE'),
        gap,
        name('username'),
        gap,
        gap,
      ),
      async ([update, g1, table, g2, set, g3, title, g4, g5, where, g6, username, g7, g8]) => {
        const value = `v${i++}`;
        const sql = `${update}${g1}${table}${g2}${set}${g3}${title}${g4}=${g5}'${value}'${g5}${where}${g6}${username}${g7}=${g8}'${String(target.username)}'`;
        h.reset();
        const result = (await h.ds.createQueryRunner().query(sql, [], true)) as { affected?: number };
        const writes = h.requests().filter((r) => !r.startsWith('GET'));
        expect({ sql, affected: result.affected, writes }).toEqual({ sql, affected: 1, writes: [`PATCH /users/${String(target.id)}`] });
        expect(directory().users.get(String(target.id))!.data.title).toBe(value);
      },
    ),
    { seed: 23, numRuns: 60 },
  );
}, 120_000);

// ── no user text becomes code ──

/** alasql's compiled functions (the row builder, `store | columns | iso`, is the driver's own, once per table). */
const alasqlSources = (sources: string[]) => sources.filter((s) => s.startsWith('p,params,alasql\n'));
/** Everything alasql may compile: driver calls with digits and driver names only. */
const DRIVER_CODE = [
  /^p,params,alasql\n(let|var) y;return (true|params\[0\]\.where\(p\)|params\[0\]\.(on|left)\[\d+\]\(p\)|params\[0\]\.right\[\d+\]\(p,p\['a\d+'\]\))$/,
  /^p,params,alasql\nvar y;var r=\{'r':\(y=params\[0\]\.each\(p\),y===y\?y:undefined\)\};return r$/,
];

// every character class that could close a quote or open code in generated JavaScript, after a marker
const hostile = fc
  .string({
    unit: fc.constantFrom(
      '\\',
      '"',
      "'",
      '`',
      '[',
      ']',
      '\n',
      '\r',
      '$',
      '{',
      '}',
      '*',
      '/',
      ';',
      '(',
      ')',
      '+',
      'é',
      '\u2028',
      '𝄞',
      ' ',
      '.',
      ',',
      'p',
      '0',
    ),
    minLength: 1,
    maxLength: 12,
  })
  .map((s) => `zq${s}`);

test('property: table aliases, column aliases, derived columns and literals of any characters never reach code alasql compiles', async () => {
  (globalThis as { __pwned?: unknown }).__pwned = undefined;
  const templates = [
    (a: string, c: string, lit: string) => `SELECT ${a}."username" AS ${c} FROM "users" ${a} WHERE ${a}."title" IS NOT ${lit} LIMIT 3`,
    (a: string, c: string, lit: string) =>
      `SELECT ${a}.${c} FROM (SELECT u."username" AS ${c} FROM "users" u WHERE u."username" <> ${lit}) ${a} ORDER BY ${a}.${c} LIMIT 3`,
    (a: string, c: string, lit: string) =>
      `SELECT ${a}."id", m."groupId" AS ${c} FROM "users" ${a} LEFT JOIN "group_memberships" m ON m."userId" = ${a}."id" AND m."groupId" <> ${lit} LIMIT 5`,
    (a: string, c: string, lit: string) =>
      `SELECT ${a}."type" AS ${c}, COUNT(*) AS "n" FROM "users" ${a} INNER JOIN "users" v ON v."type" = ${a}."type" WHERE ${a}."username" <> ${lit} GROUP BY ${a}."type"`,
  ];
  await fc.assert(
    fc.asyncProperty(hostile, hostile, hostile, fc.integer({ min: 0, max: templates.length - 1 }), async (alias, column, literal, t) => {
      const sql = templates[t](quoteName(alias), quoteName(column), quoteText(literal));
      let rows: Record<string, unknown>[] | undefined;
      const sources = await compiledDuring(async () => {
        rows = await h.ds.query<Record<string, unknown>[]>(sql);
      });
      expect({ sql, answered: rows !== undefined }).toEqual({ sql, answered: true });
      if (t === 0 || t === 1 || t === 3) expect(rows!.every((r) => Object.keys(r).includes(column))).toBe(true);
      for (const source of alasqlSources(sources)) {
        expect({ sql, source, driverCode: DRIVER_CODE.some((re) => re.test(source)), marker: source.includes('zq') }).toEqual({
          sql,
          source,
          driverCode: true,
          marker: false,
        });
      }
    }),
    { seed: 2323, numRuns: 150 },
  );
  expect((globalThis as { __pwned?: unknown }).__pwned).toBeUndefined();
}, 120_000);

test("the issue's exploits (aliases ending in a backslash, also through a string-built where) run no code", async () => {
  (globalThis as { __pwned?: unknown }).__pwned = undefined;
  const payload = "x\\'];globalThis.__pwned=1;//";
  const statements = [
    `SELECT [X\\].username FROM users [X\\] LIMIT 1`,
    `SELECT "a\\".username AS "a\\" FROM users "a\\" JOIN group_memberships m ON m.userId = "a\\".id LIMIT 1`,
    `SELECT d."c\\" FROM (SELECT username AS "c\\" FROM users) d WHERE d."c\\" <> '${payload.replace(/'/g, "''")}' LIMIT 1`,
  ];
  for (const sql of statements) {
    const sources = await compiledDuring(() => h.ds.query(sql));
    expect(alasqlSources(sources).every((s) => DRIVER_CODE.some((re) => re.test(s)))).toBe(true);
  }
  const q = "'] + (globalThis.__pwned = 1) + ['";
  const built = await h.ds
    .getRepository(ReadyUser)
    .createQueryBuilder('u')
    .leftJoin('u.groups', 'g')
    .where(`u.nickname = '${q.replace(/'/g, "''")}'`)
    .getMany();
  expect(built).toEqual([]);
  expect((globalThis as { __pwned?: unknown }).__pwned).toBeUndefined();
});

// ── values are never keys ──

test('directory values __proto__ and constructor group, join and come back as values; Object.prototype never changes', async () => {
  const before = Object.getOwnPropertyNames(Object.prototype).sort();
  const all = [...directory().users.values()].map((u) => u.data);
  await users().update(String(all[0].id), { type: '__proto__' });
  await users().update(String(all[1].id), { type: '__proto__' });
  await users().update(String(all[2].id), { type: 'constructor' });
  await users().update(String(all[3].id), { type: 'hasOwnProperty' });
  const types = [...directory().users.values()].map((u) => (u.data.type as string | undefined) ?? null);
  const expected = new Map<string | null, number>();
  for (const t of types) expected.set(t, (expected.get(t) ?? 0) + 1);
  const grouped = await h.ds.query<{ type: string | null; n: number }[]>('SELECT "type", COUNT(*) AS "n" FROM "users" GROUP BY "type"');
  expect(new Map(grouped.map((g) => [g.type, g.n]))).toEqual(expected);
  expect(grouped.find((g) => g.type === '__proto__')?.n).toBe(2);
  const joined = await h.ds.query<{ n: number }[]>('SELECT COUNT(*) AS "n" FROM "users" u JOIN "users" v ON v."type" = u."type"');
  expect(joined[0].n).toBe([...expected].filter(([t]) => t !== null).reduce((n, [, c]) => n + c * c, 0));
  const aliased = await h.ds.query<Record<string, unknown>[]>('SELECT "username" AS "__proto__" FROM "users" ORDER BY "username" LIMIT 2');
  expect(aliased.map((r) => Object.getOwnPropertyDescriptor(r, '__proto__')?.value)).toEqual(
    all
      .map((u) => String(u.username))
      .sort()
      .slice(0, 2),
  );
  expect(aliased.every((r) => Object.getPrototypeOf(r) === Object.prototype)).toBe(true);
  const distinct = await h.ds.query<Record<string, unknown>[]>('SELECT DISTINCT "type" AS "__proto__" FROM "users"');
  expect(distinct.map((r) => Object.getOwnPropertyDescriptor(r, '__proto__')?.value).sort()).toEqual([...expected.keys()].sort());
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
  expect(({} as Record<string, unknown>)['COUNT(*)']).toBeUndefined();
  // TypeORM keeps working afterwards (a poisoned prototype broke every later call)
  expect(await users().count()).toBe(50);
});

// ── LIKE … ESCAPE ──

test('LIKE … ESCAPE is honoured in the pushed filter and in the local check', async () => {
  const all = [...directory().users.values()].map((u) => u.data);
  await users().update(String(all[0].id), { nickname: '100%' });
  await users().update(String(all[1].id), { nickname: '1000' });
  await users().update(String(all[2].id), { nickname: '100!x' });
  // an escaped % is text: '100!%' is the exact value 100%, '100!%%' a prefix
  const cases: [string, string][] = [
    [`SELECT "id" FROM "users" WHERE "nickname" LIKE '100!%' ESCAPE '!'`, 'nickname eq "100%"'],
    [`SELECT "id" FROM "users" WHERE "nickname" LIKE '100\\%' ESCAPE '\\'`, 'nickname eq "100%"'],
    [`SELECT "id" FROM "users" WHERE "nickname" LIKE '100!%%' ESCAPE '!'`, 'nickname sw "100%"'],
  ];
  for (const [sql, filter] of cases) {
    h.reset();
    expect({ sql, rows: await h.ds.query(sql) }).toEqual({ sql, rows: [{ id: all[0].id }] });
    expect(h.requests()).toEqual([`GET /users?limit=1000&filter=${filter}`]);
  }
  expect(await h.ds.query(`SELECT "id" FROM "users" WHERE "nickname" LIKE ? ESCAPE '\\' AND "title" IS NOT 'x'`, ['100\\%'])).toEqual([
    { id: all[0].id },
  ]);
});

// ── SQLite's lexer and grammar ──

test("TypeORM's documentation examples: dirty_read, HAVING without GROUP BY, WITH, scalar sub-queries run; ArrayOverlap is refused by name", async () => {
  await users()
    .createQueryBuilder('u')
    .setLock('dirty_read')
    .getMany()
    .then((r) => expect(r).toHaveLength(50));
  const having = await users().createQueryBuilder('u').select('COUNT(*)', 'n').having('COUNT(*) > :min', { min: 10 }).getRawMany();
  expect(having).toEqual([{ n: 50 }]);
  const cte = await h.ds
    .createQueryBuilder()
    .addCommonTableExpression('SELECT "id", "type" FROM "users" WHERE "type" IS NOT NULL', 'typed')
    .select('COUNT(*)', 'n')
    .from('typed', 'typed')
    .getRawOne<{ n: number }>();
  expect(cte!.n).toBe([...directory().users.values()].filter((u) => u.data.type !== undefined && u.data.type !== null).length);
  const scalar = await users()
    .createQueryBuilder('u')
    .select('u.id', 'id')
    .addSelect((sq) => sq.select('COUNT(*)').from('group_memberships', 'm').where('m.userId = u.id'), 'groups')
    .orderBy('u.id')
    .limit(3)
    .getRawMany<{ id: string; groups: number }>();
  expect(scalar).toHaveLength(3);
  for (const row of scalar) expect(row.groups).toBe(directory().memberships.directGroups?.(row.id)?.length ?? 0);
  const overlap = await statementFailure(() => h.ds.query('SELECT "id" FROM "users" WHERE "nickname" && ?', ['x']));
  expect(overlap).toMatchObject({ code: 'UNSUPPORTED_STATEMENT', message: expect.stringMatching(/operator &&.*ArrayOverlap/) });
});

test('refusals name the construct written, never an internal of the engine', async () => {
  const cases: [string, RegExp][] = [
    ['WITH RECURSIVE r(n) AS (SELECT 1) SELECT n FROM r', /WITH RECURSIVE/],
    ['SELECT "id" FROM "users" u NATURAL JOIN "groups" g', /NATURAL JOIN/],
    ['SELECT "id" FROM "users" u RIGHT JOIN "groups" g ON 1 = 1', /RIGHT JOIN/],
    ['SELECT COUNT(*) OVER () FROM "users"', /window functions \(OVER\)/],
    ['SELECT "id" FROM "users" WHERE ("id", "username") = (?, ?)', /row value/],
    ['SELECT "id" FROM "users" EXCEPT SELECT "id" FROM "groups"', /EXCEPT \(compound SELECT\)/],
    ['INSERT OR REPLACE INTO "users" ("username") VALUES (?)', /INSERT OR REPLACE/],
    ['SELECT "id" FROM "users" WHERE "id" IN "groups"', /IN over a table name/],
  ];
  for (const [sql, construct] of cases) {
    const error = await statementFailure(() => h.ds.query(sql, ['a', 'b']));
    expect({
      sql,
      construct: construct.test(error.message),
      internal: /alasql|queriesidx|WithSelect|yy\.|undefined/.test(error.message),
    }).toEqual({ sql, construct: true, internal: false });
  }
});
