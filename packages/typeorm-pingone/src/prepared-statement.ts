import { checkWrite } from './executor/write-executor';
import { targetSelect } from './executor/write-targets';
import type { PingOneQueryRunner } from './pingone-query-runner';
import type { TableMapping } from './mapping/table-mapping';
import { selectNode } from './sql/select-node';
import { outputColumns, parsedSelect, type ParsedSql } from './sql/sql-engine';
import { localTables, prepareStatement, refuseUnrunnable } from './statement-executor';
import type { SqlLimits } from './sql/statement-limits';
import type { AttributeKind } from './mapping/attribute-catalog';
import type { PlanReport, PlanTrace } from './executor/plan-trace';

/** A result column of a prepared SELECT: its name in the rows and, when it shows a table column, that column's PingOne attribute. */
export interface ResultColumn {
  readonly name: string;
  /** the table, column, PingOne attribute and kind it shows (a column, `*`, MIN/MAX of a column); undefined for other expressions */
  readonly source?: { readonly table: string; readonly column: string; readonly attribute: string; readonly kind: AttributeKind };
}

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
  /**
   * a SELECT's result columns in order (booleans come back as 1/0 and datetimes as UTC text, as from SQLite: `source.kind`
   * says which); empty for other statements
   */
  readonly columns: readonly ResultColumn[];
  /** UPDATE/DELETE: the rows it would change now, read from PingOne through the same WHERE (else 0) */
  countTargets(): Promise<number>;
  /** runs it; `plan`: what the driver did for a SELECT or EXPLAIN (steps, conditions, requests, round trips, cache hits) */
  run(): Promise<{ records: Record<string, unknown>[]; affected?: number; plan?: PlanReport }>;
}

function resultColumns(parsed: ParsedSql, mappings: ReadonlyMap<string, TableMapping>): ResultColumn[] {
  if (parsed.statement.kind !== 'select') return [];
  return outputColumns(parsed, localTables(mappings)).map(({ name, origin }) => {
    const mapping = origin && mappings.get(origin.table);
    const column = mapping?.kind === 'resource' ? mapping.byColumn.get(origin!.column) : undefined;
    return column
      ? { name, source: { table: mapping!.table, column: column.column, attribute: column.attribute, kind: column.kind } }
      : { name };
  });
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
export function prepare(
  sql: string,
  params: unknown[],
  ctx: PrepareContext,
  options: { readonly uniqueNames?: boolean } = {},
): PreparedStatement {
  const bound = prepareStatement(sql, params, { mappings: ctx.mappings, ...(ctx.limits ? { limits: ctx.limits } : {}) });
  const parsed: ParsedSql = options.uniqueNames ? { ...bound, outputNames: 'unique' } : bound;
  const statement = parsed.statement;
  if (statement.kind === 'insert' || statement.kind === 'update' || statement.kind === 'delete')
    checkWrite(statement, params, ctx.mappings);
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
    sql,
    kind: statement.kind,
    table,
    destructive,
    columns: resultColumns(parsed, ctx.mappings),
    countTargets: async () => {
      if (statement.kind !== 'update' && statement.kind !== 'delete') return 0;
      const rows = targetSelect(statement, []);
      const count = selectNode({
        outputs: [{ expr: { k: 'func', name: 'COUNT', args: [], star: true }, as: 'n', text: 'COUNT(*)' }],
        source: rows.source,
        where: rows.where,
        groupBy: [],
        having: undefined,
        distinct: false,
        order: [],
        limitExpr: undefined,
        offsetExpr: undefined,
      });
      const result = await withRunner((r) => r.queryPrepared(parsedSelect(count, sql, parsed.paramCount), params));
      return Number((result.records as { n?: unknown }[])[0]?.n ?? 0);
    },
    run: async () => {
      let trace: PlanTrace | undefined;
      const result = await withRunner((r) =>
        r.queryPrepared(parsed, params, (t) => {
          trace = t;
        }),
      );
      return {
        records: result.records as Record<string, unknown>[],
        ...(result.affected !== undefined ? { affected: result.affected } : {}),
        ...(trace ? { plan: trace.report() } : {}),
      };
    },
  };
}
