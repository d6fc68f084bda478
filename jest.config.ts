import type { Config } from 'jest';

/*
 * One jest project per package. Tests run as CommonJS through @swc/jest (ts-jest rejects TypeScript 7 and is
 * slower); got 14 and its dependencies are ESM-only, so they are transformed too instead of being ignored.
 * Workspace packages resolve to their TypeScript sources, so `pnpm test` never depends on a stale build.
 */
const swc: [string, Record<string, unknown>] = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

const esmOnly = [
  'got',
  '@sindresorhus/is',
  '@sec-ant/readable-stream',
  '@keyv/serialize',
  'byte-counter',
  'cacheable-lookup',
  'cacheable-request',
  'decompress-response',
  'form-data-encoder',
  'get-stream',
  'is-stream',
  'keyv',
  'lowercase-keys',
  'mimic-response',
  'normalize-url',
  'p-cancelable',
  'responselike',
  'chunk-data',
  'type-fest',
  'http2-wrapper',
  'jose',
];

const workspace = {
  '^@typeorm-pingone/simulator$': '<rootDir>/../pingone-simulator/src/index.ts',
  '^@typeorm-pingone/client$': '<rootDir>/../pingone-client/src/index.ts',
  '^typeorm-pingone$': '<rootDir>/../typeorm-pingone/src/index.ts',
  '^@typeorm-pingone/sql$': '<rootDir>/../pingone-sql/src/index.ts',
};

/** node's environment plus a check that names, closes and fails on servers and intervals a test file leaked. */
const testEnvironment = `${__dirname}/scripts/jest-leak-environment.cjs`;

function project(name: string): Config {
  return {
    displayName: name,
    rootDir: `${__dirname}/packages/${name}`,
    testEnvironment,
    setupFilesAfterEnv: [`${__dirname}/scripts/jest-journal-dir.cjs`],
    testMatch: ['<rootDir>/test/**/*.test.ts'],
    transform: { '^.+\\.(t|j|mj|cj)s$': swc },
    // pnpm keeps real paths as node_modules/.pnpm/<name with + for />@<version>/…
    transformIgnorePatterns: [`/node_modules/\\.pnpm/(?!(${esmOnly.map((n) => n.replace('/', '\\+')).join('|')})@)`],
    moduleNameMapper: { ...workspace, '^(\\.{1,2}/.*)\\.js$': '$1' },
  };
}

/*
 * The NestJS example is an ESM app (NestJS 12 ships ES modules only), so its tests run as ES modules (jest needs
 * node --experimental-vm-modules, set by scripts/run-jest.cjs). Workspace packages load from their CommonJS build,
 * as in a real app (got and jose bundled in the client's build), so nothing in node_modules needs transforming.
 */
function esmExample(name: string): Config {
  const esm: [string, Record<string, unknown>] = [swc[0], { ...swc[1], module: { type: 'es6' } }];
  return {
    displayName: name,
    rootDir: `${__dirname}/examples/${name}`,
    testEnvironment,
    testMatch: ['<rootDir>/test/**/*.test.ts'],
    extensionsToTreatAsEsm: ['.ts'],
    transform: { '^.+\\.ts$': esm, '^.+\\.(j|mj|cj)s$': swc },
    moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  };
}

/**
 * The CommonJS NestJS 11 example loads the workspace packages from their builds, as a real CommonJS app does, and
 * with jest's default transformIgnorePatterns (nothing in node_modules transformed): the client's build carries got and jose
 * bundled as CommonJS (packages/pingone-client/scripts/bundle-esm-only.cjs), so no ESM-only package reaches jest.
 */
function cjsExample(name: string): Config {
  return {
    ...project(name),
    rootDir: `${__dirname}/examples/${name}`,
    transformIgnorePatterns: ['/node_modules/'],
    moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  };
}

/*
 * The driver's read suites once more, against the strict, case-sensitive simulator (weakly sourced filter cells
 * refused, strings compared exactly outside username and email): PingOne may behave either way, so the answers must
 * be the same (packages/typeorm-pingone/test/helpers/simulator-mode.ts).
 */
function strictDriverSuites(): Config {
  const base = project('typeorm-pingone');
  return {
    ...base,
    displayName: 'typeorm-pingone (strict, case-sensitive)',
    testMatch: [
      'request-plan',
      'conformance',
      'group-nesting',
      'role-assignments',
      'directory-tables',
      'differential/*-differential',
      'sqlite-answers/semantic-differential',
    ].map((name) => `<rootDir>/test/${name}.test.ts`),
    setupFiles: ['<rootDir>/test/helpers/strict-simulator.setup.ts'],
  };
}

const config: Config = {
  projects: [
    ...['pingone-simulator', 'pingone-client', 'typeorm-pingone', 'pingone-sql'].map(project),
    strictDriverSuites(),
    esmExample('nestjs-app'),
    cjsExample('nestjs-cjs-app'),
  ],
  testTimeout: 30_000,
};

export default config;
