import fc from 'fast-check';
import { POOLS } from './directory-fixture';

/**
 * Generated raw SELECTs over the differential directory, in the SQLite dialect TypeORM users write: joins,
 * GROUP BY/HAVING, aggregates with DISTINCT, CASE, sub-queries, ORDER BY over NULLs, LIMIT/OFFSET, LIKE with
 * metacharacters and ESCAPE, IN lists with NULL, three-valued NOT. Each query carries its positional parameters.
 */
export interface GeneratedQuery {
  readonly sql: string;
  readonly params: readonly unknown[];
  /** the ORDER BY makes the row order total: compare as sequences (otherwise as multisets) */
  readonly ordered: boolean;
}

type Part = { sql: string; params: unknown[] };
const part = (sql: string, params: unknown[] = []): Part => ({ sql, params });
const join = (parts: Part[], sep: string): Part => ({ sql: parts.map((p) => p.sql).join(sep), params: parts.flatMap((p) => p.params) });

const TEXT_COLUMNS = ['username', 'email', 'nickname', 'type', 'title', 'locale', 'nameGiven', 'nameFamily'] as const;
const NUMERIC_COLUMNS = ['enabled', 'mfaEnabled'] as const;
const ALL_VALUES = [
  ...new Set([
    ...POOLS.nickname,
    ...POOLS.type,
    ...POOLS.title,
    ...POOLS.given,
    ...POOLS.family,
    'user01',
    'USER03',
    'User06_x',
    'user7@example.com',
  ]),
];

const quote = (v: string) => `'${v.replace(/'/g, "''")}'`;

const textValue = fc.constantFrom(...ALL_VALUES.filter((v): v is string => v !== null));
/** a value as SQL: a literal, a ? parameter, or NULL */
const valueSql = fc.oneof(
  { weight: 4, arbitrary: textValue.map((v) => part(quote(v))) },
  { weight: 4, arbitrary: textValue.map((v) => part('?', [v])) },
  { weight: 1, arbitrary: fc.constant(part('NULL')) },
  { weight: 2, arbitrary: fc.integer({ min: -2, max: 12 }).map((n) => part(String(n))) },
  { weight: 1, arbitrary: fc.integer({ min: -2, max: 12 }).map((n) => part('?', [n])) },
);

const column = (alias: string) => fc.constantFrom(...TEXT_COLUMNS, ...NUMERIC_COLUMNS, 'createdAt').map((c) => `${alias}."${c}"`);

const likePattern = fc
  .tuple(
    fc.constantFrom('', '%', '_'),
    fc.oneof(
      textValue.map((v) => v.slice(0, 3)),
      fc.constantFrom('a', 'e', 'ser', '!%', '!_', '[', '\\d', '%%%%%'),
    ),
    fc.constantFrom('', '%', '_', '%_'),
  )
  .map(([a, b, c]) => `${a}${b}${c}`);

function scalar(alias: string): fc.Arbitrary<Part> {
  return fc.oneof(
    { weight: 6, arbitrary: column(alias).map((c) => part(c)) },
    { weight: 1, arbitrary: column(alias).map((c) => part(`UPPER(${c})`)) },
    { weight: 1, arbitrary: column(alias).map((c) => part(`LOWER(${c})`)) },
    { weight: 1, arbitrary: column(alias).map((c) => part(`LENGTH(${c})`)) },
    { weight: 1, arbitrary: fc.tuple(column(alias), textValue).map(([c, v]) => part(`COALESCE(${c}, ${quote(v)})`)) },
    { weight: 1, arbitrary: fc.tuple(column(alias), fc.integer({ min: 0, max: 3 })).map(([c, n]) => part(`(LENGTH(${c}) + ${n})`)) },
    { weight: 1, arbitrary: column(alias).map((c) => part(`(${c} || '!')`)) },
  );
}

