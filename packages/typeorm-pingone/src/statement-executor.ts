import { PingOneError } from '@typeorm-pingone/client';
import { checkNames, parseSql, parsedSelect, type ParsedSql } from './sql/sql-engine';
import type { SqlLimits } from './sql/statement-limits';
import type { Statement } from './sql/sql-ast';
import { columnsOf } from './executor/resource-store';
import { PingOneDriverError } from './errors';
import { PlanTrace } from './executor/plan-trace';
import { ReadExecutor } from './executor/read-executor';
import { executeWrite } from './executor/write-executor';
import { refuseUnfilteredWrite } from './executor/write-guards';
import { executeUpsert } from './executor/upsert';
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
  /** DataSource option sqlLimits: how large a statement is read */
  readonly limits?: SqlLimits;
  /** what the DataSource learned of PingOne's filter support (planner/filter-ledger.ts) */
  readonly ledger?: FilterLedger;
}

function describe(request: RemoteRequest): string {
  return `${request.method} ${request.path}${request.filter ? ` filter=${request.filter}` : ''}`;
}

/** Runs one SQL statement against PingOne: the single entry point of the query runner. */
export async function executeStatement(sql: string, params: readonly unknown[], ctx: StatementContext): Promise<StatementResult> {
  return executeParsed(prepareStatement(sql, params, ctx), params, ctx);
}

/**
 * Parses a statement and binds it to the DataSource's tables: every decision about it reads this one tree (the
 * statement kind, EXPLAIN, upsert, a write's targets, the plan). Errors here come before any request.
 */
export function prepareStatement(sql: string, params: readonly unknown[], ctx: Pick<StatementContext, 'mappings' | 'limits'>): ParsedSql {
  const parsed = parseSql(sql, ctx.limits);
  const kind = parsed.statement.kind;
  if (kind === 'control' || kind === 'other') return parsed;
  return checkNames(parsed, params, localTables(ctx.mappings));
}

/** Statements refused by their kind: those PingOne has no counterpart for, and EXPLAIN of anything but a SELECT. */
export function refuseUnrunnable(statement: Statement): void {
  if (statement.kind === 'explain' && statement.statement.kind !== 'select')
    throw new PingOneDriverError('UNSUPPORTED_STATEMENT', 'EXPLAIN works for SELECT statements.');
  if (statement.kind === 'other') {
    throw new PingOneDriverError(
      'UNSUPPORTED_STATEMENT',
      `${statement.keyword} statements have no PingOne equivalent; the driver runs SELECT, INSERT, UPDATE and DELETE on users, groups, populations and memberships.`,
    );
  }
}

/** Runs a prepared statement (prepareStatement's result). */
export async function executeParsed(parsed: ParsedSql, params: readonly unknown[], ctx: StatementContext): Promise<StatementResult> {
  const outer = parsed.statement;
  // PRAGMAs have no PingOne counterpart; transaction control is handled by the runner before statements get here.
  if (outer.kind === 'control') return { records: [] };
  refuseUnrunnable(outer);
  const explain = outer.kind === 'explain' ? outer : undefined;
  const statement = explain ? explain.statement : outer;
  if (statement.kind === 'insert' && statement.upsert) {
    const upsert = statement;
    return wrapRemote(() =>
      executeUpsert(upsert, params, ctx.mappings, { run: (s, p) => executeStatement(s, p, { ...ctx, handoff: undefined }) }),
    );
  }
  if (statement.kind === 'insert' || statement.kind === 'update' || statement.kind === 'delete') {
    const write = statement;
    refuseUnfilteredWrite(write, ctx.allowUnfilteredWrites ?? false);
    return wrapRemote(() =>
      executeWrite(write, params, {
        client: ctx.client,
        clientFor: ctx.clientFor,
        mappings: ctx.mappings,
        // the rows a write addresses are read from PingOne itself: never from the cache, never handed over
        select: async (select, selectParams) =>
          (
            await executeParsed(parsedSelect(select, parsed.sql, parsed.paramCount), selectParams, {
              ...ctx,
              cache: undefined,
              handoff: undefined,
            })
          ).records,
        ...(ctx.journal ? { journal: ctx.journal } : {}),
        note: (note) => ctx.onRequest(noteToRequest(note), parsed.sql),
      }),
    );
  }
  if (statement.kind !== 'select')
    throw new PingOneDriverError('UNSUPPORTED_STATEMENT', 'The driver runs SELECT, INSERT, UPDATE and DELETE.');
  const selectParsed: ParsedSql = explain ? { ...parsed, statement } : parsed;
  const trace = new PlanTrace();
  if (ctx.ledger) trace.refusedCells = () => ctx.ledger!.refusals();
  const directory = new RemoteDirectory(
    ctx.client,
    (request) => {
      trace.request(describe(request), request);
      ctx.onRequest(request, parsed.sql);
    },
    ctx.clientFor,
    ctx.cache,
    ctx.ledger,
  );
  const dryRun = explain !== undefined && !explain.analyze;
  return wrapRemote(async () => {
    const records = await new ReadExecutor(selectParsed, params, ctx.mappings, directory, trace, dryRun, dryRun ? {} : ctx.handoff).run();
    return explain ? { records: trace.rows(!dryRun), trace } : { records, trace };
  });
}

const tablesCache = new WeakMap<ReadonlyMap<string, TableMapping>, ReadonlyMap<string, ReturnType<typeof columnsOf>>>();

/** The columns raw SQL may name, per table (computed once per DataSource's mappings). */
export function localTables(mappings: ReadonlyMap<string, TableMapping>): ReadonlyMap<string, ReturnType<typeof columnsOf>> {
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
export async function* streamStatement(
  sql: string,
  params: readonly unknown[],
  ctx: StatementContext,
): AsyncGenerator<Record<string, unknown>> {
  const parsed = prepareStatement(sql, params, ctx);
  if (parsed.statement.kind !== 'select') throw new PingOneDriverError('UNSUPPORTED_STATEMENT', 'stream() reads SELECT statements.');
  const trace = new PlanTrace();
  const directory = new RemoteDirectory(
    ctx.client,
    (request) => {
      trace.request(describe(request), request);
      ctx.onRequest(request, sql);
    },
    ctx.clientFor,
    undefined,
    ctx.ledger,
  );
  const rows = new ReadExecutor(parsed, params, ctx.mappings, directory, trace, false).stream();
  for (;;) {
    const next = await wrapRemote(() => rows.next());
    if (next.done) return;
    yield next.value;
  }
}
