import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { TYPED_MEMBERSHIP_COMBINED, WEAK_FILTER_CELLS } from '@typeorm-pingone/simulator';
import {
  claimedFilterCells,
  filterCellEvidence,
  filterCells,
  FILTER_CAPABILITIES,
  FILTER_SOURCES,
  filterSourcesMarkdown,
  PingOneApiError,
  refusedCells,
  scim,
  filterRefusalOf,
  SOURCE_KINDS,
  TYPED_MEMBERSHIP_COMBINED_CELL,
  type FilterableResource,
} from '../src';

const resources = Object.keys(FILTER_CAPABILITIES) as FilterableResource[];

test.each(resources)('every %s cell the client pushes has at least one source and a strength', (resource) => {
  const evidence = filterCellEvidence()[resource];
  for (const cell of claimedFilterCells(resource)) {
    expect({ cell, sources: evidence[cell]?.sources ?? [] }).toEqual({ cell, sources: expect.arrayContaining([expect.any(String)]) });
    for (const source of evidence[cell].sources) expect(FILTER_SOURCES).toHaveProperty([source]);
  }
  for (const source of Object.keys(FILTER_SOURCES)) expect(SOURCE_KINDS).toHaveProperty([source]);
});

test('the weak cells are exactly those the strict simulator refuses', () => {
  const weak = resources.flatMap((resource) =>
    claimedFilterCells(resource)
      .filter((cell) => filterCellEvidence()[resource][cell].weak)
      .map(
        (cell) =>
          `${resource} ${cell.replace(' (allowsContainsOperator)', '').replace(TYPED_MEMBERSHIP_COMBINED_CELL, TYPED_MEMBERSHIP_COMBINED)}`,
      ),
  );
  const simulatorWeak = [...WEAK_FILTER_CELLS].filter(
    (c) => c.startsWith('users ') || c.startsWith('populations ') || (c.startsWith('groups ') && !c.includes(TYPED_MEMBERSHIP_COMBINED)),
  );
  expect(weak.sort()).toEqual(simulatorWeak.sort());
  expect(filterCellEvidence().users['name.given co']).toMatchObject({ strength: 'contested', weak: true });
  expect(filterCellEvidence().groups['displayName sw']).toMatchObject({
    sources: ['read-all-groups'],
    strength: 'documented',
    weak: false,
  });
  expect(filterCellEvidence().users['memberOfGroups[id eq … and type eq "DIRECT"]']).toMatchObject({ strength: 'recorded', weak: false });
});

test('docs/pingone-filters.md lists every cell with its sources and strength (run `pnpm generate:docs` after changing them)', () => {
  const doc = readFileSync(resolve(__dirname, '../../../docs/pingone-filters.md'), 'utf8');
  const section = /<!-- cells:start[^>]*-->\n([\s\S]*?)\n<!-- cells:end -->/.exec(doc);
  expect(section?.[1]).toBe(filterSourcesMarkdown());
  for (const key of Object.keys(FILTER_SOURCES)) expect(doc).toContain(`- \`${key}\``);
});

test('filterCells names every capability a filter relies on, custom attributes by attribute and by table row', () => {
  const group = scim.valuePath('memberOfGroups', scim.and(scim.eq('id', 'g'), scim.eq('type', 'DIRECT')));
  const cells = filterCells(
    'users',
    scim.and(group, scim.or(scim.eq('id', 'a'), scim.eq('id', 'b')), scim.co('costCenter', 'x'), scim.sw('title', 'M')),
  );
  expect(cells.map((c) => [c.key, c.cell, c.weak])).toEqual([
    ['memberOfGroups[id eq … and type eq "DIRECT"]', 'memberOfGroups[id eq … and type eq "DIRECT"]', false],
    ['id eq', 'id eq', false],
    ['costCenter co', 'custom co (allowsContainsOperator)', true],
    ['title sw', 'title sw', false],
    [TYPED_MEMBERSHIP_COMBINED_CELL, TYPED_MEMBERSHIP_COMBINED_CELL, true],
  ]);
  expect(filterCells('users', group).map((c) => c.key)).toEqual(['memberOfGroups[id eq … and type eq "DIRECT"]']);
});

describe('which cell a refusal is about', () => {
  const refusal = (message: string, innerError?: Record<string, unknown>) =>
    filterRefusalOf(
      new PingOneApiError({
        status: 400,
        apiCode: 'INVALID_DATA',
        method: 'GET',
        url: 'https://api.pingone.eu/v1/x',
        details: [{ code: 'INVALID_FILTER', target: 'filter', message, ...(innerError ? { innerError } : {}) }],
      }),
    )!;
  const cells = filterCells('users', scim.and(scim.co('name.given', 'a'), scim.ew('email', 'b'), scim.eq('type', 'c')));
  const none = () => false;

  test('a 400 without an INVALID_FILTER or filter detail is no refusal', () => {
    expect(
      filterRefusalOf(
        new PingOneApiError({ status: 400, method: 'GET', url: 'u', details: [{ code: 'INVALID_VALUE', target: 'limit', message: 'x' }] }),
      ),
    ).toBeUndefined();
    expect(filterRefusalOf(new Error('x'))).toBeUndefined();
  });
  test('named by the supported lists', () => {
    expect(
      refusedCells(
        cells,
        refusal('no', { supportedAttributes: ['name.given', 'email', 'type'], supportedOperators: ['eq', 'sw', 'co'] }),
        none,
      ),
    ).toMatchObject({ cells: [{ key: 'email ew' }], certain: true });
  });
  test('named by the message', () => {
    expect(refusedCells(cells, refusal("The operator 'co' is not supported for the attribute 'name.given'."), none)).toMatchObject({
      cells: [{ key: 'name.given co' }],
      certain: true,
    });
  });
  test('unnamed: a single weak candidate left after those seen accepted; otherwise every weak one, uncertain', () => {
    expect(refusedCells(cells, refusal('Invalid filter.'), (key) => key === 'email ew')).toMatchObject({
      cells: [{ key: 'name.given co' }],
      certain: true,
    });
    expect(refusedCells(cells, refusal('Invalid filter.'), none)).toMatchObject({
      cells: [{ key: 'name.given co' }, { key: 'email ew' }],
      certain: false,
    });
  });
});
