// Setup of the jest project `typeorm-pingone (strict, case-sensitive)`: its suites run against the strict,
// case-sensitive simulator (test/helpers/simulator-mode.ts).
process.env.PINGONE_SIMULATOR_MODE = 'strict';
