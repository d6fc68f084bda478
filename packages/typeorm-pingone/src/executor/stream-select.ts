import { scim, serializeScimFilter } from '@typeorm-pingone/client';
import { runLocal, type LocalTable, type ParsedSql } from '../sql/sql-engine';
import type { TableMapping } from '../mapping/table-mapping';
import { resourceToRow } from '../mapping/row-codec';
import { PingOneDriverError, PingOneFilterRefusedError } from '../errors';
import { constraintsFor } from '../planner/alias-constraints';
import { isRowByRow } from '../planner/select-shape';
import type { PlanTrace } from './plan-trace';
import type { RemoteDirectory } from './remote-directory';
import { columnsOf } from './resource-store';
import { MAX_PAGE } from './resource-lister';
import { traceScan } from './scan-report';

export interface StreamContext {
  readonly parsed: ParsedSql;
  readonly params: readonly unknown[];
  readonly mappings: ReadonlyMap<string, TableMapping>;
  readonly directory: RemoteDirectory;
  readonly trace: PlanTrace;
  mapping(table: string): TableMapping;
  /** the statement run whole (ReadExecutor.run), for what can't stream page by page */
  run(): Promise<Record<string, unknown>[]>;
}

/**
 * Rows page by page, for stream(): a plain single-table SELECT (no join, ORDER BY, grouping, DISTINCT, LIMIT or
 * sub-query) runs in alasql over each PingOne page as it arrives, so memory holds a page (one per partition when a
 * large users list is read as partitions), not the result. Rows come page by page in the order pages arrive; any
 * other statement is run whole, then streamed.
 */
export async function* streamSelect(ctx: StreamContext, replans = 0): AsyncGenerator<Record<string, unknown>> {
  if (ctx.parsed.statement.kind !== 'select')
    throw new PingOneDriverError('UNSUPPORTED_STATEMENT', 'stream() runs SELECT statements only.');
  const select = ctx.parsed.statement.select;
  const item = select.from[0];
  const mapping = item?.k === 'table' ? ctx.mapping(item.table) : undefined;
  const plain = isRowByRow(select) && select.limit === undefined && select.offset === undefined;
  const constraints =
    item && mapping?.kind === 'resource'
      ? constraintsFor(select, item.alias, mapping, undefined, new Set<string>(), ctx.params)
      : undefined;
  if (!plain || !item || mapping?.kind !== 'resource' || !constraints || constraints.constants.has(mapping.idColumn)) {
    yield* await ctx.run();
    return;
  }
  const filter = constraints.pushed.length > 0 ? scim.and(...constraints.pushed.map((p) => p.filter)) : undefined;
  ctx.trace.step({
    alias: item.alias,
    table: mapping.table,
    strategy: 'list',
    filter: filter && serializeScimFilter(filter),
    notes: 'streamed: each page runs locally as it arrives',
  });
  const empty = new Map<string, LocalTable>([...ctx.mappings].map(([name, m]) => [name, { columns: columnsOf(m), rows: [] }]));
  // Every user: partitions by population may be read at the same time (partitioned-scan.ts), their pages then
  // arrive interleaved, each in PingOne's order; memory holds a page per partition.
  const report = traceScan(ctx.trace, item.alias, mapping.table);
  const scan = ctx.directory.in(mapping.environment).scan(mapping.resource, filter, MAX_PAGE, { report });
  const pages = scan[Symbol.asyncIterator]();
  // Each page is decoded and run before its rows are yielded, in a function whose locals end with it: no page's
  // JSON or source rows stay reachable while the consumer is handed its rows, so they die young.
  const pageRows = async (): Promise<Record<string, unknown>[] | undefined> => {
    const next = await pages.next();
    if (next.done) return undefined;
    const tables = new Map(empty);
    tables.set(mapping.table, { columns: columnsOf(mapping), rows: next.value.items.map((r) => resourceToRow(mapping, r)) });
    return runLocal(ctx.parsed, ctx.params, tables);
  };
  let first = true;
  try {
    for (;;) {
      // Cleared before the next page is awaited, so this page's rows are not kept alive during that request.
      let rows: Record<string, unknown>[] | undefined;
      try {
        rows = await pageRows();
      } catch (error) {
        // A refused filter fails the first page, before any row left: stream again, planned without the cell.
        if (!first || !(error instanceof PingOneFilterRefusedError) || replans >= 8) throw error;
        ctx.trace.replanned(
          `stream: PingOne refused ${error.cells.map((c) => `\`${c}\``).join(', ')} on ${error.resource}; re-planned with it evaluated locally`,
        );
        yield* streamSelect(ctx, replans + 1);
        return;
      }
      first = false;
      if (rows === undefined) return;
      for (let i = 0; i < rows.length; i++) yield rows[i];
      rows = undefined;
    }
  } finally {
    await pages.return?.(undefined);
  }
}
