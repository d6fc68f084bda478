import { inspect, type InspectOptions } from 'node:util';
import type { DataSource, EntityMetadata, ObjectLiteral } from 'typeorm';
import { openRedisConnection, type PingOneClient } from '@typeorm-pingone/client';
import { AbstractSqliteDriver, type ColumnMetadata, type ReplicationMode } from './typeorm-internals';
import { buildMappings, mapsUnknownUserColumns } from './mapping/build-mappings';
import { adaptEntityMetadata } from './mapping/adapt-metadata';
import { checkConnection } from './mapping/check-connection';
import { namedCustomAttributes, type CustomUserAttribute } from './mapping/custom-attributes';
import { readCustomUserAttributes } from './mapping/read-user-schema';
import type { TableMapping } from './mapping/table-mapping';
import { PingOneQueryRunner } from './pingone-query-runner';
import { enableFastHydration, hydrationOf, utcTextToDate } from './mapping/fast-hydration';
import { PingOneDriverError } from './errors';
import { resolveEnvironments } from './mapping/resolve-environments';
import type { ResponseCache } from './cache/response-cache';
import type { SqlLimits } from './sql/statement-limits';
import { prepare, type PreparedStatement } from './prepared-statement';
import type { JournalStore } from './journal/journal-store';
import { findInterruptedTransactions, interruptedWarning } from './journal/transaction-recovery';
import { FilterLedger } from './planner/filter-ledger';
import { redisLedgerStore, type LedgerStore } from './planner/ledger-store';
import { withRefusals } from './mapping/with-refusals';

export interface PingOneDriverDeps {
  readonly client: PingOneClient;
  /** custom attributes named by the app; undefined: read from the user schema at initialize() */
  readonly customUserAttributes?: readonly CustomUserAttribute[] | undefined;
  /** skip the connection check and the schema read at initialize() */
  readonly lazyConnect?: boolean;
  /** let UPDATE and DELETE without WHERE (and repository.clear()) run */
  readonly allowUnfilteredWrites?: boolean;
  /** the read cache (DataSource option `cache`), off when undefined */
  readonly responseCache?: ResponseCache;
  /** how large a statement the local SQL front end reads (DataSource option `sqlLimits`) */
  readonly sqlLimits?: SqlLimits;
  /** where transactions journal their changes (DataSource option `transactionJournal`), off when undefined */
  readonly journalStore?: JournalStore;
  /** the app chose the journal's place: if it can't be used, writes in transactions fail rather than go unjournaled */
  readonly journalChosen?: boolean;
}

/**
 * Where filter verdicts are shared between instances: the client's Redis store (`rateLimit.store`), else the read
 * cache's (`cache.store`), else nowhere. `close` releases a connection opened for it.
 */
function sharedLedgerStore(client: PingOneClient, cache: ResponseCache | undefined): { store: LedgerStore; close: () => void } | undefined {
  const shared = client.sharedStore;
  if (shared) return { store: redisLedgerStore(shared, client.sharedStoreKeyPrefix ?? 'typeorm-pingone:'), close: () => undefined };
  const cached = cache?.options.store;
  if (cached === undefined || cached === 'memory') return undefined;
  const connection = openRedisConnection(cached.url, {
    commandTimeoutMs: cached.commandTimeoutMs,
    connectTimeoutMs: cached.connectTimeoutMs,
    logger: undefined,
  });
  return { store: redisLedgerStore(connection, cached.keyPrefix), close: () => connection.close() };
}

/**
 * TypeORM's driver for PingOne. It keeps the SQLite dialect (the closest to alasql's, typeorm-driver-notes.md §1),
 * opens no database connection, maps entities to PingOne at initialize(), and hands every statement to a
 * PingOneQueryRunner.
 */
export class PingOneDriver extends AbstractSqliteDriver {
  readonly client: PingOneClient;
  readonly #customUserAttributes: readonly CustomUserAttribute[] | undefined;
  readonly #lazyConnect: boolean;
  readonly allowUnfilteredWrites: boolean;
  readonly responseCache: ResponseCache | undefined;
  readonly sqlLimits: SqlLimits | undefined;
  #journalStore: JournalStore | undefined;
  readonly #journalChosen: boolean;
  /**
   * What this DataSource learned of PingOne's filter support: cells PingOne refused are evaluated locally from then
   * on (docs/pushdown.md). Shared through the client's Redis store (`rateLimit.store`) when one is configured.
   */
  readonly filterLedger: FilterLedger;
  readonly #ledgerStore: { store: LedgerStore; close: () => void } | undefined;
  #mappings: ReadonlyMap<string, TableMapping> | undefined;
  #clients: ReadonlyMap<string, PingOneClient> = new Map();

