import { inspect } from 'node:util';
import { Readable } from 'node:stream';
import { QueryFailedError } from 'typeorm';
import { AbstractSqliteQueryRunner, Broadcaster, QueryResult, type ReadStream } from './typeorm-internals';
import type { PingOneDriver } from './pingone-driver';
import { describeRequest, executeParsed, prepareStatement, streamStatement, type StatementContext } from './statement-executor';
import type { ParsedSql } from './sql/sql-engine';
import type { PlanTrace } from './executor/plan-trace';
import { TransactionJournal } from './executor/transaction-journal';
import { noteToRequest } from './executor/remote-directory';
import { redactSecretParams } from './executor/secret-params';
import { tagsOfWrite, type CacheTag } from './cache/response-cache';
import { noteWrite, ReadHandoff } from './executor/read-handoff';

/** Runners with an open transaction, per driver: destroy() must not drop their changes silently. */
const OPEN_TRANSACTIONS = new WeakMap<PingOneDriver, Set<PingOneQueryRunner>>();

/**
 * Runs TypeORM's SQL against PingOne. One runner per caller (TypeORM creates one per operation), no shared state
 * between runners, so parallel queries never see each other's rows.
 */
export class PingOneQueryRunner extends AbstractSqliteQueryRunner {
  declare driver: PingOneDriver;
  #journal: TransactionJournal | undefined;
  /** the statement that failed inside the open transaction: ROLLBACK adds to its message what it undid */
  #failedInTransaction: QueryFailedError | undefined;
  /** what this runner's writes touched since the last flush: the read cache drops it (in every instance) */
  readonly #touched = new Set<CacheTag>();
  /** the reads this runner's statements of one TypeORM operation share (see read-handoff.ts) */
  readonly #handoff = new ReadHandoff();

  constructor(driver: PingOneDriver) {
    super();
    this.driver = driver;
    this.dataSource = driver.dataSource;
    this.broadcaster = new Broadcaster(this);
  }

  toJSON(): Record<string, unknown> {
    return { isReleased: this.isReleased, isTransactionActive: this.isTransactionActive };
  }

  [inspect.custom](): string {
    return `PingOneQueryRunner ${inspect(this.toJSON())}`;
  }

  override async connect(): Promise<unknown> {
    return this;
  }

  /** Released with a transaction still open (no commit or rollback): it is rolled back and a warning says so. */
  override async release(): Promise<void> {
    if (this.#journal?.active) await this.#abandon('queryRunner.release()');
    this.#handoff.clear();
    this.isReleased = true;
  }

  /** dataSource.destroy(): roll back every runner's transaction that was never ended. */
  static async rollbackOpenTransactions(driver: PingOneDriver): Promise<void> {
    const runners = [...(OPEN_TRANSACTIONS.get(driver) ?? [])];
    for (const runner of runners) await runner.#abandon('dataSource.destroy()');
  }

  async #abandon(how: string): Promise<void> {
    const journal = this.#journal!;
    this.isTransactionActive = false;
    this.transactionDepth = 0;
    this.#forget();
    let outcome: string;
    try {
      const report = await journal.rollback();
      outcome = report.length > 0 ? `rolled back:\n${report.join('\n')}` : 'rolled back (it had changed nothing)';
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      this.driver.compensationFailures.push(failure);
      outcome = `rolled back in part: ${failure.message}`;
    }
    const message =
      `${how} with a transaction still open (startTransaction() without commitTransaction() or rollbackTransaction()): ` +
      `its PingOne changes were ${outcome}\nNothing is kept silently and its deferred deletes were not run. End every transaction with commitTransaction() or rollbackTransaction().`;
    this.driver.dataSource.logger.log('warn', message, this);
    process.emitWarning(message, { code: 'PINGONE_TRANSACTION_NOT_ENDED' });
  }