export function predicate(alias: string, depth = 2): fc.Arbitrary<Part> {
  const atom = fc.oneof(
    {
      weight: 5,
      arbitrary: fc
        .tuple(scalar(alias), fc.constantFrom('=', '<>', '!=', '<', '<=', '>', '>='), valueSql)
        .map(([l, op, r]) => join([l, part(op), r], ' ')),
    },
    { weight: 2, arbitrary: fc.tuple(column(alias), fc.boolean()).map(([c, not]) => part(`${c} IS ${not ? 'NOT ' : ''}NULL`)) },
    {
      weight: 3,
      arbitrary: fc
        .tuple(scalar(alias), fc.boolean(), likePattern, fc.boolean())
        .map(([c, not, p, esc]) => join([c, part(`${not ? 'NOT ' : ''}LIKE ?${esc ? " ESCAPE '!'" : ''}`, [p])], ' ')),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(column(alias), fc.boolean(), fc.array(valueSql, { minLength: 1, maxLength: 4 }))
        .map(([c, not, vs]) => join([part(`${c} ${not ? 'NOT ' : ''}IN (`), join(vs, ', '), part(')')], '')),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(column(alias), valueSql, valueSql, fc.boolean())
        .map(([c, a, b, not]) => join([part(`${c} ${not ? 'NOT ' : ''}BETWEEN`), a, part('AND'), b], ' ')),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('Staff', 'Partners', 'S%')
        .map((n) => part(`${alias}."populationId" IN (SELECT p."id" FROM "populations" p WHERE p."name" LIKE ?)`, [n])),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('1', '2', '3')
        .map((g) =>
          part(`EXISTS (SELECT 1 FROM "group_memberships" m WHERE m."userId" = ${alias}."id" AND m."groupId" = ?)`, [
            `00000000-0000-4000-9000-00000000000${g}`,
          ]),
        ),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(column(alias), valueSql)
        .map(([c, v]) => join([part(`CASE WHEN ${c} IS NULL THEN 0 WHEN ${c} =`), v, part('THEN 1 ELSE 2 END = 1')], ' ')),
    },
  );
  if (depth === 0) return atom;
  const inner = predicate(alias, depth - 1);
  return fc.oneof(
    { weight: 4, arbitrary: atom },
    { weight: 1, arbitrary: inner.map((p) => join([part('NOT ('), p, part(')')], '')) },
    { weight: 2, arbitrary: fc.tuple(inner, inner).map(([a, b]) => join([part('('), a, part(') AND ('), b, part(')')], '')) },
    { weight: 2, arbitrary: fc.tuple(inner, inner).map(([a, b]) => join([part('('), a, part(') OR ('), b, part(')')], '')) },
  );
}

const orderTerm = (alias: string) =>
  fc.tuple(scalar(alias), fc.constantFrom('ASC', 'DESC')).map(([s, d]) => part(`${s.sql} ${d}`, s.params));
const paging = fc.option(fc.tuple(fc.integer({ min: 0, max: 45 }), fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined })), {
  nil: undefined,
});

const plainSelect: fc.Arbitrary<GeneratedQuery> = fc
  .tuple(
    fc.array(scalar('u'), { minLength: 1, maxLength: 3 }),
    fc.option(predicate('u'), { nil: undefined }),
    fc.array(orderTerm('u'), { maxLength: 2 }),
    paging,
    fc.boolean(),
  )
  .map(([cols, where, order, page, distinct]) => {
    // result columns may be named like Object.prototype's members: they are columns like any other
    const select = join(
      cols.map((c, i) => join([c, part(`AS "${['c0', '__proto__', 'constructor'][i]}"`)], ' ')),
      ', ',
    );
    const ordered = order.length > 0 || page !== undefined;
    // ORDER BY ends with the key so the order is total and LIMIT picks the same rows on both sides
    const orderBy = ordered ? (distinct ? part('"c0"') : join([...order, part('u."id"')], ', ')) : undefined;
    const parts = [
      part(`SELECT ${distinct ? 'DISTINCT ' : ''}`),
      select,
      part(' FROM "users" u'),
      ...(where ? [part(' WHERE '), where] : []),
      ...(orderBy ? [part(' ORDER BY '), orderBy] : []),
      ...(page ? [part(` LIMIT ${page[0]}${page[1] !== undefined ? ` OFFSET ${page[1]}` : ''}`)] : []),
    ];
    const q = join(parts, '');
    // DISTINCT over expressions: only c0 is a total order when it is the only column
    return { sql: q.sql, params: q.params, ordered: ordered && (!distinct || cols.length === 1) };
  });