  constructor(dataSource: DataSource, deps: PingOneDriverDeps) {
    super(dataSource);
    this.client = deps.client;
    this.responseCache = deps.responseCache;
    this.sqlLimits = deps.sqlLimits;
    this.#journalStore = deps.journalStore;
    this.#journalChosen = deps.journalChosen ?? false;
    this.#customUserAttributes = deps.customUserAttributes;
    this.#lazyConnect = deps.lazyConnect ?? false;
    this.allowUnfilteredWrites = deps.allowUnfilteredWrites ?? false;
    this.#ledgerStore = sharedLedgerStore(deps.client, deps.responseCache);
    this.filterLedger = new FilterLedger((message) => {
      dataSource.logger.log('warn', message);
    }, this.#ledgerStore?.store);
    enableFastHydration(this);
  }

  toJSON(): Record<string, unknown> {
    return { driver: 'pingone', isInitialized: this.isInitialized, client: this.client.toJSON() };
  }

  [inspect.custom](depth: number, options: InspectOptions): string {
    return `PingOneDriver ${inspect(this.toJSON(), { ...options, depth: Math.max(0, depth) })}`;
  }

  get isInitialized(): boolean {
    return this.#mappings !== undefined;
  }

  /** The table → PingOne mapping, built and checked at initialize(). */
  /**
   * Parses, binds and checks a statement without running it: its kind, table and the rows an UPDATE/DELETE would
   * touch can be looked at first, and run() executes that same tree (prepared-statement.ts).
   */
  prepare(sql: string, params: unknown[] = [], options: { readonly uniqueNames?: boolean } = {}): PreparedStatement {
    return prepare(
      sql,
      params,
      { mappings: this.mappings, limits: this.sqlLimits, runner: () => this.createQueryRunner('master') },
      options,
    );
  }

  get mappings(): ReadonlyMap<string, TableMapping> {
    if (!this.#mappings)
      throw new PingOneDriverError('MAPPING_ERROR', 'The DataSource is not initialized: call `await dataSource.initialize()` first.');
    return this.#mappings;
  }

  override async connect(): Promise<void> {
    // Nothing to open: every statement becomes PingOne requests through the client.
  }

  override async afterConnect(): Promise<void> {
    const entities = this.dataSource.entityMetadatas;
    if (!this.#lazyConnect) await checkConnection(this.client);
    const readSchema = this.#customUserAttributes === undefined && !this.#lazyConnect && mapsUnknownUserColumns(entities);
    const custom =
      this.#customUserAttributes !== undefined
        ? namedCustomAttributes(this.#customUserAttributes)
        : readSchema
          ? await readCustomUserAttributes(this.client)
          : new Map();
    const mappings = buildMappings(entities, custom, readSchema);
    this.#clients = await resolveEnvironments(
      this.client,
      [...mappings.values()].map((m) => m.environment),
    );
    adaptEntityMetadata(entities, mappings);
    this.#mappings = withRefusals(mappings, this.filterLedger);
    await this.#warnOfInterruptedTransactions();
  }

  /**
   * Journals left by processes that died inside a transaction (journal/): their changes are in PingOne with nothing
   * else to find them by, so initialize() says so, with how to undo or keep them. Reading the journals never fails
   * initialize(); a journal that can't be read is a warning too.
   */
  async #warnOfInterruptedTransactions(): Promise<void> {
    const store = this.#journalStore;
    if (!store) return;
    let message: string;
    let code = 'PINGONE_TRANSACTION_INTERRUPTED';
    try {
      const found = await findInterruptedTransactions(store, this.client.environmentId);
      if (found.length === 0) return;
      message = interruptedWarning(found, store.location);
    } catch (error) {
      // fs errors may come from another realm (a test's vm): read the message, don't rely on instanceof
      const reason = typeof (error as { message?: unknown })?.message === 'string' ? (error as { message: string }).message : String(error);
      code = 'PINGONE_TRANSACTION_JOURNAL_UNAVAILABLE';
      if (this.#journalChosen) {
        message = `The transaction journals in ${store.location} could not be read (${reason}), so transactions interrupted by a crash can't be found, and writes inside transactions will fail until they can be journaled; fix access to them, or set transactionJournal to another place.`;
      } else {
        // The default place (a read-only temp directory, say) must not make every save() fail: go on without it, loudly.
        this.#journalStore = undefined;
        message =
          `The default transaction journal ${store.location} can't be used (${reason}), so transactions are not crash-durable in this process: a crash inside one leaves its changes with nothing to find them by. ` +
          "Choose a place with the DataSource option transactionJournal: { dir: '/a/writable/dir' } (or { store: { redis } }), or set it to false to say you don't want one.";
      }
    }
    this.dataSource.logger.log('warn', message);
    process.emitWarning(message, { code });
  }

  /**
   * An entity's `schema` names a PingOne environment; TypeORM's SQLite dialect would drop it from the SQL, so it is
   * folded into the table path (`Administrators~users`) and each path maps to its environment.
   */
  override buildTableName(tableName: string, schema?: string, database?: string): string {
    void database;
    return schema ? `${schema}~${tableName}` : tableName;
  }

  /** The client for an entity's environment (its schema), or the configured one. */
  clientFor(environment: string | undefined): PingOneClient {
    if (environment === undefined) return this.client;
    const client = this.#clients.get(environment);
    if (!client) throw new PingOneDriverError('MAPPING_ERROR', `Environment '${environment}' was not resolved at initialize().`);
    return client;
  }

  override async disconnect(): Promise<void> {
    await PingOneQueryRunner.rollbackOpenTransactions(this);
    this.responseCache?.close();
    this.#ledgerStore?.close();
    this.#mappings = undefined;
  }

  protected override async createDatabaseConnection(): Promise<unknown> {
    return {};
  }

  protected override loadDependencies(): void {
    // No native SQLite package: alasql is imported where it is used.
  }

  /** A new runner per call: runners carry transaction state and must not be shared between requests. */
  override createQueryRunner(_mode: ReplicationMode): PingOneQueryRunner {
    return new PingOneQueryRunner(this);
  }

  /** PingOne assigns ids, so TypeORM must send NULL for generated uuid columns and read the id back. */
  override isUUIDGenerationSupported(): boolean {
    return true;
  }

  /**
   * After an INSERT, the created resource (as a row) gives TypeORM what PingOne assigned: the id, and every other
   * value PingOne set (timestamps, defaults such as enabled or account status), so the saved entity matches PingOne.
   */
  override createGeneratedMap(metadata: EntityMetadata, insertResult: unknown, entityIndex: number): ObjectLiteral | undefined {
    // TypeORM passes raw[entityIndex] when raw is an array of created rows (what the write executor returns).
    const row = (Array.isArray(insertResult) ? insertResult[entityIndex] : insertResult) as Record<string, unknown> | undefined;
    if (!row || typeof row !== 'object') return undefined;
    const generated: ObjectLiteral = {};
    for (const column of metadata.columns) {
      const value = row[column.databaseName];
      if (value === undefined || value === null || column.relationMetadata) continue;
      column.setEntityValue(generated, this.prepareHydratedValue(value, column));
    }
    return Object.keys(generated).length > 0 ? generated : undefined;
  }

  /**
   * TypeORM calls this once per column of every hydrated row. The row codec stores text, 0/1 and SQLite's
   * `YYYY-MM-DD HH:MM:SS.SSS` UTC text, so those three cases skip the base class's chain of type tests and its two
   * regexes and string edits per timestamp; the values are the same (a UTC Date from the same text). Anything else,
   * and any column with a transformer, is the base class's.
   */
  override prepareHydratedValue(value: unknown, column: ColumnMetadata): unknown {
    if (value !== null && value !== undefined) {
      const how = hydrationOf(column);
      if (how === 'text') return value;
      if (how === 'boolean') return value ? true : false;
      if (how === 'timestamp') return utcTextToDate(value) ?? super.prepareHydratedValue(value, column);
    }
    return super.prepareHydratedValue(value, column);
  }

  /** Where transactions journal their changes; undefined when off (or when the default place proved unusable). */
  get journalStore(): JournalStore | undefined {
    return this.#journalStore;
  }

  /** Rollbacks that could not be fully undone (TypeORM's transaction() swallows rollback errors, so they are kept here too). */
  readonly compensationFailures: Error[] = [];
}
