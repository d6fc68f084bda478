// ESLint with type-aware rules (typescript-eslint), run by `pnpm lint` and by .ci/run. Each file is checked with the
// tsconfig.json nearest to it: the packages' own for src/, packages/*/test/tsconfig.json for tests, the root one for
// bench/ and scripts/, the examples' own.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/*
 * Each third-party library is imported in exactly one module (docs/development.md), so replacing or upgrading it
 * touches one file. The owner of each; anywhere else in a package's src/ the import is an error. TypeORM's public
 * API (`typeorm`) is the exception: it is what the driver implements, so the driver's modules and the shell's entity
 * declarations import it where they use it; its internals (deep imports) have one owner like any library.
 */
const OWNERS = {
  got: 'packages/pingone-client/src/http/transport.ts',
  jose: 'packages/pingone-client/src/auth/client-assertion.ts',
  ioredis: 'packages/pingone-client/src/store/redis-connection.ts',
  'rate-limiter-flexible': 'packages/pingone-client/src/http/shared-rate-limiter.ts',
  alasql: 'packages/typeorm-pingone/src/sql/alasql-join.ts',
  'typeorm/*': 'packages/typeorm-pingone/src/typeorm-internals.ts', // TypeORM's internals (deep imports)
  commander: 'packages/pingone-sql/src/cli.ts',
  'cli-table3': 'packages/pingone-sql/src/table-format.ts',
  'reflect-metadata': 'packages/pingone-sql/src/sql-shell.ts', // the decorators' metadata, loaded before any entity
  '@nestjs/common': 'packages/typeorm-pingone/src/nestjs/pingone-exception-filter.ts', // optional peer
};

/** no-restricted-imports for every owned library except `except` (its owner's own import). */
function onlyInOwner(except) {
  const patterns = Object.entries(OWNERS)
    .filter(([lib]) => lib !== except)
    .map(([lib, owner]) => ({
      group: lib.endsWith('/*') ? [lib] : [lib, `${lib}/*`],
      message: `Import ${lib} only in ${owner} (each third-party library in exactly one module: docs/development.md); use what that module exports.`,
    }));
  return ['error', { patterns }];
}

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', 'examples/nestjs-app/public/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // An async function without await is how a Promise-returning interface is implemented (a throw becomes a
      // rejection); the rule flags those, not mistakes. Unawaited promises are no-floating-promises' job.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      'no-eval': 'error',
      'no-new-func': 'error',
    },
  },
  // Library code: the single-importer rule
  { files: ['packages/*/src/**/*.ts'], rules: { 'no-restricted-imports': onlyInOwner(undefined) } },
  ...Object.entries(OWNERS).map(([lib, owner]) => ({ files: [owner], rules: { 'no-restricted-imports': onlyInOwner(lib) } })),
  // Tests and benchmarks read JSON answers (typed any by fetch and supertest): member access on them is the point
  // of the test. Promises stay checked (an unawaited expect(...).rejects asserts nothing).
  {
    files: ['packages/*/test/**/*.ts', 'examples/*/test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/unbound-method': 'off', // expect(obj.method).toHaveBeenCalled…
    },
  },
  // CommonJS scripts (jest's environment and setup, the build's bundler): require() is how they load modules
  {
    files: ['**/*.{js,cjs,mjs}'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: { ...globals.node, ...globals.jest } },
    rules: {
      ...tseslint.configs.disableTypeChecked.rules,
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/consistent-type-imports': 'off',
    },
  },
);
