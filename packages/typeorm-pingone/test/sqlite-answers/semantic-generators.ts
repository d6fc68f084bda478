import fc from 'fast-check';
import { In, IsNull, Like, Not, type FindManyOptions } from 'typeorm';
import type { Group, User } from '../../src';
import type { GeneratedQuery } from '../differential/sql-generators';

/**
 * Generators for SQLite's value semantics, written apart from the first differential suite so that they can find
 * what it hasn't seen (issue 24): typed literals and CAST chains over text that looks numeric, column-against-column
 * comparisons across collations, outer joins that produce NULLs under GROUP BY, aggregates inside arithmetic, HAVING
 * and ORDER BY, LIMIT over conditions PingOne can't evaluate, and TypeORM relation loads with take/skip and wheres on
 * joined relations. Each query names its class, so a run can count them.
 */
export type SemanticClass = 'literals' | 'column-comparisons' | 'outer-join-groups' | 'aggregate-expressions' | 'limit-local';
export interface SemanticQuery extends GeneratedQuery {
  readonly class: SemanticClass;
}

const q = (cls: SemanticClass, sql: string, ordered = true, params: unknown[] = []): SemanticQuery => ({
  class: cls,
  sql,
  params,
  ordered,
});

// ── literals, CAST chains, arithmetic over text that looks numeric ──
const literal = fc.constantFrom(
  '0',
  '1',
  '2',
  '-3',
  '7',
  '1.0',
  '2.5',
  '-0.0',
  '1e3',
  '2e1',
  '0.1',
  '9223372036854775807',
  "'10'",
  "' 1 '",
  "'1e1'",
  "'2.0'",
  "'0x10'",
  "'abc'",
  "'12abc'",
  "'-'",
  "''",
  'NULL',
  "'Ab'",
  "'ab'",
);
const castType = fc.constantFrom('INTEGER', 'INT', 'REAL', 'NUMERIC', 'TEXT', 'VARCHAR(5)', 'DOUBLE', 'FLOAT');
const scalarFn = fc.constantFrom('ABS', 'LENGTH', 'UPPER', 'TYPEOF', 'ROUND', 'TRIM', 'LOWER');

const expression: fc.Memo<string> = fc.memo((n) => {
  if (n <= 1) return literal;
  const sub = expression(n - 1);
  return fc.oneof(
    { weight: 3, arbitrary: literal },
    { weight: 2, arbitrary: fc.tuple(sub, castType).map(([e, t]) => `CAST(${e} AS ${t})`) },
    { weight: 3, arbitrary: fc.tuple(sub, fc.constantFrom('+', '-', '*', '/', '%', '||'), sub).map(([a, op, b]) => `(${a} ${op} ${b})`) },
    { weight: 1, arbitrary: sub.map((e) => `(- ${e})`) },
    { weight: 2, arbitrary: fc.tuple(scalarFn, sub).map(([f, e]) => `${f}(${e})`) },
    { weight: 1, arbitrary: fc.tuple(sub, sub).map(([a, b]) => `COALESCE(${a}, ${b})`) },
    { weight: 1, arbitrary: fc.tuple(sub, sub).map(([a, b]) => `MAX(${a}, ${b})`) },
    { weight: 2, arbitrary: fc.tuple(sub, fc.constantFrom('=', '<', '>=', '<>', 'IS'), sub).map(([a, op, b]) => `(${a} ${op} ${b})`) },
  );
});

const literals = fc
  .tuple(expression(4), expression(3))
  .map(([a, b]) => q('literals', `SELECT ${a} AS "a", TYPEOF(${a}) AS "ta", ${b} AS "b", CAST(${b} AS TEXT) AS "tb"`));

// ── column against column, across collations (username and email are NOCASE) ──
const textColumn = fc.constantFrom(
  'u."username"',
  'u."email"',
  'u."nickname"',
  'u."title"',
  'u."type"',
  'u."nameGiven"',
  'u."externalId"',
  'u."locale"',
);
const anyColumn = fc.oneof(textColumn, fc.constantFrom('u."enabled"', 'u."mfaEnabled"', 'u."createdAt"'));
const collate = fc.constantFrom('', '', '', ' COLLATE NOCASE', ' COLLATE BINARY', ' COLLATE RTRIM');
const columnComparisons = fc
  .oneof(
    fc
      .tuple(anyColumn, collate, fc.constantFrom('=', '<>', '<', '>', '<=', '>=', 'IS', 'IS NOT'), anyColumn, collate)
      .map(([a, ca, op, b, cb]) => `${a}${ca} ${op} ${b}${cb}`),
    fc.tuple(textColumn, textColumn, textColumn).map(([a, b, c]) => `${a} BETWEEN ${b} AND ${c}`),
    fc.tuple(textColumn, textColumn, literal).map(([a, b, l]) => `${a} IN (${b}, ${l})`),
    fc.tuple(textColumn, textColumn).map(([a, b]) => `${a} LIKE ${b}`),
  )
  .map((where) => q('column-comparisons', `SELECT COUNT(*) AS "n", COUNT(DISTINCT u."id") AS "d" FROM "users" u WHERE ${where}`));

// ── NULLs from outer joins under GROUP BY ──
const groupExpr = fc.constantFrom(
  'g."description"',
  'g."name"',
  'p."name"',
  'COALESCE(g."name", u."type")',
  'g."description" || u."locale"',
  'CASE WHEN g."id" IS NULL THEN NULL ELSE u."type" END',
);
const outerJoinGroups = fc
  .tuple(groupExpr, textColumn, fc.boolean())
  .map(([g, x, population]) =>
    q(
      'outer-join-groups',
      `SELECT ${g} AS "k", COUNT(*) AS "n", COUNT(${x}) AS "c", MIN(${x}) AS "mi", COUNT(DISTINCT ${x}) AS "cd" FROM "users" u ` +
        'LEFT JOIN "group_memberships" m ON m."userId" = u."id" LEFT JOIN "groups" g ON g."id" = m."groupId"' +
        `${population ? ' LEFT JOIN "populations" p ON p."id" = g."populationId"' : ' LEFT JOIN "populations" p ON p."id" = u."populationId"'} GROUP BY ${g} ORDER BY 1`,
    ),
  );

