import { inspect, type InspectOptions } from 'node:util';
import {
  DataSource,
  type EntityManager,
  type EntityTarget,
  type LoggerOptions,
  type ObjectLiteral,
  type QueryRunner,
  type SelectQueryBuilder,
} from 'typeorm';
import { createPingOneClient, PingOneClient } from '@typeorm-pingone/client';
import { PingOneDriverError } from './errors';
import { checkEntitiesLoaded, checkEntityList } from './mapping/validate-driver-options';
import { validateDataSourceOptions, type PingOneDataSourceOptions } from './data-source-options';
import { PingOneDriver } from './pingone-driver';
import { lockError, PingOneEntityManager } from './pingone-entity-manager';
import { resolveCacheOptions } from './cache/cache-options';
import { ResponseCache } from './cache/response-cache';
import { resolveSqlLimits } from './sql/statement-limits';
import { openJournalStore, resolveJournalOptions } from './journal/journal-options';
import type { JournalStore } from './journal/journal-store';
import {
  findInterruptedTransactions,
  recoverTransactions,
  type InterruptedTransaction,
  type RecoveredTransaction,
} from './journal/transaction-recovery';

/**
 * A TypeORM DataSource whose database is a PingOne environment. TypeORM 1.1.1 has no driver registry, so this
 * subclass installs the PingOne driver in place of the one TypeORM builds (typeorm-driver-notes.md §1.1); it is the
 * one supported way in, and works with `@nestjs/typeorm`'s `dataSourceFactory`.
 *
 * @example
 * const dataSource = await new PingOneDataSource({ entities: [User, Group, Population], pingone: { environmentId, region: 'EU', clientId, clientSecret } }).initialize();
 * const contractors = await dataSource.getRepository(User).findBy({ type: 'Contractor' });
 */
export class PingOneDataSource extends DataSource {
  /** The PingOne client the driver uses, for operations the TypeORM API has no words for. */
  readonly pingone: PingOneClient;

  constructor(options: PingOneDataSourceOptions) {
    validateDataSourceOptions(options);
    const cache = resolveCacheOptions(options.cache);
    const journal = resolveJournalOptions(options.transactionJournal, cache);
    // TypeORM never sees `cache`: its query-result cache would need a table; the driver's cache replaces it.
    const sqlLimits = resolveSqlLimits(options.sqlLimits);
    const {
      pingone,
      customUserAttributes,
      lazyConnect,
      allowUnfilteredWrites,
      synchronize: _synchronize,
      cache: _cache,
      sqlLimits: _sqlLimits,
      transactionJournal: _journal,
      ...typeormOptions
    } = options;
    // "capacitor" is a SQLite-family type whose driver constructor is inert; the real driver replaces it below.
    // TypeORM's `logging: true` means queries and errors, not 'info', where the driver logs each PingOne request
    // (docs/driver.md: `logging: true` prints them); true is widened so the documented behaviour holds.
    const logging: LoggerOptions | undefined =
      typeormOptions.logging === true ? ['query', 'error', 'warn', 'info'] : typeormOptions.logging;
    super({
      ...typeormOptions,
      ...(logging !== undefined ? { logging } : {}),
      type: 'capacitor',
      driver: {},
      database: 'pingone',
      synchronize: false,
    });
    this.pingone = pingone instanceof PingOneClient ? pingone : createPingOneClient(pingone);
    this.#ownsClient = !(pingone instanceof PingOneClient);
    const responseCache = cache
      ? new ResponseCache(cache, {
          warn: (m) => {
            this.logger.log('warn', m);
          },
          info: (m) => {
            this.logger.log('info', m);
          },
        })
      : undefined;
    const journalStore = openJournalStore(journal, {
      warn: (m) => {
        this.logger.log('warn', m);
      },
    });
    this.#journalStore = journalStore;
    Object.defineProperty(this, 'driver', {
      value: new PingOneDriver(this, {
        client: this.pingone,
        customUserAttributes,
        lazyConnect: lazyConnect ?? false,
        allowUnfilteredWrites: allowUnfilteredWrites ?? false,
        sqlLimits,
        ...(responseCache ? { responseCache } : {}),
        ...(journalStore ? { journalStore, journalChosen: journal.kind !== 'off' && journal.explicit } : {}),
      }),
      writable: true,
      configurable: true,
      enumerable: true,
    });
  }

  readonly #ownsClient: boolean;
  readonly #journalStore: JournalStore | undefined;

