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
  const connection = openRedisConnection(cached.url, { commandTimeoutMs: cached.commandTimeoutMs, connectTimeoutMs: cached.connectTimeoutMs, logger: undefined });
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
    this.#customUserAttributes = deps.customUserAttributes;
    this.#lazyConnect = deps.lazyConnect ?? false;
    this.allowUnfilteredWrites = deps.allowUnfilteredWrites ?? false;
    this.#ledgerStore = sharedLedgerStore(deps.client, deps.responseCache);
    this.filterLedger = new FilterLedger((message) => dataSource.logger.log('warn', message), this.#ledgerStore?.store);
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
  get mappings(): ReadonlyMap<string, TableMapping> {
    if (!this.#mappings) throw new PingOneDriverError('MAPPING_ERROR', 'The DataSource is not initialized: call `await dataSource.initialize()` first.');
    return this.#mappings;
  }

  override async connect(): Promise<void> {
    // Nothing to open: every statement becomes PingOne requests through the client.
  }

  override async afterConnect(): Promise<void> {
    const entities = this.dataSource.entityMetadatas;
    if (!this.#lazyConnect) await checkConnection(this.client);
    const readSchema = this.#customUserAttributes === undefined && !this.#lazyConnect && mapsUnknownUserColumns(entities);
    const custom = this.#customUserAttributes !== undefined ? namedCustomAttributes(this.#customUserAttributes)
      : readSchema ? await readCustomUserAttributes(this.client) : new Map();
    const mappings = buildMappings(entities, custom, readSchema);
    this.#clients = await resolveEnvironments(this.client, [...mappings.values()].map((m) => m.environment));
    adaptEntityMetadata(entities, mappings);
    this.#mappings = withRefusals(mappings, this.filterLedger);
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

  /** Rollbacks that could not be fully undone (TypeORM's transaction() swallows rollback errors, so they are kept here too). */
  readonly compensationFailures: Error[] = [];
}
