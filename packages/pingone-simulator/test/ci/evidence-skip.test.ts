import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { runChildJest } from './child-jest';

/*
 * Without ../shared/reference the evidence suites say SKIPPED with the reason and the run passes (it used to fail with
 * ".each called with an empty Array"). A child jest runs them with PINGONE_REFERENCE_DIR pointing at a missing dir.
 */
test('the evidence suites skip with a SKIPPED line and pass when the reference directory is missing', async () => {
  const missing = join(tmpdir(), 'no-such-pingone-reference');
  const run = await runChildJest(
    ['packages/pingone-simulator/test/evidence/', 'packages/pingone-client/test/recordings-contract.test.ts'],
    { CI: 'true', PINGONE_REFERENCE_DIR: missing },
    240_000,
  );
  expect(run.killedBySafetyNet).toBe(false);
  expect(run.status).toBe(0);
  const skipped = run.output
    .split('\n')
    .filter((line) => line.startsWith('SKIPPED: '))
    .sort();
  expect(skipped).toEqual([
    `SKIPPED: "real recordings": ${missing}/real-recordings is missing, so the real-recording contract tests did not run.`,
    `SKIPPED: "replaying real PingOne recordings against the simulator": ${missing} is missing, so the tests against real PingOne evidence did not run.`,
    `SKIPPED: "simulator responses validate against the PingOne OpenAPI schemas": ${missing} is missing, so the tests against real PingOne evidence did not run.`,
  ]);
  expect(run.report).toMatchObject({ numFailedTests: 0, numPassedTests: 0, numPendingTests: 3 });
  expect(run.report!.testResults.map((r) => r.status)).toEqual(['skipped', 'skipped', 'skipped']);
}, 250_000);
