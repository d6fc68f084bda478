import fc from 'fast-check';
import { Group, User } from '../../src';
import { canonical, canonicalPairs, startDifferential, type Differential } from '../differential/differential-harness';
import {
  groupRelationFind,
  limitQuery,
  semanticQuery,
  userRelationFind,
  type SemanticClass,
  type SemanticQuery,
} from './semantic-generators';

/*
 * SQLite's value semantics, from generators written apart from the first differential suite (issue 24): most
 * statements run through the local engine, a sample end to end (pushdown, paging, then the local engine), LIMIT over
 * local conditions and relation loads only end to end. Seeded and bounded; each class's count is printed.
 */
const SEED = 20261207;
const LOCAL_RUNS = 3000;
const REMOTE_RUNS = 300;
const LIMIT_RUNS = 150;
const FIND_RUNS = 80;

let d: Differential;
const counts = new Map<SemanticClass | 'relation-loads', number>();
beforeAll(async () => {
  d = await startDifferential();
}, 60_000);
afterAll(async () => {
  console.log(`semantic differential statements per class: ${[...counts].map(([c, n]) => `${c} ${n}`).join(', ')}`);
  await d?.close();
});

async function outcome<T>(run: () => Promise<T> | T): Promise<{ value?: T; error?: string }> {
  try {
    return { value: await run() };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

async function compare(q: SemanticQuery, mine: () => unknown): Promise<void> {
  counts.set(q.class, (counts.get(q.class) ?? 0) + 1);
  const expected = await outcome(() => canonicalPairs(d.oraclePairs(q.sql, [...q.params]), q.ordered));
  const actual = await outcome(async () => canonical((await mine()) as Record<string, unknown>[], q.ordered));
  if (expected.error !== undefined) {
    // SQLite refuses it (integer overflow, a misused aggregate): the driver must refuse too
    expect({ sql: q.sql, refused: actual.error !== undefined }).toEqual({ sql: q.sql, refused: true });
    return;
  }
  expect({ sql: q.sql, rows: actual.error ?? actual.value }).toEqual({ sql: q.sql, rows: expected.value });
}

test(`${LOCAL_RUNS} generated statements on SQLite's value semantics: the local engine gives SQLite's rows`, async () => {
  await fc.assert(
    fc.asyncProperty(semanticQuery, (q) => compare(q, () => d.local(q.sql, q.params))),
    { seed: SEED, numRuns: LOCAL_RUNS },
  );
}, 300_000);

test(`${REMOTE_RUNS} of them end to end, and ${LIMIT_RUNS} LIMITs over conditions PingOne can't evaluate`, async () => {
  await fc.assert(
    fc.asyncProperty(semanticQuery, (q) => compare(q, () => d.driver.query(q.sql, [...q.params]))),
    { seed: SEED + 1, numRuns: REMOTE_RUNS },
  );
  await fc.assert(
    fc.asyncProperty(limitQuery, (q) => compare(q, () => d.driver.query(q.sql, [...q.params]))),
    { seed: SEED + 2, numRuns: LIMIT_RUNS },
  );
}, 300_000);

test(`${FIND_RUNS * 2} relation loads with take/skip and wheres on joined relations return SQLite's entities`, async () => {
  const plain = (rows: (User | Group)[]) =>
    JSON.parse(
      JSON.stringify(
        rows.map((r) => ({
          ...r,
          ...('groups' in r && r.groups ? { groups: r.groups.map((g) => g.id).sort() } : {}),
          ...('users' in r && r.users ? { users: r.users.map((u) => u.id).sort() } : {}),
        })),
        (_k, v: unknown) => (v === undefined ? null : v),
      ),
    ) as unknown;
  await fc.assert(
    fc.asyncProperty(userRelationFind, async (options) => {
      counts.set('relation-loads', (counts.get('relation-loads') ?? 0) + 1);
      const expected = await d.oracle
        .getRepository(User)
        .find(options)
        .then(plain, (e: Error) => `error: ${e.message}`);
      const actual = await d.driver
        .getRepository(User)
        .find(options)
        .then(plain, (e: Error) => `error: ${e.message}`);
      expect({ options: JSON.stringify(options), result: actual }).toEqual({ options: JSON.stringify(options), result: expected });
    }),
    { seed: SEED + 3, numRuns: FIND_RUNS },
  );
  await fc.assert(
    fc.asyncProperty(groupRelationFind, async (options) => {
      counts.set('relation-loads', (counts.get('relation-loads') ?? 0) + 1);
      const expected = await d.oracle
        .getRepository(Group)
        .find(options)
        .then(plain, (e: Error) => `error: ${e.message}`);
      const actual = await d.driver
        .getRepository(Group)
        .find(options)
        .then(plain, (e: Error) => `error: ${e.message}`);
      expect({ options: JSON.stringify(options), result: actual }).toEqual({ options: JSON.stringify(options), result: expected });
    }),
    { seed: SEED + 4, numRuns: FIND_RUNS },
  );
}, 300_000);
