import { PingOneError } from '@typeorm-pingone/client';
import { checkNames, parseSql } from './sql/alasql-engine';
import { columnsOf } from './executor/resource-store';
import { PingOneDriverError } from './errors';
import { PlanTrace } from './executor/plan-trace';
import { ReadExecutor } from './executor/read-executor';
import { executeWrite } from './executor/write-executor';
import { refuseUnfilteredWrite } from './executor/write-guards';
import { executeUpsert, isUpsert } from './executor/upsert';
import type { TransactionJournal } from './executor/transaction-journal';
import { noteToRequest, RemoteDirectory, type RemoteRequest } from './executor/remote-directory';
import type { TableMapping } from './mapping/table-mapping';
import type { HandoffPort } from './executor/read-executor';
import type { PingOneClient } from '@typeorm-pingone/client';
import type { ResponseCache } from './cache/response-cache';
import type { FilterLedger } from './planner/filter-ledger';

export interface StatementResult {
  readonly records: Record<string, unknown>[];
  readonly affected?: number;
  readonly trace?: PlanTrace;
}

export interface StatementContext {
  readonly client: PingOneClient;
  /** the client of an entity schema's environment */
  readonly clientFor: (environment: string | undefined) => PingOneClient;
  readonly mappings: ReadonlyMap<string, TableMapping>;
  /** called for each PingOne request, with the SQL that caused it */
  readonly onRequest: (request: RemoteRequest, sql: string) => void;
  /** the runner's transaction journal (compensating transactions) */
  readonly journal?: TransactionJournal;
  /** DataSource option allowUnfilteredWrites */
  readonly allowUnfilteredWrites?: boolean;
  /** the read cache (undefined: off, or inside a transaction) */
  readonly cache?: ResponseCache;
  /** the runner's handoff between the statements of one TypeORM operation (read-handoff.ts) */
  readonly handoff?: HandoffPort;
  /** what the DataSource learned of PingOne's filter support (planner/filter-ledger.ts) */
  readonly ledger?: FilterLedger;
}

// PRAGMAs have no PingOne counterpart; transaction control is handled by the runner before statements get here.
const CONTROL = /^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|END|PRAGMA)\b/i;
const EXPLAIN = /^\s*EXPLAIN(\s+ANALYZE)?\s+/i;

function describe(request: RemoteRequest): string {
  return `${request.method} ${request.path}${request.filter ? ` filter=${request.filter}` : ''}`;
}

/** Runs one SQL statement against PingOne: the single entry point of the query runner. */
export async function executeStatement(sql: string, params: readonly unknown[], ctx: StatementContext): Promise<StatementResult> {
  if (CONTROL.test(sql)) return { records: [] };
  const explain = EXPLAIN.exec(sql);
  const body = explain ? sql.slice(explain[0].length) : sql;
  if (isUpsert(body)) {
    if (explain) throw new PingOneDriverError('UNSUPPORTED_STATEMENT', 'EXPLAIN works for SELECT statements.');
    return wrapRemote(() => executeUpsert(body, params, ctx.mappings, { run: (s, p) => executeStatement(s, p, { ...ctx, handoff: undefined }) }));
  }
  const parsed = parseSql(body);
  const statement = parsed.statement;
  if (statement.kind !== 'other') checkNames(parsed, params, localTables(ctx.mappings));
  if (statement.kind !== 'select') {
    if (explain) throw new PingOneDriverError('UNSUPPORTED_STATEMENT', 'EXPLAIN works for SELECT statements.');
    if (statement.kind === 'other') {
      throw new PingOneDriverError('UNSUPPORTED_STATEMENT', `${statement.keyword} statements have no PingOne equivalent; the driver runs SELECT, INSERT, UPDATE and DELETE on users, groups, populations and memberships.`);
    }
    refuseUnfilteredWrite(statement, ctx.allowUnfilteredWrites ?? false);
    return wrapRemote(() => executeWrite(statement, body, params, {
      client: ctx.client,
      clientFor: ctx.clientFor,
      mappings: ctx.mappings,
      // the rows a write addresses are read from PingOne itself: never from the cache, never handed over
      select: async (selectSql, selectParams) => (await executeStatement(selectSql, selectParams, { ...ctx, cache: undefined, handoff: undefined })).records,
      ...(ctx.journal ? { journal: ctx.journal } : {}),
      note: (note) => ctx.onRequest(noteToRequest(note), body),
    }));
  }
  const trace = new PlanTrace();
  if (ctx.ledger) trace.refusedCells = () => ctx.ledger!.refusals();
  const directory = new RemoteDirectory(ctx.client, (request) => {
    trace.requests.push(describe(request));
    ctx.onRequest(request, body);
  }, ctx.clientFor, ctx.cache, ctx.ledger);
  const dryRun = explain !== null && explain[1] === undefined;
  return wrapRemote(async () => {
    const records = await new ReadExecutor(parsed, params, ctx.mappings, directory, trace, dryRun, dryRun ? {} : ctx.handoff).run();
    return explain ? { records: trace.rows(!dryRun), trace } : { records, trace };
  });
}

const tablesCache = new WeakMap<ReadonlyMap<string, TableMapping>, ReadonlyMap<string, ReturnType<typeof columnsOf>>>();

/** The columns raw SQL may name, per table (computed once per DataSource's mappings). */
function localTables(mappings: ReadonlyMap<string, TableMapping>): ReadonlyMap<string, ReturnType<typeof columnsOf>> {
  let tables = tablesCache.get(mappings);
  if (!tables) {
    tables = new Map([...mappings].map(([name, m]) => [name, columnsOf(m)]));
    tablesCache.set(mappings, tables);
  }
  return tables;
}

/** Client errors become the driver's REMOTE_ERROR (the client's error stays available as `cause`). */
async function wrapRemote<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof PingOneDriverError) throw error;
    if (error instanceof PingOneError) {
      throw new PingOneDriverError('REMOTE_ERROR', `PingOne request failed: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

export { describe as describeRequest };

/** A SELECT as a stream of rows (see ReadExecutor.stream): what QueryBuilder.stream() reads. */
export async function* streamStatement(sql: string, params: readonly unknown[], ctx: StatementContext): AsyncGenerator<Record<string, unknown>> {
  const parsed = parseSql(sql);
  checkNames(parsed, params, localTables(ctx.mappings));
  const trace = new PlanTrace();
  const directory = new RemoteDirectory(ctx.client, (request) => {
    trace.requests.push(describe(request));
    ctx.onRequest(request, sql);
  }, ctx.clientFor, undefined, ctx.ledger);
  const rows = new ReadExecutor(parsed, params, ctx.mappings, directory, trace, false).stream();
  for (;;) {
    const next = await wrapRemote(() => rows.next());
    if (next.done) return;
    yield next.value;
  }
}
