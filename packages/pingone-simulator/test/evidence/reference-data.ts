import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

/**
 * The evidence about the real PingOne lives beside the checkout in ../shared/reference (never copied into the repo);
 * PINGONE_REFERENCE_DIR points elsewhere (a test sets it to a missing directory to check the skip path).
 * Suites that need it skip, loudly, when it is missing.
 */
export const REFERENCE_DIR = process.env.PINGONE_REFERENCE_DIR
  ? resolve(process.env.PINGONE_REFERENCE_DIR)
  : resolve(__dirname, '../../../../../shared/reference');
export const referenceAvailable = existsSync(join(REFERENCE_DIR, 'openapi/pingone-management.yml'));

/**
 * Without the evidence the suite's body is not even evaluated (its `describe.each` tables would be empty, which jest
 * refuses): one skipped test stands for it, and a plain SKIPPED line says why.
 */
export function describeWithReference(name: string, body: () => void): void {
  if (!referenceAvailable) {
    process.stderr.write(`SKIPPED: "${name}": ${REFERENCE_DIR} is missing, so the tests against real PingOne evidence did not run.\n`);
    describe(name, () => {
      test.skip(`needs ${REFERENCE_DIR}`, () => undefined);
    });
  } else {
    describe(name, body);
  }
}
export interface HarEntry {
  readonly request: {
    readonly method: string;
    readonly url: string;
    readonly queryString: readonly { name: string; value: string }[];
    readonly postData?: { readonly mimeType: string; readonly text: string };
  };
  /** pingone-conformance's label: `writes: …` (a session replayed in order), `case rule: …` (a fact, not replayed) */
  readonly comment?: string;
  readonly response: {
    readonly status: number;
    readonly headers: readonly { name: string; value: string }[];
    readonly content: { readonly text?: string };
  };
}

export function recordings(): { file: string; entries: HarEntry[] }[] {
  const dir = join(REFERENCE_DIR, 'real-recordings');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.har'))
    .sort()
    .map((file) => ({
      file,
      entries: (JSON.parse(readFileSync(join(dir, file), 'utf8')) as { log: { entries: HarEntry[] } }).log.entries,
    }));
}

/**
 * HARs a user recorded (e.g. with `pingone-conformance --har <file>` against their tenant), given as evidence in
 * PINGONE_EXTRA_HAR: paths separated by the platform's path delimiter (`:`; `;` on Windows). They are read whether or
 * not ../shared/reference exists; a path that doesn't exist or isn't a HAR fails the run, naming it.
 */
export function extraRecordings(env: NodeJS.ProcessEnv = process.env): { file: string; entries: HarEntry[] }[] {
  const paths = (env.PINGONE_EXTRA_HAR ?? '')
    .split(delimiter)
    .filter((p) => p.trim() !== '')
    .map((p) => resolve(p));
  return paths.map((file) => {
    if (!existsSync(file))
      throw new Error(
        `PINGONE_EXTRA_HAR lists ${file}, which does not exist. Record one with \`pingone-conformance --har ${file}\` (docs/client.md) or fix the path.`,
      );
    let parsed: { log?: { entries?: HarEntry[] } };
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8')) as typeof parsed;
    } catch (cause) {
      throw new Error(
        `PINGONE_EXTRA_HAR: ${file} is not JSON, so not a HAR (${(cause as Error).message}). Give a .har file as pingone-conformance or a browser writes it.`,
        { cause },
      );
    }
    if (!Array.isArray(parsed.log?.entries) || parsed.log.entries.length === 0) {
      throw new Error(
        `PINGONE_EXTRA_HAR: ${file} has no log.entries, so there is nothing to replay. Give a HAR 1.2 file with PingOne API exchanges.`,
      );
    }
    return { file, entries: parsed.log.entries };
  });
}

export function readSpecText(): string {
  return readFileSync(join(REFERENCE_DIR, 'openapi/pingone-management.yml'), 'utf8');
}
