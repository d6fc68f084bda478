import 'reflect-metadata';
import fc from 'fast-check';
import type { DataSource } from 'typeorm';
import { startSimulator, type RunningSimulator } from '@typeorm-pingone/simulator';
import { User, type PingOneDataSource } from '../../src';
import { openDataSource } from '../helpers/driver-harness';
import { oracleOf } from './differential-harness';
import { generatedFind } from './find-generators';

/*
 * Generated find() options on a directory large enough for whole reads to be partitioned (2,000 demo users: the users
 * and All Staff's members read as partitions by population at the same time): the same entities as SQLite's, in the
 * same order. Seeded; a failure prints the options.
 */
const RUNS = 20;
let sim: RunningSimulator;
let driver: PingOneDataSource;
let oracle: DataSource;

beforeAll(async () => {
  sim = await startSimulator({ seed: 'demo', users: 2000 });
  driver = await openDataSource(sim);
  oracle = await oracleOf(driver);
}, 120_000);
afterAll(async () => {
  await oracle?.destroy();
  await driver?.destroy();
  await sim?.close();
});

function plain(users: User[]): unknown[] {
  return users.map((u) =>
    JSON.parse(JSON.stringify({ ...u, groups: u.groups?.map((g) => g.id).sort() }, (_k, v: unknown) => (v === undefined ? null : v))),
  );
}

test(`${RUNS} generated find() options over partitioned reads return SQLite's entities`, async () => {
  let partitioned = 0;
  await fc.assert(
    fc.asyncProperty(generatedFind, async (options) => {
      const expected = await oracle
        .getRepository(User)
        .find(options)
        .then(plain, (e: Error) => `error: ${e.message}`);
      sim.requests.clear();
      const actual = await driver
        .getRepository(User)
        .find(options)
        .then(plain, (e: Error) => `error: ${e.message}`);
      if (sim.requests.api().some((r) => r.query.filter?.includes('population.id eq'))) partitioned++;
      expect({ options: JSON.stringify(options), result: actual }).toEqual({ options: JSON.stringify(options), result: expected });
    }),
    { seed: 29_2000, numRuns: RUNS },
  );
  expect(partitioned).toBeGreaterThan(RUNS / 4); // most generated options read every user (their conditions stay local)
}, 300_000);
