import { Readable } from 'node:stream';
import { QueryFailedError } from 'typeorm';
import { AbstractSqliteQueryRunner, Broadcaster, QueryResult, type ReadStream } from './typeorm-internals';
import type { PingOneDriver } from './pingone-driver';
import { describeRequest, executeStatement, streamStatement } from './statement-executor';
import { TransactionJournal } from './executor/transaction-journal';
import { noteToRequest } from './executor/remote-directory';
import { redactSecretParams } from './executor/secret-params';

const TRANSACTION = /^\s*(BEGIN|COMMIT|END|ROLLBACK(?:\s+TO(?:\s+SAVEPOINT)?)?|SAVEPOINT|RELEASE(?:\s+SAVEPOINT)?)\b/i;

/**
 * Runs TypeORM's SQL against PingOne. One runner per caller (TypeORM creates one per operation), no shared state
 * between runners, so parallel queries never see each other's rows.
 */
export class PingOneQueryRunner extends AbstractSqliteQueryRunner {
  declare driver: PingOneDriver;
  #journal: TransactionJournal | undefined;

  constructor(driver: PingOneDriver) {
    super();
    this.driver = driver;
    this.dataSource = driver.dataSource;
    this.broadcaster = new Broadcaster(this);
  }

  override async connect(): Promise<unknown> {
    return this;
  }

  override async release(): Promise<void> {
    this.isReleased = true;
  }

  // TypeORM declares query() as Promise<any> (its result type depends on useStructuredResult); narrower does not type-check.
  override async query(query: string, parameters: unknown[] = [], useStructuredResult = false): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const logger = this.driver.dataSource.logger;
    const shown = redactSecretParams(query, parameters, this.driver.isInitialized ? this.driver.mappings : undefined);
    logger.logQuery(query, shown, this);
    const started = Date.now();
    const onRequest = (request: Parameters<typeof describeRequest>[0]) => logger.log('info', `PingOne ${describeRequest(request)}   ← ${query.length > 120 ? `${query.slice(0, 117)}…` : query}`, this);
    this.#journal ??= new TransactionJournal(this.driver.client, (note) => onRequest(noteToRequest(note)));
    try {
      const control = TRANSACTION.exec(query)?.[1]?.toUpperCase().replace(/\s+/g, ' ');
      if (control) {
        await this.#transaction(control);
        return useStructuredResult ? new QueryResult() : [];
      }
      const result = await executeStatement(query, parameters, {
        client: this.driver.client,
        clientFor: (environment) => this.driver.clientFor(environment),
        mappings: this.driver.mappings,
        journal: this.#journal,
        onRequest,
        allowUnfilteredWrites: this.driver.allowUnfilteredWrites,
      });
      const maxTime = this.driver.options.maxQueryExecutionTime;
      if (maxTime && Date.now() - started > maxTime) logger.logQuerySlow(Date.now() - started, query, shown, this);
      const structured = new QueryResult();
      structured.records = result.records;
      structured.raw = result.records;
      if (result.affected !== undefined) structured.affected = result.affected;
      return useStructuredResult ? structured : structured.raw;
    } catch (error) {
      logger.logQueryError(error instanceof Error ? error : String(error), query, shown, this);
      throw new QueryFailedError(query, shown, error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** BEGIN/COMMIT/ROLLBACK/SAVEPOINT as TypeORM's SQLite runner sends them, mapped to the compensating journal. */
  async #transaction(command: string): Promise<void> {
    const journal = this.#journal!;
    if (command === 'BEGIN') journal.begin();
    else if (command === 'COMMIT' || command === 'END') await journal.commit();
    else if (command === 'ROLLBACK') await this.#reportCompensation(journal.rollback());
    else if (command === 'SAVEPOINT') journal.savepoint();
    else if (command.startsWith('RELEASE')) journal.releaseSavepoint();
    else if (command.startsWith('ROLLBACK TO')) await this.#reportCompensation(journal.rollbackToSavepoint());
  }

  /**
   * TypeORM's transaction() swallows errors of ROLLBACK and rethrows the original one, so a failed compensation is
   * also logged (warn), kept on the driver and emitted as a process warning: PingOne changes that could not be
   * undone must never go unnoticed.
   */
  async #reportCompensation(work: Promise<void>): Promise<void> {
    try {
      await work;
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      this.driver.compensationFailures.push(failure);
      this.driver.dataSource.logger.log('warn', failure.message, this);
      process.emitWarning(failure.message, { code: 'PINGONE_ROLLBACK_INCOMPLETE' });
      throw failure;
    }
  }

  /**
   * Rows as an object stream: a plain single-table SELECT streams PingOne page by page (memory holds one page);
   * other statements run whole, then stream. TypeORM types the result as fs.ReadStream although every driver returns
   * a plain Readable, hence the cast.
   */
  override async stream(query: string, parameters?: unknown[], onEnd?: () => void, onError?: (error: unknown) => void): Promise<ReadStream> {
    const params = parameters ?? [];
    this.driver.dataSource.logger.logQuery(query, redactSecretParams(query, params, this.driver.mappings), this);
    const rows = streamStatement(query, params, {
      client: this.driver.client,
      clientFor: (environment) => this.driver.clientFor(environment),
      mappings: this.driver.mappings,
      onRequest: (request) => this.driver.dataSource.logger.log('info', `PingOne ${describeRequest(request)}   ← ${query.length > 120 ? `${query.slice(0, 117)}…` : query}`, this),
    });
    const stream = Readable.from(rows, { objectMode: true });
    if (onEnd) stream.on('end', onEnd);
    if (onError) stream.on('error', onError);
    return stream as unknown as ReadStream;
  }
}
