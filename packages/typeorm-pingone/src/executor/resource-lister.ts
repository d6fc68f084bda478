import { FILTER_CAPABILITIES, scim, serializeScimFilter, type ScimFilter } from '@typeorm-pingone/client';
import type { ResourceTableMapping } from '../mapping/table-mapping';
import type { AliasConstraints } from '../planner/alias-constraints';
import { MAX_KEY_FILTER } from '../planner/key-constraints';
import { filterNameOf, operatorsFor } from '../planner/pushdown';
import type { PlanTrace } from './plan-trace';
import type { RemoteDirectory } from './remote-directory';
import type { ResourceStore } from './resource-store';
import { readAhead } from './request-pool';
import { traceScan } from './scan-report';

/** Largest page PingOne serves (users come in pages of at most 200 whatever is asked). */
export const MAX_PAGE = 1000;

/**
 * LIMIT over one table: stop paging once `wanted` rows (OFFSET + LIMIT) pass the WHERE. Only each new page is
 * checked, never the rows already counted.
 */
export interface EarlyStop {
  readonly wanted: number;
  /**
   * the WHERE's conjuncts, all of them: a page's items all count only when PingOne evaluated every one exactly (a
   * conjunct the alias's constraints leave out, such as `IS NULL`, is checked locally)
   */
  readonly conjuncts: number;
  passed: number;
}

export interface ListContext {
  readonly store: ResourceStore;
  readonly trace: PlanTrace;
  readonly dryRun: boolean;
  readonly directory: RemoteDirectory;
  /** whether the resources may be dropped once decoded (ReadExecutor: a statement over one table alias) */
  readonly release: boolean;
  /** how many of a page's rows pass the statement's WHERE */
  passing(rows: readonly Record<string, unknown>[]): number;
}

/**
 * One alias's rows by a list request: the SCIM filter of what PingOne can evaluate (pushed conditions, join keys of
 * rows already fetched), every page, or pages until an early stop has its rows.
 */
export async function listResources(
  ctx: ListContext,
  alias: string,
  mapping: ResourceTableMapping,
  constraints: AliasConstraints,
  stop: EarlyStop | undefined,
): Promise<void> {
  const filters: ScimFilter[] = constraints.pushed.map((p) => p.filter);
  const bindingsPushed = constraints.bindings.length > 0;
  for (const b of constraints.bindings) {
    const column = mapping.byColumn.get(b.column);
    if (!column || !operatorsFor(mapping, column).includes('eq')) continue;
    const values = ctx.dryRun ? ['…'] : ctx.store.values(b.fromAlias, b.fromColumn).filter((v): v is string => typeof v === 'string');
    if (values.length === 0) {
      ctx.trace.step({
        alias,
        table: mapping.table,
        strategy: 'none',
        filter: undefined,
        notes: `no keys from ${b.fromAlias}.${b.fromColumn}: nothing to fetch`,
      });
      return;
    }
    // an OR of keys only where PingOne takes `or` (environments and audit activities take `and` alone)
    if (values.length <= MAX_KEY_FILTER && (values.length === 1 || FILTER_CAPABILITIES[mapping.resource].logicalOperators.includes('or')))
      filters.push(scim.or(...values.map((v) => scim.eq(filterNameOf(mapping, column), v))));
  }
  const filter = filters.length > 0 ? scim.and(...filters) : undefined;
  const withheld =
    constraints.withheld.length > 0
      ? `; not pushed, PingOne refused ${constraints.withheld.map((c) => `\`${c}\``).join(', ')} earlier: evaluated locally`
      : '';
  const partitions =
    mapping.resource === 'users' && !stop
      ? "; read as partitions by population (× enabled) at the same time when PingOne's count on the first page shows they are fewer round trips"
      : '';
  ctx.trace.step({
    alias,
    table: mapping.table,
    strategy: 'list',
    filter: filter && serializeScimFilter(filter),
    notes: `${filter ? 'conditions PingOne can evaluate are pushed; the full WHERE is re-checked locally' : `no condition PingOne can evaluate: every page is read${partitions}`}${withheld}`,
    conditions: constraints.conditions,
  });
  if (ctx.dryRun) return;
  const directory = ctx.directory.in(mapping.environment);
  const release = ctx.release && (filter === undefined || directory.parts(mapping.resource, filter, MAX_PAGE).length === 1);
  const report = traceScan(ctx.trace, alias, mapping.table);
  if (!stop && release) {
    // Nothing reads the JSON once its rows exist: each page is decoded and dropped, so the rows never share the
    // heap with every fetched resource. Every page is read: the next one is requested while this one is decoded.
    for await (const page of readAhead(directory.scan(mapping.resource, filter, MAX_PAGE, { report })))
      ctx.store.addResources(alias, mapping, page.items);
    return;
  }
  if (!stop) {
    const items = await directory.listAll(mapping.resource, filter, MAX_PAGE, filter === undefined ? { report } : undefined);
    ctx.store.remember(mapping.resource, items);
    ctx.store.addResources(alias, mapping, items);
    return;
  }
  // When PingOne evaluates the whole WHERE exactly, every item counts: one page of exactly the rows wanted. When
  // every condition is pushed but PingOne's comparison is looser (strings case-insensitive), nearly every item
  // passes: a page of twice the rows wanted. When a condition stays local, pages are as large as PingOne serves,
  // so the rows the local check rejects cost as few requests as possible; only each new page is checked.
  const allPushed =
    constraints.pushed.length === constraints.conjunctCount && constraints.conjunctCount === stop.conjuncts && !bindingsPushed;
  const exact = allPushed && constraints.fullyExact;
  const pageSize = exact ? Math.min(MAX_PAGE, stop.wanted) : allPushed ? Math.min(MAX_PAGE, Math.max(10, stop.wanted * 2)) : MAX_PAGE;
  for await (const page of directory.listPages(mapping.resource, filter, pageSize)) {
    if (!release) ctx.store.remember(mapping.resource, page.items);
    const rows = ctx.store.addResources(alias, mapping, page.items);
    stop.passed += exact ? rows.length : ctx.passing(rows);
    if (stop.passed >= stop.wanted) break;
  }
}
