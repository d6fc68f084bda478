/** Regenerates the generated parts of docs/ (pnpm generate:docs). */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pushdownMatrixMarkdown } from '../packages/typeorm-pingone/src/planner/pushdown-matrix';

writeFileSync(resolve(__dirname, '../docs/pushdown.md'), pushdownMatrixMarkdown());
console.log('docs/pushdown.md written');
