import fc from 'fast-check';
import {
  And,
  Between,
  Equal,
  ILike,
  In,
  IsNull,
  LessThan,
  LessThanOrEqual,
  Like,
  MoreThan,
  MoreThanOrEqual,
  Not,
  Or,
  Raw,
  type FindManyOptions,
  type FindOperator,
} from 'typeorm';
import type { User } from '../../src';
import { POOLS } from './directory-fixture';

/**
 * Generated repository.find() options for the ready User entity: every TypeORM operator (Equal, Not, In, Like, ILike,
 * IsNull, Between, LessThan/MoreThan and the OrEqual forms, And, Or, Raw), arrays of where objects, relations,
 * order and skip/take. The order always ends with the id, so paging picks the same rows on both sides.
 */
const text = fc.constantFrom(
  ...[...new Set([...POOLS.nickname, ...POOLS.type, ...POOLS.title, ...POOLS.given, ...POOLS.family, 'user01', 'USER03', 'b'])].filter(
    (v): v is string => v !== null,
  ),
);
const pattern = fc
  .tuple(
    fc.constantFrom('', '%', '_'),
    text.map((v) => v.slice(0, 2)),
    fc.constantFrom('', '%', '_%'),
  )
  .map(([a, b, c]) => `${a}${b}${c}`);

function textOperator(depth = 1): fc.Arbitrary<string | FindOperator<string>> {
  const leaf = fc.oneof(
    text,
    text.map((v) => Equal(v)),
    text.map((v) => Not(v)),
    fc.array(text, { minLength: 1, maxLength: 3 }).map((vs) => In(vs)),
    fc.array(text, { minLength: 1, maxLength: 3 }).map((vs) => Not(In(vs))),
    pattern.map((p) => Like(p)),
    pattern.map((p) => Not(Like(p))),
    pattern.map((p) => ILike(p)),
    fc.constant(IsNull()),
    fc.constant(Not(IsNull())),
    fc.tuple(text, text).map(([a, b]) => Between(a < b ? a : b, a < b ? b : a)),
    text.map((v) => LessThan(v)),
    text.map((v) => MoreThanOrEqual(v)),
    text.map((v) => Raw((alias) => `${alias} > :v`, { v })),
  );
  if (depth === 0) return leaf;
  return fc.oneof(
    { weight: 5, arbitrary: leaf },
    { weight: 1, arbitrary: fc.tuple(textOperator(0), textOperator(0)).map(([a, b]) => And(asOperator(a), asOperator(b))) },
    { weight: 1, arbitrary: fc.tuple(textOperator(0), textOperator(0)).map(([a, b]) => Or(asOperator(a), asOperator(b))) },
  );
}

const asOperator = (v: string | FindOperator<string>): FindOperator<string> => (typeof v === 'string' ? Equal(v) : v);

const dateOperator = fc
  .constantFrom('2024-03-01T00:00:00.000Z', '2024-06-15T12:00:00.000Z', '2024-01-05T00:00:00.000Z')
  .chain((iso) =>
    fc.constantFrom(MoreThan(new Date(iso)), LessThanOrEqual(new Date(iso)), Between(new Date('2024-02-01T00:00:00.000Z'), new Date(iso))),
  );

const booleanOperator = fc.oneof(
  fc.boolean(),
  fc.constant(IsNull()),
  fc.boolean().map((b) => Not(b)),
);

const whereObject: fc.Arbitrary<Record<string, unknown>> = fc
  .record(
    {
      username: textOperator(),
      email: textOperator(),
      nickname: textOperator(),
      type: textOperator(),
      title: textOperator(),
      locale: textOperator(),
      enabled: booleanOperator,
      mfaEnabled: booleanOperator,
      createdAt: dateOperator,
      name: fc.record({ given: textOperator(), family: textOperator() }, { requiredKeys: [] }),
      population: fc.constantFrom('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002').map((id) => ({ id })),
    },
    { requiredKeys: [] },
  )
  .filter((w) => Object.keys(w).length > 0 && Object.keys(w).length <= 3);

export const generatedFind: fc.Arbitrary<FindManyOptions<User>> = fc
  .record({
    where: fc.oneof({ weight: 3, arbitrary: whereObject }, { weight: 1, arbitrary: fc.array(whereObject, { minLength: 2, maxLength: 3 }) }),
    order: fc.option(
      fc.constantFrom<Record<string, 'ASC' | 'DESC'>>({ username: 'ASC' }, { nickname: 'DESC' }, { createdAt: 'ASC' }, { type: 'ASC' }),
      { nil: undefined },
    ),
    page: fc.option(fc.tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 8 })), { nil: undefined }),
    relations: fc.constantFrom(undefined, { population: true }, { groups: true }),
  })
  .map(({ where, order, page, relations }) => ({
    where: where,
    order: { ...(order ?? {}), id: 'ASC' as const },
    ...(page ? { skip: page[0], take: page[1] } : {}),
    ...(relations ? { relations } : {}),
  }));
