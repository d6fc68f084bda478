import type { ResourceTableMapping } from '../mapping/table-mapping';
import { readsColumns } from '../planner/alias-columns';
import type { SelectNode } from '../sql/sql-ast';
import type { PlanTrace } from './plan-trace';
import type { RemoteDirectory } from './remote-directory';
import { parallel } from './request-pool';
import type { ResourceStore } from './resource-store';

export interface IncludeContext {
  readonly store: ResourceStore;
  readonly directory: RemoteDirectory;
  readonly trace: PlanTrace;
  readonly dryRun: boolean;
}

/**
 * The `include=` a statement needs for an alias: set when it reads a column PingOne returns only on a single read
 * with `include=` (a group's totalMemberCounts.users); undefined for every other statement, which costs nothing more.
 */
export function includeFor(select: SelectNode, alias: string, mapping: ResourceTableMapping): string | undefined {
  const included = mapping.columns.filter((c) => c.include !== undefined);
  if (included.length === 0 || !readsColumns(select, alias, new Set(included.map((c) => c.column)))) return undefined;
  return [...new Set(included.map((c) => c.include!))].join(',');
}

/**
 * Reads each of `ids` with `include=` (all at the same time) and keeps the documents. Before the alias's load (its ids
 * are pinned), the load then finds them fetched; after it (`replaceRows`), the alias's rows are replaced.
 */
export async function fetchIncluding(
  ctx: IncludeContext,
  alias: string,
  mapping: ResourceTableMapping,
  ids: readonly string[] | undefined,
  include: string,
  replaceRows: boolean,
): Promise<void> {
  const attributes = mapping.columns
    .filter((c) => c.include !== undefined)
    .map((c) => c.attribute)
    .join(', ');
  ctx.trace.step({
    alias,
    table: mapping.table,
    strategy: 'get-by-id',
    filter: undefined,
    notes: `${ids === undefined ? 'each row' : `${ids.length} row(s)`} read with include=${include}: PingOne returns ${attributes} only on a single read`,
  });
  if (ctx.dryRun || ids === undefined || ids.length === 0) return;
  const directory = ctx.directory.in(mapping.environment);
  const read = await parallel(ids.map((id) => () => directory.get(mapping.resource, id, include)));
  const found = read.filter((r): r is NonNullable<typeof r> => r !== undefined);
  ctx.store.remember(mapping.resource, found);
  if (replaceRows) ctx.store.addResources(alias, mapping, found);
}
