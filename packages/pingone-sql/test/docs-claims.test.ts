import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Group, PingOneDataSource, PingOneDriverError, Population, User } from 'typeorm-pingone';

/*
 * What the docs say about PingOneDataSource's options, checked against what the code does (next to the code-block
 * test, which checks that examples compile). Four pages once said the `cache` option was refused at initialize()
 * while it worked. Here every clause of README.md, docs/*.md and the packages' READMEs that names an option in
 * backticks with a verdict (refused / rejected / not supported, or works / accepted) is a claim, and each option is
 * tried: a DataSource with it is built and initialized (lazyConnect, so no request is sent). A clause names an option
 * as `name` or `name: value`; a table row's first cell is the subject of its other cells, except clauses about a
 * value (`{ type: 'database' }`); an option after "unless" is the way out of a refusal, not its subject. driver.md's option table must list every option, each with the
 * verdict the code gives.
 */
const root = resolve(__dirname, '../../..');
const OPTIONS = [
  'entities',
  'pingone',
  'customUserAttributes',
  'lazyConnect',
  'allowUnfilteredWrites',
  'cache',
  'logging',
  'logger',
  'name',
  'subscribers',
  'maxQueryExecutionTime',
  'synchronize',
  'type',
  'migrations',
  'migrationsRun',
  'dropSchema',
  'database',
] as const;
type Option = (typeof OPTIONS)[number];
/** A plausible value for each, as an app would write it. */
const SAMPLE: Readonly<Record<Option, unknown>> = {
  entities: [User, Group, Population],
  pingone: { environmentId: '11111111-1111-4111-8111-111111111111', clientId: 'app', clientSecret: 'secret' },
  customUserAttributes: ['costCenter'],
  lazyConnect: true,
  allowUnfilteredWrites: true,
  cache: true,
  logging: false,
  logger: 'simple-console',
  name: 'directory',
  subscribers: [],
  maxQueryExecutionTime: 1000,
  synchronize: true,
  type: 'sqlite',
  migrations: [],
  migrationsRun: true,
  dropSchema: true,
  database: 'directory.sqlite',
};
const REFUSED_WORDS = /\b(refused|refuses|rejected|rejects|not supported|unsupported)\b/i;
const ACCEPTED_WORDS = /\b(works|accepted|accepts)\b/i;

type Verdict = 'refused' | 'accepted';

async function behaviour(option: Option): Promise<{ verdict: Verdict; why: string }> {
  const options = { entities: SAMPLE.entities, pingone: SAMPLE.pingone, lazyConnect: true, [option]: SAMPLE[option] };
  let ds: PingOneDataSource | undefined;
  try {
    ds = new PingOneDataSource(options as never);
    await ds.initialize();
    return { verdict: 'accepted', why: 'initialize() succeeded' };
  } catch (error) {
    if (error instanceof PingOneDriverError && error.code === 'UNSUPPORTED_OPTION') return { verdict: 'refused', why: error.message };
    throw error;
  } finally {
    if (ds?.isInitialized) await ds.destroy();
  }
}

interface Claim {
  readonly page: string;
  readonly line: number;
  readonly option: Option;
  readonly verdict: Verdict;
  readonly text: string;
}

/** Units of text with their first line: a table row, or a paragraph / list item joined into one line. Code is left out. */
function units(markdown: string): { line: number; text: string; row: boolean }[] {
  const out: { line: number; text: string; row: boolean }[] = [];
  let current: { line: number; text: string; row: boolean } | undefined;
  let fenced = false;
  markdown.split('\n').forEach((raw, i) => {
    if (raw.startsWith('```')) fenced = !fenced;
    const line = raw.trim();
    const starts = line === '' || fenced || line.startsWith('|') || /^([-*]|\d+\.)\s/.test(line) || line.startsWith('#');
    if (starts && current) {
      out.push(current);
      current = undefined;
    }
    if (fenced || line === '' || line.startsWith('```')) return;
    if (line.startsWith('|')) out.push({ line: i + 1, text: line, row: true });
    else if (current) current.text += ` ${line}`;
    else current = { line: i + 1, text: line, row: false };
  });
  if (current) out.push(current);
  return out;
}

