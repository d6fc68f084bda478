import fc from 'fast-check';
import { DIRECTORY_ENTITIES, Group, GroupTotals, Population, User } from '../../src';
import { expectSqliteAnswer, startDifferential, type Differential } from './differential-harness';
import { directoryQuery, type TableRows } from './directory-generators';
import type { GeneratedQuery } from './sql-generators';

/**
 * The directory tables (roles and role assignments, applications with grants and attribute mappings, identity
 * providers and linked accounts, sessions, password policies, audit activities, environments, organizations and
 * licenses, typed, nested and effective memberships) against SQLite loaded with the same rows: generated SELECTs
 * with conditions on each table's columns (pushed where PingOne filters them) and on the parents a table is listed
 * under, end to end through the simulator, and through the local engine alone. Seeded: a failure replays.
 */
const SEED = 20261207;
const REMOTE_RUNS_PER_TABLE = 25;
const LOCAL_RUNS_PER_TABLE = 120;
// GroupTotals maps `groups` a second time (with the count PingOne reads one group at a time): the oracle has one groups table
const ENTITIES = [User, Group, Population, ...DIRECTORY_ENTITIES.filter((e) => e !== GroupTotals)];

let d: Differential;
let tables: Map<string, TableRows>;
beforeAll(async () => {
  d = await startDifferential({ sim: { seed: 'demo', users: 40 }, entities: ENTITIES });
  const mappings = d.driver.pingoneDriver.mappings;
  tables = new Map([...mappings].map(([name, mapping]) => [name, { name, mapping, rows: d.rows.get(name) ?? [] }]));
}, 120_000);
afterAll(async () => {
  await d?.close();
});

const DIRECTORY_TABLES = [
  'roles',
  'user_role_assignments',
  'group_role_assignments',
  'application_role_assignments',
  'applications',
  'application_grants',
  'application_attribute_mappings',
  'identity_providers',
  'linked_accounts',
  'user_sessions',
  'password_policies',
  'audit_activities',
  'environments',
  'organizations',
  'licenses',
  'user_group_memberships',
  'group_nesting',
  'effective_group_memberships',
];

test('every directory table is loaded on both sides, and the demo directory gives each rows', () => {
  expect([...tables.keys()].sort()).toEqual(expect.arrayContaining(DIRECTORY_TABLES));
  for (const name of DIRECTORY_TABLES) expect({ name, rows: tables.get(name)!.rows.length > 0 }).toEqual({ name, rows: true });
});

/** The driver's answer is SQLite's; and SQLite answered it (a statement both sides refuse would compare equal, and prove nothing). */
async function check(tally: { rows: number; runs: number }, q: GeneratedQuery, mine: () => unknown): Promise<void> {
  const answer = d.oraclePairs(q.sql, [...q.params]);
  tally.runs++;
  if (answer.length > 0) tally.rows++;
  await expectSqliteAnswer(d, q, mine);
}

describe.each(DIRECTORY_TABLES)('%s', (name) => {
  test("generated SELECTs end to end (pushdown to the simulator, then the local re-check) return SQLite's rows", async () => {
    const tally = { rows: 0, runs: 0 };
    await fc.assert(
      fc.asyncProperty(directoryQuery(tables.get(name)!, tables), (q) => check(tally, q, () => d.driver.query(q.sql, [...q.params]))),
      { seed: SEED, numRuns: REMOTE_RUNS_PER_TABLE },
    );
    // the conditions are drawn from the table's own values: many statements have rows to compare
    expect({ name, answeredWithRows: tally.rows >= tally.runs / 4 }).toEqual({ name, answeredWithRows: true });
  }, 120_000);

  test('the same through the local engine alone', async () => {
    const tally = { rows: 0, runs: 0 };
    await fc.assert(
      fc.asyncProperty(directoryQuery(tables.get(name)!, tables), (q) => check(tally, q, () => d.local(q.sql, q.params))),
      { seed: SEED + 1, numRuns: LOCAL_RUNS_PER_TABLE },
    );
    expect({ name, answeredWithRows: tally.rows >= tally.runs / 4 }).toEqual({ name, answeredWithRows: true });
  }, 120_000);
});
