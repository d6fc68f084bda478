import fc from 'fast-check';
import { User } from '../../src';
import { startDifferential, type Differential } from './differential-harness';
import { generatedFind } from './find-generators';

/**
 * repository.find() with generated options (every TypeORM operator, OR-arrays, relations, order, skip/take) on the
 * driver and on SQLite: the same entities, in the same order. Seeded; a failure prints the options.
 */
const RUNS = 200;
let d: Differential;
beforeAll(async () => {
  d = await startDifferential();
}, 60_000);
afterAll(async () => {
  await d?.close();
});

function plain(users: User[]): unknown[] {
  return users.map((u) =>
    JSON.parse(JSON.stringify({ ...u, groups: u.groups?.map((g) => g.id).sort() }, (_k, v: unknown) => (v === undefined ? null : v))),
  );
}

test(`${RUNS} generated find() options return SQLite's entities`, async () => {
  await fc.assert(
    fc.asyncProperty(generatedFind, async (options) => {
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
    { seed: 20261202, numRuns: RUNS },
  );
}, 300_000);
