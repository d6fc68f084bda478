import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pushdownMatrixMarkdown } from '../src';

test('docs/pushdown.md matches the capability table (run `pnpm generate:docs` after changing it)', () => {
  const doc = readFileSync(resolve(__dirname, '../../../docs/pushdown.md'), 'utf8');
  expect(doc).toBe(pushdownMatrixMarkdown());
});
