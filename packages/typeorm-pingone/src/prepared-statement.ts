import { checkWrite } from './executor/write-executor';
import { targetSelect } from './executor/write-targets';
import type { PingOneQueryRunner } from './pingone-query-runner';
import type { TableMapping } from './mapping/table-mapping';
import { selectNode } from './sql/select-node';
import { parsedSelect, type ParsedSql } from './sql/sql-engine';
import { prepareStatement, refuseUnrunnable } from './statement-executor';
import type { SqlLimits } from './sql/statement-limits';

/**
 * A statement parsed, bound and checked once, for callers that decide something about it before running it (the
 * `pingone-sql` shell counts an UPDATE's rows and asks first). What is asked about and what runs are one tree: the
 * count reads the statement's own WHERE, and run() executes that tree, not its text again.
 */
export interface PreparedStatement {
  readonly sql: string;
  readonly kind: ParsedSql['statement']['kind'];
  /** the table a write changes (canonical), undefined for other statements */
  readonly table: string | undefined;
  /** UPDATE or DELETE (they change rows that exist): the shell says how many and asks */
  readonly destructive: boolean;
  /** UPDATE/DELETE: the rows it would change now, read from PingOne through the same WHERE (else 0) */
  countTargets(): Promise<number>;
  run(): Promise<{ records: Record<string, unknown>[]; affected?: number }>;
}

export interface PrepareContext {
  readonly mappings: ReadonlyMap<string, TableMapping>;
  readonly limits: SqlLimits | undefined;
  readonly runner: () => PingOneQueryRunner;
}

/**
 * Parses, binds and checks `sql` (every error it can have before a request, it has here). `uniqueNames`: result
 * columns that share a name come back apart (`username`, `username_1`), for callers that show every column.
 */
export function prepare(sql: string, params: unknown[], ctx: PrepareContext, options: { readonly uniqueNames?: boolean } = {}): PreparedStatement {
  const bound = prepareStatement(sql, params, { mappings: ctx.mappings, ...(ctx.limits ? { limits: ctx.limits } : {}) });
  const parsed: ParsedSql = options.uniqueNames ? { ...bound, outputNames: 'unique' } : bound;
  const statement = parsed.statement;
  if (statement.kind === 'insert' || statement.kind === 'update' || statement.kind === 'delete') checkWrite(statement, params, ctx.mappings);
  refuseUnrunnable(statement);
  const destructive = statement.kind === 'update' || statement.kind === 'delete';
  const table = statement.kind === 'insert' || statement.kind === 'update' || statement.kind === 'delete' ? statement.table : undefined;
  const withRunner = async <T>(work: (runner: PingOneQueryRunner) => Promise<T>): Promise<T> => {
    const runner = ctx.runner();
    try {
      return await work(runner);
    } finally {
      await runner.release();
    }
  };
  return {
    sql, kind: statement.kind, table, destructive,
    countTargets: async () => {
      if (statement.kind !== 'update' && statement.kind !== 'delete') return 0;
      const rows = targetSelect(statement, []);
      const count = selectNode({
        outputs: [{ expr: { k: 'func', name: 'COUNT', args: [], star: true }, as: 'n', text: 'COUNT(*)' }],
        source: rows.source, where: rows.where, groupBy: [], having: undefined, distinct: false, order: [], limitExpr: undefined, offsetExpr: undefined,
      });
      const result = await withRunner((r) => r.queryPrepared(parsedSelect(count, sql, parsed.paramCount), params));
      return Number((result.records as { n?: unknown }[])[0]?.n ?? 0);
    },
    run: async () => {
      const result = await withRunner((r) => r.queryPrepared(parsed, params));
      return { records: result.records as Record<string, unknown>[], ...(result.affected !== undefined ? { affected: result.affected } : {}) };
    },
  };
}