// ── aggregates in arithmetic, HAVING and ORDER BY ──
const predicate = fc.tuple(textColumn, fc.constantFrom("= 'Employee'", 'IS NULL', "LIKE 'u%'", "> 'M'")).map(([c, p]) => `${c} ${p}`);
const aggregateExpr = fc.oneof(
  predicate.map((p) => `100 * SUM(CASE WHEN ${p} THEN 1 ELSE 0 END)`),
  predicate.map((p) => `1 + COUNT(CASE WHEN ${p} THEN 1 END)`),
  fc.constant('COUNT(*) * 1.0 / 7'),
  fc.constant('CAST(COUNT(*) AS REAL) / 3'),
  textColumn.map((c) => `MAX(${c}) || ''`),
  textColumn.map((c) => `MIN(LENGTH(${c})) + 1`),
  textColumn.map((c) => `AVG(LENGTH(${c}))`),
  textColumn.map((c) => `TOTAL(LENGTH(${c}))`),
  textColumn.map((c) => `LENGTH(GROUP_CONCAT(DISTINCT ${c}))`),
  textColumn.map((c) => `COUNT(TRIM(${c}, ' ')) - COUNT(*)`),
  fc.constant("MIN('10' || NULL)"),
  fc.constant("SUM(TRIM(NULL, ' '))"),
);
const aggregateExpressions = fc
  .tuple(
    fc.constantFrom('u."type"', 'u."locale"', 'u."enabled"', 'u."title"'),
    aggregateExpr,
    fc.option(fc.tuple(aggregateExpr, fc.constantFrom('>', '<', '>=', '<>'), fc.constantFrom('0', '1', '2.5', "'1'")), { nil: undefined }),
    aggregateExpr,
  )
  .map(([key, a, having, order]) =>
    q(
      'aggregate-expressions',
      `SELECT ${key} AS "k", ${a} AS "a", COUNT(*) AS "n" FROM "users" u GROUP BY ${key}${having ? ` HAVING ${having[0]} ${having[1]} ${having[2]}` : ''} ORDER BY ${order} DESC, 1`,
    ),
  );

// ── LIMIT over conditions PingOne can't evaluate (run end to end) ──
const localCondition = fc.constantFrom(
  'u."nickname" IS NULL',
  'u."title" IS NOT NULL',
  'LENGTH(u."username") > 6',
  'u."mfaEnabled" IS NULL',
  'u."email" LIKE \'%9%\'',
  'NOT (u."type" = \'Employee\')',
);
const limitLocal = fc
  .tuple(localCondition, fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 5 }), fc.boolean())
  .map(([c, n, skip, ordered]) =>
    q(
      'limit-local',
      `SELECT u."id" FROM "users" u WHERE ${c}${ordered ? ' ORDER BY u."id"' : ''} LIMIT ${n}${skip ? ` OFFSET ${skip}` : ''}`,
      ordered,
    ),
  );

export const semanticQuery: fc.Arbitrary<SemanticQuery> = fc.oneof(
  { weight: 4, arbitrary: literals },
  { weight: 3, arbitrary: columnComparisons },
  { weight: 2, arbitrary: outerJoinGroups },
  { weight: 3, arbitrary: aggregateExpressions },
);

export const limitQuery: fc.Arbitrary<SemanticQuery> = limitLocal;

// ── TypeORM relation loads: take/skip with wheres on joined relations ──
const groupName = fc.constantFrom('Admins', 'Help Desk', 'Readers', 'Writers', 'Empty');
const populationName = fc.constantFrom('Staff', 'Partners', 'Alumni');
export const userRelationFind: fc.Arbitrary<FindManyOptions<User>> = fc
  .record({
    where: fc.oneof(
      groupName.map((name) => ({ groups: { name } })),
      populationName.map((name) => ({ population: { name } })),
      fc.tuple(groupName, fc.constantFrom('Employee', 'Contractor')).map(([name, type]) => ({ groups: { name }, type })),
      fc.array(groupName, { minLength: 1, maxLength: 2 }).map((names) => ({ groups: { name: In(names) }, nickname: Not(IsNull()) })),
      fc.tuple(groupName, populationName).map(([g, p]) => [{ groups: { name: g } }, { population: { name: p } }]),
    ),
    take: fc.integer({ min: 1, max: 6 }),
    skip: fc.integer({ min: 0, max: 4 }),
    relations: fc.constantFrom({ groups: true }, { population: true }, { groups: true, population: true }),
  })
  .map(({ where, take, skip, relations }) => ({ where: where, take, skip, relations, order: { id: 'ASC' as const } }));

export const groupRelationFind: fc.Arbitrary<FindManyOptions<Group>> = fc
  .record({
    where: fc.oneof(
      populationName.map((name) => ({ population: { name } })),
      fc.constantFrom('%e%', 'R%', 'A%').map((p) => ({ users: { username: Like(p) } })),
      fc.constant({ population: { name: Not(IsNull()) } }),
    ),
    take: fc.integer({ min: 1, max: 3 }),
    skip: fc.integer({ min: 0, max: 2 }),
  })
  .map(({ where, take, skip }) => ({
    where: where,
    take,
    skip,
    relations: { users: true, population: true },
    order: { id: 'ASC' as const },
  }));
