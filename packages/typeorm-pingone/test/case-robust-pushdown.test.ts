import fc from 'fast-check';
import { serializeScimFilter } from '@typeorm-pingone/client';
import { matchesScimFilter, parseScimFilter, CASE_INSENSITIVE_ATTRIBUTES } from '@typeorm-pingone/simulator';
import { translate } from '../src/planner/pushdown';
import { boundedPiece, caseVariants, MAX_CASE_VARIANTS } from '../src/planner/case-variants';
import { like } from '../src/sql/sqlite-like';
import type { ColumnMapping, ResourceTableMapping } from '../src/mapping/table-mapping';
import type { Expr } from '../src/sql/sql-ast';

/*
 * The defect class: a pushed LIKE filter that is not a superset of SQLite's LIKE under one of PingOne's plausible case
 * rules loses rows ("Contractor Onboarding" missing from `name LIKE 'c%'` against a case-sensitive PingOne). For any
 * pattern and value, whenever SQLite's LIKE matches, the filter the planner pushes must match too, under the
 * case-insensitive rule and under the case-sensitive one (the simulator's two modes evaluate it).
 */
const column = (attribute: string, name: string, custom = false): ColumnMapping =>
  Object.freeze({
    column: name,
    attribute,
    path: attribute.split('.'),
    kind: 'string',
    readOnly: false,
    writeOnly: false,
    custom,
    property: `User.${name}`,
    nullable: true,
    allowsContains: custom,
  });
const columns = [
  column('name.given', 'nameGiven'),
  column('title', 'title'),
  column('email', 'email'),
  column('username', 'username'),
  column('costCenter', 'costCenter', true),
];
const mapping: ResourceTableMapping = {
  kind: 'resource',
  table: 'users',
  environment: undefined,
  resource: 'users',
  columns,
  byColumn: new Map(columns.map((c) => [c.column, c])),
  idColumn: 'id',
};
const valueOf = (c: ColumnMapping, value: string): Record<string, unknown> =>
  c.attribute === 'name.given' ? { name: { given: value } } : { [c.attribute]: value };
const pingOne = (fold: 'documented' | 'all') => ({
  memberOfGroups: () => [],
  foldsCase: (a: string) => fold === 'all' || CASE_INSENSITIVE_ATTRIBUTES.has(a),
});

// Letters of both cases, digits, non-ASCII letters SQLite does not fold, and SCIM's quote and backslash.
const alphabet = fc.constantFrom(...'aAbBcCzZ09éÉ-"\\ '.split(''));
const text = fc.array(alphabet, { minLength: 1, maxLength: 8 }).map((a) => a.join(''));

test("property: whenever SQLite's LIKE matches, the pushed filter matches under both case rules", () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...columns),
      text,
      fc.constantFrom('t%', '%t', '%t%', 't'),
      text,
      fc.boolean(),
      (c, piece, shape, value, upperCall) => {
        const pattern = shape.replace('t', piece);
        const left = { k: 'col' as const, table: undefined, column: c.column };
        const expr: Expr = {
          k: 'op',
          op: 'LIKE',
          left: upperCall ? { k: 'func' as const, name: 'UPPER', args: [left] } : left,
          right: { k: 'lit' as const, value: pattern },
        };
        const pushed = translate(expr, 'u', mapping, []);
        if (like(value, pattern, undefined, 'ascii') !== 1 || !pushed) return;
        const parsed = parseScimFilter(serializeScimFilter(pushed.filter));
        const row = { id: 'x', ...valueOf(c, value) };
        expect({
          pattern,
          value,
          filter: serializeScimFilter(pushed.filter),
          insensitive: matchesScimFilter(parsed, row, pingOne('all')),
        }).toMatchObject({ insensitive: true });
        expect({
          pattern,
          value,
          filter: serializeScimFilter(pushed.filter),
          sensitive: matchesScimFilter(parsed, row, pingOne('documented')),
        }).toMatchObject({ sensitive: true });
      },
    ),
    { numRuns: 20_000, seed: 20261207 },
  );
});