  #forget(): void {
    OPEN_TRANSACTIONS.get(this.driver)?.delete(this);
    this.#failedInTransaction = undefined;
  }

  // TypeORM declares query() as Promise<any> (its result type depends on useStructuredResult); narrower does not type-check.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override async query(query: string, parameters: unknown[] = [], useStructuredResult = false): Promise<any> {
    return this.#query(query, parameters, useStructuredResult, undefined);
  }

  /** Runs a statement the caller prepared (PingOneDriver.prepare()): the very tree that was inspected runs. */
  async queryPrepared(parsed: ParsedSql, parameters: unknown[] = [], onTrace?: (trace: PlanTrace) => void): Promise<QueryResult> {
    return this.#query(parsed.sql, parameters, true, parsed, onTrace) as Promise<QueryResult>;
  }

  async #query(
    query: string,
    parameters: unknown[],
    useStructuredResult: boolean,
    prepared: ParsedSql | undefined,
    onTrace?: (trace: PlanTrace) => void,
  ): Promise<unknown> {
    const logger = this.driver.dataSource.logger;
    const shown = redactSecretParams(query, parameters, this.driver.isInitialized ? this.driver.mappings : undefined);
    logger.logQuery(query, shown, this);
    const started = Date.now();
    const onRequest = (request: Parameters<typeof describeRequest>[0]) => {
      if (request.method !== 'GET') for (const tag of tagsOfWrite(request.path)) this.#touched.add(tag);
      logger.log('info', `PingOne ${describeRequest(request)}   ← ${query.length > 120 ? `${query.slice(0, 117)}…` : query}`, this);
    };
    this.#journal ??= new TransactionJournal(this.driver.client, (note) => onRequest(noteToRequest(note)), this.driver.journalStore);
    const journal = this.#journal;
    journal.recent.takeAnswers(); // a failed write's answers are never handed on
    // the statement's kind comes from its parse, which every later step reads (a parse error is this query's error)
    let reads = false;
    let wrote = false;
    let began = false;
    try {
      const parsed = prepared ?? prepareStatement(query, parameters, this.#context(onRequest));
      const statement = parsed.statement;
      reads = statement.kind === 'select' || statement.kind === 'explain';
      if (!reads) noteWrite();
      const operation = this.#handoff.begin();
      began = true;
      if (statement.kind === 'control') {
        if (statement.keyword !== 'PRAGMA') await this.#transaction(statement.keyword);
        return useStructuredResult ? new QueryResult() : [];
      }
      const result = await executeParsed(parsed, parameters, {
        ...this.#context(onRequest),
        journal: this.#journal,
        // a query inside a transaction never reads the cache (it must see the transaction's own writes)
        ...(this.driver.responseCache && !this.#journal.active ? { cache: this.driver.responseCache } : {}),
        // the reads of the TypeORM operation this statement belongs to; before-images for the next write, never
        // from the read cache, which may be older than PingOne
        handoff: {
          reads: operation,
          ...(this.driver.responseCache ? {} : { noteRead: (mapping, resources) => journal.recent.noteRead(mapping, resources) }),
        },
      });
      wrote = !reads;
      if (result.trace) onTrace?.(result.trace);
      const maxTime = this.driver.options.maxQueryExecutionTime;
      if (maxTime && Date.now() - started > maxTime) logger.logQuerySlow(Date.now() - started, query, shown, this);
      const structured = new QueryResult();
      structured.records = result.records;
      structured.raw = result.records;
      if (result.affected !== undefined) structured.affected = result.affected;
      return useStructuredResult ? structured : structured.raw;
    } catch (error) {
      logger.logQueryError(error instanceof Error ? error : String(error), query, shown, this);
      const failed = new QueryFailedError(query, shown, error instanceof Error ? error : new Error(String(error)));
      if (this.#journal.active) this.#failedInTransaction = failed;
      throw failed;
    } finally {
      await this.#invalidateTouched();
      if (!reads) noteWrite();
      if (began) this.#handoff.end();
      const answers = journal.recent.takeAnswers();
      if (wrote && answers)
        this.#handoff.offerAnswers(
          this.driver.clientFor(answers.mapping.environment).environmentId,
          answers.mapping.resource,
          answers.resources,
        );
    }
  }

  #context(onRequest: StatementContext['onRequest']): StatementContext {
    return {
      client: this.driver.client,
      clientFor: (environment) => this.driver.clientFor(environment),
      mappings: this.driver.mappings,
      onRequest,
      allowUnfilteredWrites: this.driver.allowUnfilteredWrites,
      ...(this.driver.sqlLimits ? { limits: this.driver.sqlLimits } : {}),
      ledger: this.driver.filterLedger,
    };
  }

  async #invalidateTouched(): Promise<void> {
    if (this.#touched.size === 0) return;
    const tags = [...this.#touched];
    this.#touched.clear();
    await this.driver.responseCache?.invalidate(tags);
  }

  /** BEGIN/COMMIT/ROLLBACK/SAVEPOINT as TypeORM's SQLite runner sends them, mapped to the compensating journal. */
  async #transaction(command: 'BEGIN' | 'COMMIT' | 'ROLLBACK' | 'ROLLBACK TO' | 'SAVEPOINT' | 'RELEASE'): Promise<void> {
    const journal = this.#journal!;
    if (command === 'BEGIN') {
      journal.begin();
      this.#failedInTransaction = undefined;
      const open = OPEN_TRANSACTIONS.get(this.driver) ?? new Set();
      OPEN_TRANSACTIONS.set(this.driver, open.add(this));
    } else if (command === 'COMMIT') {
      this.#forget();
      await journal.commit();
    } else if (command === 'ROLLBACK') {
      const failed = this.#failedInTransaction;
      this.#forget();
      await this.#reportCompensation(journal.rollback(), failed);
    } else if (command === 'SAVEPOINT') journal.savepoint();
    else if (command === 'RELEASE') journal.releaseSavepoint();
    else if (command === 'ROLLBACK TO') {
      const failed = this.#failedInTransaction;
      this.#failedInTransaction = undefined;
      await this.#reportCompensation(journal.rollbackToSavepoint(), failed);
    }
  }

  /**
   * TypeORM rethrows the statement's error after ROLLBACK, so what the rollback did is added to that error's
   * message: the caller reads in one place what failed and what was undone (or not).
   */
  #tellFailedStatement(failed: QueryFailedError | undefined, text: string): void {
    if (!failed) return;
    const addition = `\n${text}`;
    failed.message += addition;
    const cause = (failed as { driverError?: unknown }).driverError;
    if (cause instanceof Error && cause !== failed) cause.message += addition;
  }

  /**
   * TypeORM's transaction() swallows errors of ROLLBACK and rethrows the original one, so a failed compensation is
   * also logged (warn), kept on the driver and emitted as a process warning: PingOne changes that could not be
   * undone must never go unnoticed.
   */
  async #reportCompensation(work: Promise<string[]>, failed: QueryFailedError | undefined): Promise<void> {
    try {
      const report = await work;
      this.#tellFailedStatement(
        failed,
        report.length > 0
          ? `Then ROLLBACK undid this transaction's changes in PingOne:\n${report.join('\n')}`
          : 'Then ROLLBACK ran: this transaction had changed nothing in PingOne.',
      );
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      this.#tellFailedStatement(failed, `Then ${failure.message}`);
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
  override async stream(
    query: string,
    parameters?: unknown[],
    onEnd?: () => void,
    onError?: (error: unknown) => void,
  ): Promise<ReadStream> {
    const params = parameters ?? [];
    this.#handoff.clear();
    this.driver.dataSource.logger.logQuery(query, redactSecretParams(query, params, this.driver.mappings), this);
    const rows = streamStatement(
      query,
      params,
      this.#context((request) => {
        this.driver.dataSource.logger.log(
          'info',
          `PingOne ${describeRequest(request)}   ← ${query.length > 120 ? `${query.slice(0, 117)}…` : query}`,
          this,
        );
      }),
    );
    const stream = Readable.from(rows, { objectMode: true });
    if (onEnd) stream.on('end', onEnd);
    if (onError) stream.on('error', onError);
    return stream as unknown as ReadStream;
  }
}
