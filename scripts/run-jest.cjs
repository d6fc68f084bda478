#!/usr/bin/env node
// Runs jest for the whole workspace. When CI asks for it (JEST_JSON_REPORT), jest also writes its JSON report
// there so .ci/run can print a plain "N passed, N failed" line and refuse a run in which no test ran.
const { spawnSync } = require('node:child_process');

const args = ['jest', ...process.argv.slice(2)];
if (process.env.JEST_JSON_REPORT) args.push('--json', `--outputFile=${process.env.JEST_JSON_REPORT}`);
const result = spawnSync('pnpm', ['exec', ...args], { stdio: 'inherit' });
process.exit(result.status ?? 1);
