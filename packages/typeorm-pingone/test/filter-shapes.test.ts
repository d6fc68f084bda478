import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { scim } from '@typeorm-pingone/client';
import { classifyFilter, filterStructure, PLANNER_FILTER_SHAPES, plannerShapesModule } from '../src';

/*
 * The planner's filter shapes are the list `pingone-conformance` checks a tenant against. Every driver test harness
 * classifies what the driver sent (helpers/filter-census.ts); here, the classifier itself and the client's copy.
 */
const ids = { group: 'g', users: ['u1', 'u2'] as const, populations: ['p1', 'p2'] as const };

test("the client's copy of the shapes is current (run `pnpm generate:docs` after changing them)", () => {
  const copy = readFileSync(resolve(__dirname, '../../pingone-client/src/conformance/planner-shapes.ts'), 'utf8');
  expect(copy).toBe(plannerShapesModule());
});

test.each(PLANNER_FILTER_SHAPES.map((s) => [s.resource, s.name, s] as const))('%s: %s classifies as itself', (resource, name, shape) => {
  expect(classifyFilter(resource, shape.sample(ids))).toEqual({ shape: name });
});

test('a shape is its structure, whatever the values and list lengths', () => {
  const narrowed = PLANNER_FILTER_SHAPES.find((s) => s.name === 'direct members of a group, narrowed to users')!;
  const one = scim.and(scim.valuePath('memberOfGroups', scim.and(scim.eq('id', 'x'), scim.eq('type', 'DIRECT'))), scim.eq('id', 'only'));
  expect(filterStructure(one)).toBe(filterStructure(narrowed.sample(ids)));
  expect(classifyFilter('users', one)).toEqual({ shape: narrowed.name });
});

test('anything else is flagged: a membership term in a new combination, INDIRECT, a cell outside the table', () => {
  const member = scim.valuePath('memberOfGroups', scim.and(scim.eq('id', 'g'), scim.eq('type', 'DIRECT')));
  expect(classifyFilter('users', scim.or(member, scim.eq('name.given', 'x')))).toMatchObject({
    unknown: expect.stringMatching(/no planner shape has/),
  });
  expect(
    classifyFilter('users', scim.valuePath('memberOfGroups', scim.and(scim.eq('id', 'g'), scim.eq('type', 'INDIRECT')))),
  ).toMatchObject({ unknown: expect.any(String) });
  // on /groups: the groups nested directly in a group (group_nesting), but nothing combined with it
  expect(classifyFilter('groups', scim.valuePath('memberOfGroups', scim.and(scim.eq('id', 'g'), scim.eq('type', 'DIRECT'))))).toEqual({
    shape: 'groups nested directly in a group',
  });
  expect(
    classifyFilter(
      'groups',
      scim.and(scim.valuePath('memberOfGroups', scim.and(scim.eq('id', 'g'), scim.eq('type', 'DIRECT'))), scim.eq('id', 'x')),
    ),
  ).toMatchObject({ unknown: expect.any(String) });
  expect(classifyFilter('users', scim.and(scim.co('title', 'x'), scim.eq('type', 'y')))).toEqual({
    unknown: 'comparisons outside the capability table: title co',
  });
  expect(classifyFilter('users', scim.eq('costCenter', 'x'))).toEqual({ shape: 'comparisons' });
});
