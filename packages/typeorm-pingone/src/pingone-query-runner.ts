import { Readable } from 'node:stream';
import { QueryFailedError } from 'typeorm';
import { AbstractSqliteQueryRunner, Broadcaster, QueryResult, type ReadStream } from './typeorm-internals';
import type { PingOneDriver } from './pingone-driver';
import { describeRequest, executeStatement } from './statement-executor';

/**
 * Runs TypeORM's SQL against PingOne. One runner per caller (TypeORM creates one per operation), no shared state
 * between runners, so parallel queries never see each other's rows.
 */
export class PingOneQueryRunner extends AbstractSqliteQueryRunner {
  declare driver: PingOneDriver;

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

  // TypeORM's QueryRunner signature: the result type depends on useStructuredResult.
  override async query(query: string, parameters: unknown[] = [], useStructuredResult = false): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const logger = this.driver.dataSource.logger;
    logger.logQuery(query, parameters, this);
    const started = Date.now();
    try {
      const result = await executeStatement(query, parameters, {
        client: this.driver.client,
        mappings: this.driver.mappings,
        onRequest: (request) => logger.log('info', `PingOne ${describeRequest(request)}   ← ${query.length > 120 ? `${query.slice(0, 117)}…` : query}`, this),
      });
      const maxTime = this.driver.options.maxQueryExecutionTime;
      if (maxTime && Date.now() - started > maxTime) logger.logQuerySlow(Date.now() - started, query, parameters, this);
      const structured = new QueryResult();
      structured.records = result.records;
      structured.raw = result.records;
      if (result.affected !== undefined) structured.affected = result.affected;
      return useStructuredResult ? structured : structured.raw;
    } catch (error) {
      logger.logQueryError(error instanceof Error ? error : String(error), query, parameters, this);
      throw new QueryFailedError(query, parameters, error instanceof Error ? error : new Error(String(error)));
    }
  }

  /**
   * Rows as an object stream. They are fetched first (PingOne pages), then streamed in order. TypeORM types the
   * result as fs.ReadStream although every driver returns a plain Readable, hence the cast.
   */
  override async stream(query: string, parameters?: unknown[], onEnd?: () => void, onError?: (error: unknown) => void): Promise<ReadStream> {
    const rows = (await this.query(query, parameters ?? [])) as unknown[];
    const stream = Readable.from(rows, { objectMode: true });
    if (onEnd) stream.on('end', onEnd);
    if (onError) stream.on('error', onError);
    return stream as unknown as ReadStream;
  }
}
