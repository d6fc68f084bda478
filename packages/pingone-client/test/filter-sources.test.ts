import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { claimedFilterCells, FILTER_CAPABILITIES, FILTER_SOURCES, filterCellSources, filterSourcesMarkdown, type FilterableResource } from '../src';

const resources = Object.keys(FILTER_CAPABILITIES) as FilterableResource[];

test.each(resources)('every %s cell the client pushes has at least one source', (resource) => {
  const sources = filterCellSources()[resource];
  for (const cell of claimedFilterCells(resource)) {
    expect({ cell, sources: sources[cell] ?? [] }).toEqual({ cell, sources: expect.arrayContaining([expect.any(String)]) });
    for (const source of sources[cell]!) expect(FILTER_SOURCES).toHaveProperty([source]);
  }
});

test('unsourced cells are not pushed', () => {
  for (const resource of resources) {
    for (const attribute of Object.keys(FILTER_CAPABILITIES[resource].unsourced)) expect(FILTER_CAPABILITIES[resource].attributes).not.toHaveProperty([attribute]);
  }
  expect(FILTER_CAPABILITIES.groups.unsourced).toEqual({ displayName: ['eq', 'sw'], sourceId: ['eq'] });
});

test('docs/pingone-filters.md lists every cell with its sources (run `pnpm generate:docs` after changing them)', () => {
  const doc = readFileSync(resolve(__dirname, '../../../docs/pingone-filters.md'), 'utf8');
  const section = /<!-- cells:start[^>]*-->\n([\s\S]*?)\n<!-- cells:end -->/.exec(doc);
  expect(section?.[1]).toBe(filterSourcesMarkdown());
  for (const key of Object.keys(FILTER_SOURCES)) expect(doc).toContain(`- \`${key}\``);
});