test("property: with ESCAPE, an escaped % or _ is text, never a wildcard: the pushed filter still matches whatever SQLite's LIKE does", () => {
  // pieces may hold escaped wildcards and escaped escapes; values may hold the wildcard characters themselves
  const escapedPiece = fc
    .array(fc.oneof(alphabet, fc.constantFrom('!%', '!_', '!!')), { minLength: 1, maxLength: 6 })
    .map((a) => a.join(''));
  const value = fc.array(fc.oneof(alphabet, fc.constantFrom('%', '_', '!')), { minLength: 1, maxLength: 8 }).map((a) => a.join(''));
  fc.assert(
    fc.property(fc.constantFrom(...columns), escapedPiece, fc.constantFrom('t%', '%t', '%t%', 't'), value, (c, piece, shape, v) => {
      const pattern = shape.replace('t', piece);
      const expr: Expr = {
        k: 'op',
        op: 'LIKE',
        left: { k: 'col', table: undefined, column: c.column },
        right: { k: 'lit', value: pattern },
        escape: { k: 'lit', value: '!' },
      };
      const pushed = translate(expr, 'u', mapping, []);
      if (like(v, pattern, '!', 'ascii') !== 1 || !pushed) return;
      const parsed = parseScimFilter(serializeScimFilter(pushed.filter));
      const row = { id: 'x', ...valueOf(c, v) };
      expect({
        pattern,
        v,
        filter: serializeScimFilter(pushed.filter),
        insensitive: matchesScimFilter(parsed, row, pingOne('all')),
      }).toMatchObject({ insensitive: true });
      expect({
        pattern,
        v,
        filter: serializeScimFilter(pushed.filter),
        sensitive: matchesScimFilter(parsed, row, pingOne('documented')),
      }).toMatchObject({ sensitive: true });
    }),
    { numRuns: 5_000, seed: 20261208 },
  );
  // a lone escaped wildcard is the text it stands for (it used to read as a wildcard, and the pattern was not pushed)
  const likeEscaped = (pattern: string) =>
    translate(
      {
        k: 'op',
        op: 'LIKE',
        left: { k: 'col', table: undefined, column: 'username' },
        right: { k: 'lit', value: pattern },
        escape: { k: 'lit', value: '!' },
      },
      'u',
      mapping,
      [],
    );
  expect(serializeScimFilter(likeEscaped('!%')!.filter)).toBe('username eq "%"');
  expect(serializeScimFilter(likeEscaped('!_%')!.filter)).toBe('username sw "_"');
});

test(`case variants are bounded: at most ${MAX_CASE_VARIANTS} terms, the piece shortened to stay within them`, () => {
  expect(caseVariants('ab')).toEqual(['ab', 'aB', 'Ab', 'AB']);
  expect(caseVariants('1-é')).toEqual(['1-é']);
  expect(boundedPiece('Contractor', 'start')).toBe('Con');
  expect(boundedPiece('Contractor', 'end')).toBe('tor');
  expect(boundedPiece('a1-b2', 'start')).toBe('a1-b2');
  fc.assert(
    fc.property(text, (t) => {
      expect(caseVariants(boundedPiece(t, 'start')).length).toBeLessThanOrEqual(MAX_CASE_VARIANTS);
      expect(t.startsWith(boundedPiece(t, 'start'))).toBe(true);
      expect(t.endsWith(boundedPiece(t, 'end'))).toBe(true);
    }),
    { numRuns: 2000, seed: 7 },
  );
});

test('= stays exact eq; username and email (documented case-insensitive) keep their single term', () => {
  const eq = translate(
    { k: 'op', op: '=', left: { k: 'col', table: undefined, column: 'title' }, right: { k: 'lit', value: 'Manager' } },
    'u',
    mapping,
    [],
  );
  expect(serializeScimFilter(eq!.filter)).toBe('title eq "Manager"');
  const sw = translate(
    { k: 'op', op: 'LIKE', left: { k: 'col', table: undefined, column: 'username' }, right: { k: 'lit', value: 'Ada%' } },
    'u',
    mapping,
    [],
  );
  expect(serializeScimFilter(sw!.filter)).toBe('username sw "Ada"');
  const exactLike = translate(
    { k: 'op', op: 'LIKE', left: { k: 'col', table: undefined, column: 'title' }, right: { k: 'lit', value: 'Manager' } },
    'u',
    mapping,
    [],
  );
  expect(serializeScimFilter(exactLike!.filter)).toBe(
    'title sw "man" or title sw "maN" or title sw "mAn" or title sw "mAN" or title sw "Man" or title sw "MaN" or title sw "MAn" or title sw "MAN"',
  );
});
