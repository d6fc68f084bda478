/** Regenerates the generated parts of docs/, and the client's copy of the planner's filter shapes (pnpm generate:docs). */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pushdownMatrixMarkdown } from '../packages/typeorm-pingone/src/planner/pushdown-matrix';
import { filterSourcesMarkdown } from '../packages/pingone-client/src/filter/filter-sources';
import { plannerShapesModule } from '../packages/typeorm-pingone/src/planner/planner-shapes-module';

writeFileSync(resolve(__dirname, '../packages/pingone-client/src/conformance/planner-shapes.ts'), plannerShapesModule());
console.log('packages/pingone-client/src/conformance/planner-shapes.ts written');

writeFileSync(resolve(__dirname, '../docs/pushdown.md'), pushdownMatrixMarkdown());
console.log('docs/pushdown.md written');

const filtersPath = resolve(__dirname, '../docs/pingone-filters.md');
const filters = readFileSync(filtersPath, 'utf8');
const updated = filters.replace(
  /(<!-- cells:start[^>]*-->\n)[\s\S]*?(<!-- cells:end -->)/,
  (_m, start: string, end: string) => `${start}${filterSourcesMarkdown()}\n${end}`,
);
if (updated === filters && !filters.includes(filterSourcesMarkdown()))
  throw new Error('docs/pingone-filters.md has no <!-- cells:start --> … <!-- cells:end --> markers');
writeFileSync(filtersPath, updated);
console.log('docs/pingone-filters.md (cell sources) written');