const groupColumn = fc.constantFrom('type', 'title', 'locale', 'enabled', 'mfaEnabled', 'nameFamily');
const aggregateSelect: fc.Arbitrary<GeneratedQuery> = fc
  .tuple(
    fc.option(groupColumn, { nil: undefined }),
    column('u'),
    fc.option(predicate('u', 1), { nil: undefined }),
    fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
    predicate('u', 0),
  )
  .map(([group, target, where, having, counted]) => {
    const aggregates =
      `COUNT(*) AS "__proto__", COUNT(${target}) AS "nx", COUNT(DISTINCT ${target}) AS "dx", MIN(${target}) AS "constructor", MAX(${target}) AS "toString", ` +
      `SUM(LENGTH(${target})) AS "sl", AVG(LENGTH(${target})) AS "valueOf", SUM(DISTINCT LENGTH(${target})) AS "hasOwnProperty", `;
    const parts = [
      part(`SELECT ${group ? `u."${group}" AS "g", ` : ''}${aggregates}SUM(CASE WHEN `),
      counted,
      part(' THEN 1 ELSE 0 END) AS "s" FROM "users" u'),
      ...(where ? [part(' WHERE '), where] : []),
      ...(group ? [part(` GROUP BY u."${group}"${having !== undefined ? ` HAVING COUNT(*) > ${having}` : ''} ORDER BY "g"`)] : []),
    ];
    const q = join(parts, '');
    return { sql: q.sql, params: q.params, ordered: group !== undefined };
  });

const joinSelect: fc.Arbitrary<GeneratedQuery> = fc
  .tuple(
    fc.constantFrom('INNER', 'LEFT'),
    fc.option(predicate('u', 1), { nil: undefined }),
    fc.option(fc.constantFrom('Admins', 'Help Desk', 'Readers', 'R%'), { nil: undefined }),
    fc.boolean(),
  )
  .map(([mode, where, groupName, population]) => {
    const parts = population
      ? [
          part(
            `SELECT u."id" AS "id", u."username" AS "username", p."name" AS "population" FROM "users" u ${mode} JOIN "populations" p ON p."id" = u."populationId"`,
          ),
          ...(where ? [part(' WHERE '), where] : []),
          part(' ORDER BY p."name" ASC, u."id" ASC'),
        ]
      : [
          part(
            `SELECT u."id" AS "id", g."name" AS "grp" FROM "users" u ${mode} JOIN "group_memberships" m ON m."userId" = u."id" ${mode} JOIN "groups" g ON g."id" = m."groupId"`,
          ),
          ...(where || groupName
            ? [part(' WHERE '), join([...(where ? [where] : []), ...(groupName ? [part('g."name" LIKE ?', [groupName])] : [])], ' AND ')]
            : []),
          part(' ORDER BY u."id" ASC, g."name" ASC'),
        ];
    const q = join(parts, '');
    return { sql: q.sql, params: q.params, ordered: true };
  });

export const generatedQuery: fc.Arbitrary<GeneratedQuery> = fc.oneof(
  { weight: 5, arbitrary: plainSelect },
  { weight: 3, arbitrary: aggregateSelect },
  { weight: 2, arbitrary: joinSelect },
);

/** SQLancer's ternary logic partitioning: the three counts of p, NOT p and p IS NULL add up to all rows. */
export const partitionedPredicate: fc.Arbitrary<Part> = predicate('u');
