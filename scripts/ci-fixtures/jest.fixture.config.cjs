// Jest config of the CI self-test fixtures (outside every project's testMatch, so `pnpm test` never runs them):
// packages/pingone-simulator/test/ci/leaky-run-ends.test.ts runs them in a child jest, as CI would.
module.exports = {
  rootDir: __dirname,
  testMatch: ['<rootDir>/*.fixture.ts'],
  testEnvironment: `${__dirname}/../jest-leak-environment.cjs`,
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }] },
};
