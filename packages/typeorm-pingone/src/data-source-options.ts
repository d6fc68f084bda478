import type { DataSourceOptions, Logger, LoggerOptions } from 'typeorm';
import type { PingOneClient, PingOneClientOptions } from '@typeorm-pingone/client';
import { PingOneDriverError } from './errors';
import { validateDriverOptions } from './mapping/validate-driver-options';
import type { CustomUserAttribute } from './mapping/custom-attributes';
import type { PingOneCacheOptions } from './cache/cache-options';
import type { SqlLimits } from './sql/statement-limits';
import type { PingOneTransactionJournalOptions } from './journal/journal-options';

export interface PingOneDataSourceOptions {
  /** Entity classes (or globs / schemas) mapped to the tables users, groups, populations and their junction. */
  readonly entities: NonNullable<DataSourceOptions['entities']>;
  /** How to reach PingOne: client options, a `pingone://?…` URL, or a ready PingOneClient. */
  readonly pingone: PingOneClientOptions | string | PingOneClient;
  /**
   * Custom attributes of your environment's user schema that entities may map (e.g. `['costCenter']`). Optional:
   * initialize() reads the user schema (`GET /schemas`) and maps custom attributes with their types; list them here
   * only when the worker app can't read schemas. Declare one as `{ name: 'costCenter', allowsContainsOperator: true }`
   * when its schema entry allows the contains operator, so `LIKE '%x%'` on it is pushed as `co`.
   */
  readonly customUserAttributes?: readonly CustomUserAttribute[];
  /**
   * `true`: initialize() contacts no PingOne (no token, no environment check, no schema read); errors come at the
   * first query. For apps that must boot offline. Default `false`: a wrong secret or environment fails initialize().
   */
  readonly lazyConnect?: boolean;
  /** `true` lets UPDATE / DELETE without WHERE and repository.clear() run (they touch every resource). Default `false`. */
  readonly allowUnfilteredWrites?: boolean;
  readonly logging?: LoggerOptions;
  readonly logger?: 'advanced-console' | 'simple-console' | 'file' | 'debug' | Logger;
  readonly name?: string;
  readonly subscribers?: DataSourceOptions['subscribers'];
  readonly maxQueryExecutionTime?: number;
  /** PingOne's schema is fixed: `true` only re-checks the entity mapping, which initialize() always does. */
  readonly synchronize?: boolean;
  /**
   * A read cache of PingOne's responses, off by default (TypeORM's own query cache is replaced by it): `true` for
   * 30 s in this process, or `{ ttlMs, store: 'memory' | { redis }, maxEntries }`. This driver's writes invalidate
   * what they touch (in every instance, with Redis); queries inside a transaction never read it.
   */
  readonly cache?: boolean | PingOneCacheOptions;
  /**
   * How large a statement the local SQL front end reads: `{ maxStatementLength, maxExpressionDepth }` (defaults
   * 4,000,000 characters and 1000 levels, as SQLite; beyond them STATEMENT_TOO_COMPLEX, before any work).
   */
  readonly sqlLimits?: Partial<SqlLimits>;
  /**
   * Where each transaction writes its intent records (with before-images) before its PingOne writes, so that one
   * interrupted by a crash can be found at the next initialize() and undone with recoverTransactions():
   * `{ dir }` (files, 0600), `{ store: { redis } }`, or `false`. Default: the cache's Redis if it has one, else files
   * in `<os temp dir>/typeorm-pingone-journal-<uid>` (docs/transactions.md).
   */
  readonly transactionJournal?: PingOneTransactionJournalOptions;
}

const ALLOWED = new Set([
  'entities',
  'pingone',
  'customUserAttributes',
  'lazyConnect',
  'allowUnfilteredWrites',
  'logging',
  'logger',
  'name',
  'subscribers',
  'maxQueryExecutionTime',
  'synchronize',
  'cache',
  'sqlLimits',
  'transactionJournal',
]);
const REFUSED: Readonly<Record<string, string>> = {
  type: "PingOneDataSource sets the driver itself; remove 'type'.",
  migrations: "PingOne's schema is managed by PingOne: there is nothing to migrate. Remove 'migrations'.",
  migrationsRun: "PingOne's schema is managed by PingOne: there is nothing to migrate. Remove 'migrationsRun'.",
  dropSchema: "PingOne's schema can't be dropped. Remove 'dropSchema'.",
  database: "There is no database file: PingOne is reached through the 'pingone' option. Remove 'database'.",
};

/** Refuses an options object PingOneDataSource can't honour, naming the option and what to write instead. */
export function validateDataSourceOptions(options: PingOneDataSourceOptions): void {
  if (typeof options !== 'object' || options === null)
    throw new PingOneDriverError('UNSUPPORTED_OPTION', 'PingOneDataSource needs an options object: { entities, pingone }.');
  for (const key of Object.keys(options)) {
    if (REFUSED[key]) throw new PingOneDriverError('UNSUPPORTED_OPTION', `PingOneDataSource option '${key}': ${REFUSED[key]}`);
    if (!ALLOWED.has(key))
      throw new PingOneDriverError('UNSUPPORTED_OPTION', `Unknown PingOneDataSource option '${key}'. Options: ${[...ALLOWED].join(', ')}.`);
  }
  for (const key of ['lazyConnect', 'allowUnfilteredWrites'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'boolean')
      throw new PingOneDriverError('UNSUPPORTED_OPTION', `PingOneDataSource option '${key}' must be true or false.`);
  }
  // customUserAttributes and every other option's type: validateDriverOptions, with the fix for each
  if (options.pingone === undefined) {
    throw new PingOneDriverError(
      'UNSUPPORTED_OPTION',
      "PingOneDataSource needs 'pingone': client options ({ environmentId, region, clientId, clientSecret }), a pingone:// URL, or a PingOneClient.",
    );
  }
  validateDriverOptions(options as unknown as Readonly<Record<string, unknown>>);
}
