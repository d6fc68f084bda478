import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The evidence about the real PingOne lives beside the checkout in ../shared/reference (never copied into the repo);
 * PINGONE_REFERENCE_DIR points elsewhere (a test sets it to a missing directory to check the skip path).
 * Suites that need it skip, loudly, when it is missing.
 */
export const REFERENCE_DIR = process.env.PINGONE_REFERENCE_DIR ? resolve(process.env.PINGONE_REFERENCE_DIR) : resolve(__dirname, '../../../../../shared/reference');
export const referenceAvailable = existsSync(join(REFERENCE_DIR, 'openapi/pingone-management.yml'));

/**
 * Without the evidence the suite's body is not even evaluated (its `describe.each` tables would be empty, which jest
 * refuses): one skipped test stands for it, and a plain SKIPPED line says why.
 */
export function describeWithReference(name: string, body: () => void): void {
  if (!referenceAvailable) {
    process.stderr.write(`SKIPPED: "${name}": ${REFERENCE_DIR} is missing, so the tests against real PingOne evidence did not run.\n`);
    describe(name, () => { test.skip(`needs ${REFERENCE_DIR}`, () => undefined); });
  } else {
    describe(name, body);
  }
}
export interface HarEntry {
  readonly request: { readonly method: string; readonly url: string; readonly queryString: readonly { name: string; value: string }[] };
  readonly response: { readonly status: number; readonly headers: readonly { name: string; value: string }[]; readonly content: { readonly text?: string } };
}

export function recordings(): { file: string; entries: HarEntry[] }[] {
  const dir = join(REFERENCE_DIR, 'real-recordings');
  return readdirSync(dir).filter((f) => f.endsWith('.har')).sort().map((file) => ({
    file,
    entries: (JSON.parse(readFileSync(join(dir, file), 'utf8')) as { log: { entries: HarEntry[] } }).log.entries,
  }));
}

export function readSpecText(): string {
  return readFileSync(join(REFERENCE_DIR, 'openapi/pingone-management.yml'), 'utf8');
}
