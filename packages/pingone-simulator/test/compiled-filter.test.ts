import fc from 'fast-check';
import { compileScimFilter, filterCandidates, type FilterContext, type ScimExpression } from '../src/scim';
import { interpretScimFilter } from './helpers/reference-filter';
import type { ScimOperator } from '../src/scim/scim-expression';
import { readPage } from '../src/paging';
import { ResourceTable } from '../src/store/resource-table';
import { MembershipGraph } from '../src/store/membership-graph';

/*
 * The compiled filter (scim/compile-filter.ts) and a page read from a filter's candidates (paging.ts) are speed-ups:
 * each must answer exactly as the interpreter (test/helpers/reference-filter.ts) and the full scan do, over generated filters and resources.
 */

const GROUPS = ['g1', 'g2', 'G1', 'g3'];
const MEMBERS = ['u0', 'u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7'];
const ATTRIBUTES = ['name', 'title', 'name.given', 'tags', 'population.id', 'n', 'id', 'type', 'a.b.c', 'missing', 'username'];
const OPERATORS: ScimOperator[] = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'];
const strings = fc.constantFrom(
  '',
  'a',
  'A',
  'ab',
  'Ab',
  'b',
  'é',
  'É',
  'ß',
  'SS',
  'İ',
  'i',
  '😀',
  'g1',
  'G1',
  'DIRECT',
  'direct',
  'INDIRECT',
);
const literal = fc.oneof(strings, fc.integer({ min: -2, max: 3 }), fc.boolean(), fc.constant(null));

const leaf: fc.Arbitrary<ScimExpression> = fc.oneof(
  fc.record({
    kind: fc.constant('compare' as const),
    attribute: fc.constantFrom(...ATTRIBUTES),
    operator: fc.constantFrom(...OPERATORS),
    value: literal,
  }),
  fc.record({ kind: fc.constant('present' as const), attribute: fc.constantFrom(...ATTRIBUTES) }),
);

/** Membership filters: ids and types, the shapes the driver sends and others. */
const membershipFilter: fc.Arbitrary<ScimExpression> = fc.letrec<{ m: ScimExpression }>((tie) => ({
  m: fc.oneof(
    { depthSize: 'small' },
    fc.record({
      kind: fc.constant('compare' as const),
      attribute: fc.constantFrom('id', 'type', 'name'),
      operator: fc.constantFrom<ScimOperator>('eq', 'ne', 'sw'),
      value: fc.oneof(fc.constantFrom(...GROUPS), fc.constantFrom('DIRECT', 'INDIRECT', 'direct')),
    }),
    fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), left: tie('m'), right: tie('m') }),
    fc.record({ kind: fc.constant('not' as const), expression: tie('m') }),
  ),
})).m;

const memberList = fc
  .record({ group: fc.constantFrom(...GROUPS), type: fc.constantFrom('DIRECT', 'INDIRECT') })
  .map(({ group, type }): ScimExpression => ({
    kind: 'valuePath',
    attribute: 'memberOfGroups',
    filter: {
      kind: 'and',
      left: { kind: 'compare', attribute: 'id', operator: 'eq', value: group },
      right: { kind: 'compare', attribute: 'type', operator: 'eq', value: type },
    },
  }));

const expression: fc.Arbitrary<ScimExpression> = fc.letrec<{ e: ScimExpression }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small' },
    leaf,
    memberList,
    fc.record({
      kind: fc.constant('valuePath' as const),
      attribute: fc.constantFrom('memberOfGroups', 'emails'),
      filter: membershipFilter,
    }),
    fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), left: tie('e'), right: tie('e') }),
    fc.record({ kind: fc.constant('not' as const), expression: tie('e') }),
  ),
})).e;

const value: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    literal,
    fc.constant(undefined),
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('given', 'id', 'b', 'c', '0'), tie('v'), { maxKeys: 3 }),
  ),
})).v;

const resource = fc.dictionary(fc.constantFrom('name', 'title', 'tags', 'population', 'n', 'type', 'a', 'username'), value, { maxKeys: 6 });

