#!/usr/bin/env node
// Runs jest for the whole workspace. When CI asks for it (JEST_JSON_REPORT), jest also writes its JSON report
// there so .ci/run can print a plain "N passed, N failed" line and refuse a run in which no test ran.
// Under CI (CI=true) jest force-exits once the results are in: a handle a failing test leaked (see
// scripts/jest-leak-environment.cjs, which names and closes servers and intervals) can never hold the run open.
// JEST_DETECT_OPEN_HANDLES=1 adds jest's own --detectOpenHandles (in band and slower) to trace any other handle.
const { spawnSync } = require('node:child_process');

const truthy = (v) => v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
const args = ['jest', ...process.argv.slice(2)];
if (truthy(process.env.CI)) args.push('--ci', '--forceExit');
if (truthy(process.env.JEST_DETECT_OPEN_HANDLES)) args.push('--detectOpenHandles');
if (process.env.JEST_JSON_REPORT) args.push('--json', `--outputFile=${process.env.JEST_JSON_REPORT}`);
// The NestJS example's tests are ES modules; jest runs those only with vm modules enabled.
// Tests run off UTC (a zone with daylight saving): a timestamp read or written as local time instead of UTC differs
// there, where on a UTC machine (CI's) it would pass unnoticed.
const env = {
  ...process.env,
  TZ: 'America/New_York',
  NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules --no-warnings=ExperimentalWarning`.trim(),
};
const result = spawnSync('pnpm', ['exec', ...args], { stdio: 'inherit', env });
if (result.signal) process.stderr.write(`jest was stopped by ${result.signal}\n`);
process.exit(result.status ?? 1);