const named = (text: string): Option[] =>
  [...text.replace(/\bunless\b[\s\S]*$/i, '').matchAll(/`([A-Za-z]+)(?::[^`]*)?`/g)]
    .map((m) => m[1])
    .filter((t): t is Option => (OPTIONS as readonly string[]).includes(t));
const clauses = (text: string) => text.split(/;|(?<=[.:])\s+(?=[A-Z`(])/);
const verdictOf = (clause: string): Verdict | undefined => {
  const words = clause.replace(/`[^`]*`/g, '');
  return REFUSED_WORDS.test(words) ? 'refused' : ACCEPTED_WORDS.test(words) ? 'accepted' : undefined;
};

function claimsOf(page: string): Claim[] {
  const claims: Claim[] = [];
  for (const unit of units(readFileSync(join(root, page), 'utf8'))) {
    if (unit.row) {
      const cells = unit.text
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim());
      if (cells.every((c) => /^:?-+:?$/.test(c))) continue;
      const subject = named(cells[0] ?? '');
      for (const cell of cells.slice(1)) {
        for (const clause of clauses(cell)) {
          const verdict = verdictOf(clause);
          // A clause about a value (`{ type: 'database' }`) judges that value, not the row's option.
          const aboutValue = /`\{/.test(clause) && named(clause).length === 0;
          const options = [...new Set([...(aboutValue ? [] : subject), ...named(clause)])];
          if (verdict)
            for (const option of options) claims.push({ page, line: unit.line, option, verdict, text: `${cells[0]} → ${clause}` });
        }
      }
      continue;
    }
    for (const clause of clauses(unit.text)) {
      const verdict = verdictOf(clause);
      if (verdict) for (const option of new Set(named(clause))) claims.push({ page, line: unit.line, option, verdict, text: clause });
    }
  }
  return claims;
}

const pages = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
  ...readdirSync(join(root, 'packages'))
    .map((p) => `packages/${p}/README.md`)
    .filter((p) => {
      try {
        readFileSync(join(root, p));
        return true;
      } catch {
        return false;
      }
    }),
];

describe('what the docs say about DataSource options is what the code does', () => {
  const actual = new Map<Option, { verdict: Verdict; why: string }>();
  beforeAll(async () => {
    for (const option of OPTIONS) actual.set(option, await behaviour(option));
  });

  test('the options the driver refuses and accepts (the reference the claims are checked against)', () => {
    const refused = OPTIONS.filter((o) => actual.get(o)!.verdict === 'refused');
    expect(refused).toEqual(['type', 'migrations', 'migrationsRun', 'dropSchema', 'database']);
    expect(actual.get('cache')!.verdict).toBe('accepted');
  });

  test("every clause of every page that gives an option a verdict gives the code's verdict", () => {
    const claims = pages.flatMap(claimsOf);
    const wrong = claims
      .filter((c) => c.verdict !== actual.get(c.option)!.verdict)
      .map(
        (c) =>
          `${c.page}:${c.line}: says \`${c.option}\` is ${c.verdict} ("${c.text}"), but the code ${actual.get(c.option)!.verdict === 'refused' ? 'refuses it' : 'accepts it'} (${actual.get(c.option)!.why})`,
      );
    expect(wrong).toEqual([]);
    // the claims are found (refusals in three pages; `cache` said to work in two), so passing is not for want of them
    const pagesSaying = (option: Option, verdict: Verdict) =>
      new Set(claims.filter((c) => c.option === option && c.verdict === verdict).map((c) => c.page));
    expect([...pagesSaying('migrations', 'refused')].sort()).toEqual([
      'docs/driver.md',
      'docs/porting.md',
      'docs/troubleshooting.md',
      'docs/typeorm-features.md',
    ]);
    expect([...pagesSaying('cache', 'accepted')].sort()).toEqual([
      'docs/porting.md',
      'docs/troubleshooting.md',
      'docs/typeorm-features.md',
    ]);
  });

  test("driver.md's option table lists every option, refused ones as refused", () => {
    const rows = units(readFileSync(join(root, 'docs/driver.md'), 'utf8'))
      .filter((u) => u.row)
      .map((u) =>
        u.text
          .split('|')
          .slice(1, -1)
          .map((c) => c.trim()),
      );
    const listed = new Map<Option, Verdict>();
    for (const [subject, meaning] of rows) {
      for (const option of named(subject ?? ''))
        listed.set(option, REFUSED_WORDS.test((meaning ?? '').replace(/`[^`]*`/g, '').split(/;/)[0]) ? 'refused' : 'accepted');
    }
    expect(OPTIONS.filter((o) => !listed.has(o))).toEqual([]);
    expect(
      OPTIONS.filter((o) => listed.get(o) !== actual.get(o)!.verdict).map(
        (o) => `${o}: table says ${listed.get(o)}, code ${actual.get(o)!.verdict}`,
      ),
    ).toEqual([]);
  });

  test('the check catches a page that calls a working option refused', () => {
    const file = 'docs/driver.md';
    const claimsBefore = claimsOf(file).filter((c) => c.option === 'cache');
    expect(claimsBefore.every((c) => c.verdict === 'accepted')).toBe(true);
    // the sentence four pages had before
    const stale = units(
      'Remove `migrations`, `migrationsRun`, `dropSchema` and `cache`: they are refused at `initialize()` with the reason.',
    )[0];
    const verdicts = clauses(stale.text).flatMap((c) => named(c).map((o) => [o, verdictOf(c)]));
    expect(verdicts).toContainEqual(['cache', 'refused']);
  });
});
