import { scim, serializeScimFilter } from '@typeorm-pingone/client';
import type { TableMapping } from '../mapping/table-mapping';
import { parentOf } from '../mapping/parent-key';
import { constraintsFor, subqueriesIn } from '../planner/alias-constraints';
import { aliasesIn, conjuncts } from '../planner/pushdown';
import type { SelectNode } from '../sql/sql-ast';
import type { PlanTrace } from './plan-trace';
import { PingOneFilterRefusedError } from '../errors';
import type { RemoteDirectory } from './remote-directory';

/** The count request asks for a whole page (PingOne serves at most 200 users): if PingOne leaves `count` out, the page still counts. */
const COUNT_PAGE_SIZE = 1000;

export interface RemoteCountContext {
  readonly mapping: (table: string) => TableMapping;
  readonly params: readonly unknown[];
  readonly loaded: ReadonlySet<string>;
  readonly directory: RemoteDirectory;
  readonly trace: PlanTrace;
  readonly dryRun: boolean;
}

/**
 * COUNT(*) whose WHERE PingOne evaluates exactly: answered from PingOne's `count` on the first page. `count` is
 * optional (PingOne leaves it out when there are many matches), so the first request asks for a full page rather
 * than `limit=1`: without a count, the pages are counted as they come (every item matches, since PingOne
 * evaluated the whole WHERE) and the first request is not wasted.
 */
export async function tryRemoteCount(select: SelectNode, ctx: RemoteCountContext): Promise<Record<string, unknown>[] | undefined> {
  const item = select.from[0];
  if (
    !select.countAlias ||
    select.from.length !== 1 ||
    item?.k !== 'table' ||
    select.nested.length > 0 ||
    subqueriesIn(select.where).length > 0
  )
    return undefined;
  const mapping = ctx.mapping(item.table);
  // a table PingOne lists per parent is read per parent (or refused, naming its key): never one count
  if (mapping.kind !== 'resource' || parentOf(mapping)) return undefined;
  if (select.countDistinct !== undefined && select.countDistinct !== mapping.idColumn) return undefined;
  if (select.joins.length > 0 && !countIgnoresJoins(select, item.alias, mapping.idColumn)) return undefined;
  const c = constraintsFor(select, item.alias, mapping, undefined, ctx.loaded, ctx.params);
  const all = conjuncts(select.where).length;
  if (!c.fullyExact || c.pushed.length !== all || c.conjunctCount !== all || c.constants.has(mapping.idColumn)) return undefined;
  const filter = c.pushed.length > 0 ? scim.and(...c.pushed.map((p) => p.filter)) : undefined;
  const step = {
    alias: item.alias,
    table: item.table,
    strategy: 'count' as const,
    filter: filter && serializeScimFilter(filter),
    conditions: c.conditions,
  };
  const joins = select.joins.length > 0 ? '; its LEFT JOINs cannot change COUNT(DISTINCT id) and are not fetched' : '';
  const directory = ctx.directory.in(mapping.environment);
  const read = ctx.dryRun ? undefined : directory.complete(mapping.resource, filter);
  if (read) {
    ctx.trace.step({
      ...step,
      notes: `COUNT of the list an earlier statement of this TypeORM operation read whole (the WHERE is evaluated exactly by PingOne): no request${joins}`,
    });
    return [{ [select.countAlias]: read.length }];
  }
  ctx.trace.step({
    ...step,
    notes: `COUNT answered by PingOne's count (first page): the WHERE is evaluated exactly by PingOne; without a count, the pages are counted${joins}`,
  });
  if (ctx.dryRun) return [];
  let counted = 0;
  let pages = 0;
  try {
    for await (const page of directory.listPages(mapping.resource, filter, COUNT_PAGE_SIZE)) {
      if (pages++ === 0 && page.count !== undefined) return [{ [select.countAlias]: page.count }];
      counted += page.items.length;
    }
  } catch (error) {
    // PingOne refused the filter (first page, nothing counted): the statement is planned again without the cell.
    if (!(error instanceof PingOneFilterRefusedError)) throw error;
    ctx.trace.replanned(
      `count: PingOne refused ${error.cells.map((c) => `\`${c}\``).join(', ')} on ${error.resource}; re-planned with ${error.cells.length > 1 ? 'them' : 'it'} evaluated locally`,
    );
    return undefined;
  }
  ctx.trace.steps.pop();
  ctx.trace.step({
    ...step,
    notes: `PingOne sent no count: ${pages} page(s) counted (every item matches: the WHERE is evaluated exactly by PingOne)`,
  });
  return [{ [select.countAlias]: counted }];
}

/**
 * TypeORM's findAndCount() with relations counts `COUNT(DISTINCT base.id)` over LEFT JOINs of the relations. A LEFT
 * JOIN never removes a row of its left side and DISTINCT on the base id folds the rows it adds, so when the WHERE
 * only reads the base table, the count is the base table's count: the joined tables need not be fetched at all.
 */
function countIgnoresJoins(select: SelectNode, alias: string, idColumn: string): boolean {
  const counted = select.outputs[0]?.expr;
  const arg = counted?.k === 'func' ? counted.args[0] : undefined;
  if (select.countDistinct !== idColumn || arg?.k !== 'col' || arg.table !== alias) return false;
  if (!select.joins.every((j) => j.mode === 'LEFT' && j.source.k === 'table' && subqueriesIn(j.on).length === 0)) return false;
  return conjuncts(select.where).every((c) => [...aliasesIn(c)].every((a) => a === alias));
}
