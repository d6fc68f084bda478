import { REPO_ROOT, runChildJest } from './child-jest';

/*
 * The CI guarantee behind .ci/run: a failing test that leaks a listening server (or any other handle) no longer keeps
 * jest alive. A child jest runs, as CI does (CI=true), two deliberately broken fixtures from scripts/ci-fixtures
 * (outside every testMatch): one leaks a server, which the leak check names and closes; one leaks an hour-long timer,
 * which only --forceExit can end. The child must end by itself, report the leak, and fail.
 */
test('under CI a run whose failing tests leak a server and a timer still ends, naming the leaked server', async () => {
  const run = await runChildJest(['--config', 'scripts/ci-fixtures/jest.fixture.config.cjs'], { CI: 'true' }, 120_000);
  expect(run.killedBySafetyNet).toBe(false);
  expect(run.status).toBe(1);
  expect(run.output).toMatch(/LEAKED HANDLES: 1 handle\(s\) still open after every test and hook of \S*leaks-a-server\.fixture\.ts/);
  expect(run.output).toMatch(/- a server listening on 127\.0\.0\.1:\d+, opened at\n\s+at \S+ \(\S*leaks-a-server\.fixture\.ts:\d+:\d+\)/);
  expect(run.output).toMatch(/Force exiting Jest/);
  expect(run.report?.numFailedTests).toBe(2);
  const byFile = Object.fromEntries(run.report!.testResults.map((r) => [r.name.replace(`${REPO_ROOT}/`, ''), r]));
  expect(Object.keys(byFile).sort()).toEqual([
    'scripts/ci-fixtures/leaks-a-server.fixture.ts',
    'scripts/ci-fixtures/leaks-a-timer.fixture.ts',
  ]);
  expect(byFile['scripts/ci-fixtures/leaks-a-server.fixture.ts'].message).toMatch(/LEAKED HANDLES/);
  expect(byFile['scripts/ci-fixtures/leaks-a-timer.fixture.ts'].message).not.toMatch(/LEAKED HANDLES/);
}, 130_000);
