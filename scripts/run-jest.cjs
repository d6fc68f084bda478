#!/usr/bin/env node
// Runs jest for the whole workspace. When CI asks for it (JEST_JSON_REPORT), jest also writes its JSON report
// there so .ci/run can print a plain "N passed, N failed" line and refuse a run in which no test ran.
const { spawnSync } = require('node:child_process');

const args = ['jest', ...process.argv.slice(2)];
if (process.env.JEST_JSON_REPORT) args.push('--json', `--outputFile=${process.env.JEST_JSON_REPORT}`);
// The NestJS example's tests are ES modules; jest runs those only with vm modules enabled.
const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules --no-warnings=ExperimentalWarning`.trim() };
const result = spawnSync('pnpm', ['exec', ...args], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