/** Memberships as a graph: each member's direct groups, and the extra (INDIRECT) ones a dynamic group would add. */
const graph = fc.array(fc.tuple(fc.constantFrom(...MEMBERS), fc.constantFrom(...GROUPS), fc.boolean()), { maxLength: 20 });

function contextFor(
  edges: readonly [string, string, boolean][],
  caseSensitive: boolean,
): { context: FilterContext; graph: MembershipGraph } {
  const memberships = new MembershipGraph();
  const indirect = new Map<string, string[]>();
  for (const [member, group, direct] of edges) {
    if (direct) memberships.add(member, group);
    else indirect.set(member, [...(indirect.get(member) ?? []), group]);
  }
  const context: FilterContext = {
    memberOfGroups: (id) => memberships.groupsOf(id, indirect.get(id) ?? []),
    foldsCase: caseSensitive ? (attribute) => attribute === 'username' : () => true,
    directGroups: (id) => memberships.directGroups(id),
    directMembers: (id) => memberships.directMembers(id),
  };
  return { context, graph: memberships };
}

test('property: the compiled filter answers as the interpreter, in both case modes', () => {
  fc.assert(
    fc.property(
      expression,
      fc.array(resource, { minLength: 1, maxLength: 8 }),
      graph,
      fc.boolean(),
      (expr, resources, edges, caseSensitive) => {
        const { context } = contextFor(edges, caseSensitive);
        const compiled = compileScimFilter(expr, context);
        resources.forEach((r, i) => {
          const data = { ...r, id: MEMBERS[i] };
          expect(compiled(data)).toBe(interpretScimFilter(expr, data, context));
        });
      },
    ),
    { numRuns: 3000, seed: 41 },
  );
});

test('property: a page read from the filter candidates is the page of a full scan (items, next cursor, count)', () => {
  fc.assert(
    fc.property(
      expression,
      fc.array(resource, { minLength: 1, maxLength: 8 }),
      graph,
      fc.boolean(),
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 0, max: 10 }),
      fc.oneof(fc.constant(false as const), fc.integer({ min: 0, max: 5 })),
      fc.array(fc.constantFrom(...MEMBERS), { maxLength: 3 }),
      (expr, resources, edges, caseSensitive, pageSize, afterSeq, omitCountAbove, deleted) => {
        const { context } = contextFor(edges, caseSensitive);
        const table = new ResourceTable();
        // Inserted in another order than the members' names, so sequence order is not the graph's order.
        [...resources].reverse().forEach((r, i) => table.insert({ ...r, id: MEMBERS[i] }));
        for (const id of deleted) table.delete(id);
        const compiled = compileScimFilter(expr, context);
        const matches = (record: { data: Record<string, unknown> }) => compiled(record.data);
        const candidates = filterCandidates(expr, context);
        const request = { limit: pageSize, afterSeq };
        const scanned = readPage(table, request, pageSize, { matches }, omitCountAbove);
        // ratio 0: the candidates are read whenever there are any (the simulator scans instead when they are many)
        expect(readPage(table, request, pageSize, { matches, candidates }, omitCountAbove, 0)).toEqual(scanned);
      },
    ),
    { numRuns: 3000, seed: 43 },
  );
});

test('a member list names the group’s direct members as its candidates', () => {
  const { context } = contextFor(
    [
      ['u1', 'g1', true],
      ['u2', 'g1', false],
      ['u3', 'g2', true],
    ],
    false,
  );
  const list: ScimExpression = {
    kind: 'valuePath',
    attribute: 'memberOfGroups',
    filter: {
      kind: 'and',
      left: { kind: 'compare', attribute: 'id', operator: 'eq', value: 'g1' },
      right: { kind: 'compare', attribute: 'type', operator: 'eq', value: 'DIRECT' },
    },
  };
  expect(filterCandidates(list, context)).toEqual(['u1']);
  const populationAnd: ScimExpression = {
    kind: 'and',
    left: { kind: 'compare', attribute: 'population.id', operator: 'eq', value: 'p' },
    right: list,
  };
  expect(filterCandidates(populationAnd, context)).toEqual(['u1']);
  expect(filterCandidates({ kind: 'or', left: populationAnd, right: { kind: 'present', attribute: 'title' } }, context)).toBeUndefined();
});