  /**
   * Also closes the client this DataSource created (its limiter timers and Redis connection) and the journal store;
   * a DataSource never initialized (used for interruptedTransactions() / recoverTransactions() alone) only closes those.
   */
  override async destroy(): Promise<void> {
    if (this.isInitialized) await super.destroy();
    this.#journalStore?.close();
    if (this.#ownsClient) this.pingone.close();
  }

  /**
   * Transactions whose process ended without COMMIT or ROLLBACK (a crash, `kill -9`, `process.exit()`), as their
   * journals tell them: what each changed in PingOne. initialize() warns of them; this lists them without acting.
   */
  async interruptedTransactions(): Promise<InterruptedTransaction[]> {
    const store = this.#requireJournal('interruptedTransactions()');
    return findInterruptedTransactions(store, this.pingone.environmentId);
  }

  /**
   * Ends the interrupted transactions: `rollback` undoes each change with its before-image (a transaction whose
   * COMMIT had begun is completed instead: its deletes can't be undone), `keep` acknowledges them as they are. Either
   * way their journals go, except where a change failed (the result says which; run it again).
   */
  async recoverTransactions(options: { readonly action: 'rollback' | 'keep' }): Promise<RecoveredTransaction[]> {
    const store = this.#requireJournal('recoverTransactions()');
    if (typeof options !== 'object' || options === null)
      throw new PingOneDriverError('UNSUPPORTED_OPTION', "recoverTransactions() needs { action: 'rollback' } or { action: 'keep' }.");
    return recoverTransactions(store, this.pingone, options.action, (request) => {
      this.logger.log('info', `PingOne ${request}   ← recoverTransactions()`);
    });
  }

  #requireJournal(what: string): JournalStore {
    if (!this.#journalStore)
      throw new PingOneDriverError(
        'UNSUPPORTED_OPTION',
        `${what}: this DataSource keeps no transaction journal (transactionJournal: false), so there is nothing to recover from. Remove the option to journal transactions.`,
      );
    return this.#journalStore;
  }

  /** Also checks `entities`: TypeORM skips entries it can't use, which would otherwise surface at the first query. */
  override async initialize(): Promise<this> {
    checkEntityList(this.options.entities);
    await super.initialize();
    try {
      checkEntitiesLoaded(this.options.entities, this.entityMetadatas);
    } catch (error) {
      await this.destroy();
      throw error;
    }
    return this;
  }

  /** What JSON.stringify shows: no client, driver or entity internals (the client's credentials stay out of reach). */
  toJSON(): Record<string, unknown> {
    return { isInitialized: this.isInitialized, pingone: this.pingone.toJSON() };
  }

  [inspect.custom](depth: number, options: InspectOptions): string {
    return `PingOneDataSource ${inspect(this.toJSON(), { ...options, depth: Math.max(0, depth) })}`;
  }

  /** Every manager (and so every repository) refuses softDelete/restore with what PingOne offers instead. */
  override createEntityManager(queryRunner?: QueryRunner): EntityManager {
    return new PingOneEntityManager(this, queryRunner);
  }

  /**
   * Query builders refuse locks (find options `lock`, setLock()) with what PingOne offers instead; `dirty_read` (read
   * without waiting for others' writes) is what every PingOne read is, so it is a no-op, as on SQLite.
   */
  override createQueryBuilder<Entity extends ObjectLiteral>(
    entityOrRunner?: EntityTarget<Entity> | QueryRunner,
    alias?: string,
    queryRunner?: QueryRunner,
  ): SelectQueryBuilder<Entity> {
    const builder = (
      alias === undefined
        ? super.createQueryBuilder(entityOrRunner as QueryRunner | undefined)
        : super.createQueryBuilder(entityOrRunner as EntityTarget<Entity>, alias, queryRunner)
    ) as SelectQueryBuilder<Entity>;
    Object.defineProperty(builder, 'setLock', {
      value: (mode: unknown) => {
        if (mode === 'dirty_read') return builder;
        throw lockError(mode);
      },
      configurable: true,
    });
    return builder;
  }

  get pingoneDriver(): PingOneDriver {
    return this.driver as PingOneDriver;
  }

  /**
   * The plan of a SELECT without running it: for each table, the PingOne request and filter, then what runs locally.
   * Pass a QueryBuilder, or SQL with its parameters. Use `explainAnalyze` to run it and list the real requests.
   */
  async explain(query: SelectQueryBuilder<ObjectLiteral> | string, parameters: unknown[] = []): Promise<Record<string, string>[]> {
    return this.#explain('EXPLAIN', query, parameters);
  }

  async explainAnalyze(query: SelectQueryBuilder<ObjectLiteral> | string, parameters: unknown[] = []): Promise<Record<string, string>[]> {
    return this.#explain('EXPLAIN ANALYZE', query, parameters);
  }

  async #explain(
    prefix: string,
    query: SelectQueryBuilder<ObjectLiteral> | string,
    parameters: unknown[],
  ): Promise<Record<string, string>[]> {
    const [sql, params] = typeof query === 'string' ? [query, parameters] : query.getQueryAndParameters();
    return this.query<Record<string, string>[]>(`${prefix} ${sql}`, params);
  }
}
