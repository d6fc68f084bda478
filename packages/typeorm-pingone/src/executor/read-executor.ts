import { scim, serializeScimFilter, type ScimFilter } from '@typeorm-pingone/client';
import { parseSql, runLocal, type LocalTable, type ParsedSql } from '../sql/alasql-engine';
import type { Expr, FromItem, SelectNode } from '../sql/sql-ast';
import type { MembershipTableMapping, ResourceTableMapping, TableMapping } from '../mapping/table-mapping';
import { PingOneDriverError } from '../errors';
import { constraintsFor, subqueriesIn, type AliasConstraints } from '../planner/alias-constraints';
import { conjuncts, operatorsFor } from '../planner/pushdown';
import { loadOrder } from '../planner/join-order';
import { removableJoins } from '../planner/join-elimination';
import { semiJoins } from '../planner/semi-join';
import { loadMemberships } from './membership-loader';
import type { PlanTrace } from './plan-trace';
import type { RemoteDirectory, Resource } from './remote-directory';
import { columnsOf, ResourceStore } from './resource-store';
import { resourceToRow } from '../mapping/row-codec';

const ID_CHUNK = 50;
/** The count request asks for a whole page (PingOne serves at most 200 users): if PingOne leaves `count` out, the page still counts. */
const COUNT_PAGE_SIZE = 1000;

interface EarlyStop {
  readonly pageSize: number;
  done(): boolean;
}
const MAX_KEY_FILTER = 100;

/**
 * Runs one SELECT: fetch what each table alias needs from PingOne (cheapest request first, join keys from earlier
 * aliases, set-wise: never one request per row), then the whole statement in alasql over those rows.
 */
export class ReadExecutor {
  readonly #store = new ResourceStore();
  readonly #loaded = new Set<string>();
  readonly #loadedSelects = new Set<SelectNode>();

  constructor(
    private readonly parsed: ParsedSql,
    private readonly params: readonly unknown[],
    private readonly mappings: ReadonlyMap<string, TableMapping>,
    private readonly directory: RemoteDirectory,
    private readonly trace: PlanTrace,
    private readonly dryRun: boolean,
  ) {}

  async run(): Promise<Record<string, unknown>[]> {
    if (this.parsed.statement.kind !== 'select') throw new PingOneDriverError('UNSUPPORTED_STATEMENT', 'ReadExecutor runs SELECT statements only.');
    const select = this.parsed.statement.select;
    const counted = await this.#tryRemoteCount(select);
    if (counted) return counted;
    await this.#loadSelect(select, this.#earlyStop(select));
    return this.dryRun ? [] : this.#runLocal();
  }

  /**
   * Rows page by page, for stream(): a plain single-table SELECT (no join, ORDER BY, grouping, DISTINCT, LIMIT or
   * sub-query) runs in alasql over each PingOne page as it arrives, so memory holds one page, not the result. Any other
   * statement is run whole, then streamed.
   */
  async *stream(): AsyncGenerator<Record<string, unknown>> {
    if (this.parsed.statement.kind !== 'select') throw new PingOneDriverError('UNSUPPORTED_STATEMENT', 'stream() runs SELECT statements only.');
    const select = this.parsed.statement.select;
    const item = select.from[0];
    const mapping = item?.k === 'table' ? this.#mapping(item.table) : undefined;
    const plain = select.from.length === 1 && select.joins.length === 0 && select.nested.length === 0 && subqueriesIn(select.where).length === 0
      && !select.hasGroupBy && !select.hasOrderBy && !select.hasDistinct && !select.hasAggregate && select.limit === undefined && select.offset === undefined;
    const constraints = item && mapping?.kind === 'resource' ? constraintsFor(select, item.alias, mapping, undefined, this.#loaded, this.params) : undefined;
    if (!plain || !item || mapping?.kind !== 'resource' || !constraints || constraints.constants.has(mapping.idColumn)) {
      yield* await this.run();
      return;
    }
    const filter = constraints.pushed.length > 0 ? scim.and(...constraints.pushed.map((p) => p.filter)) : undefined;
    this.trace.step({ alias: item.alias, table: mapping.table, strategy: 'list', filter: filter && serializeScimFilter(filter), notes: 'streamed: each page runs locally as it arrives' });
    const empty = new Map<string, LocalTable>([...this.mappings].map(([name, m]) => [name, { columns: columnsOf(m), rows: [] }]));
    for await (const page of this.directory.in(mapping.environment).listPages(mapping.resource, filter, 1000)) {
      const tables = new Map(empty);
      tables.set(mapping.table, { columns: columnsOf(mapping), rows: page.items.map((r) => resourceToRow(mapping, r)) });
      yield* runLocal(this.parsed, this.params, tables);
    }
  }

  #runLocal(): Record<string, unknown>[] {
    return this.#runLocalOf(this.parsed);
  }

  #runLocalOf(parsed: ParsedSql): Record<string, unknown>[] {
    const tables = new Map<string, LocalTable>();
    for (const [name, mapping] of this.mappings) tables.set(name, { columns: columnsOf(mapping), rows: this.#store.tableRows(name) });
    return runLocal(parsed, this.params, tables);
  }

  #mapping(table: string): TableMapping {
    const mapping = this.mappings.get(table);
    if (!mapping) {
      throw new PingOneDriverError('UNSUPPORTED_STATEMENT', `Unknown table '${table}'. Tables of this DataSource: ${[...this.mappings.keys()].join(', ')}.`);
    }
    return mapping;
  }

  /** LIMIT without ORDER BY, joins, grouping or sub-queries: stop paging once enough rows pass the WHERE. */
  #earlyStop(select: SelectNode): EarlyStop | undefined {
    const simple = select.from.length === 1 && select.from[0]!.k === 'table' && select.joins.length === 0 && select.nested.length === 0
      && subqueriesIn(select.where).length === 0 && !select.hasGroupBy && !select.hasOrderBy && !select.hasDistinct && !select.hasAggregate;
    if (!simple || select.limit === undefined || this.dryRun) return undefined;
    const wanted = select.limit;
    // Pages a little larger than needed, so a few rows rejected by the local re-check don't cost another request.
    return { pageSize: Math.min(1000, Math.max(10, (wanted + (select.offset ?? 0)) * 2)), done: () => this.#runLocal().length >= wanted };
  }

  /**
   * COUNT(*) whose WHERE PingOne evaluates exactly: answered from PingOne's `count` on the first page. `count` is
   * optional (PingOne leaves it out when there are many matches), so the first request asks for a full page rather
   * than `limit=1`: without a count, the pages are counted as they come (every item matches, since PingOne
   * evaluated the whole WHERE) and the first request is not wasted.
   */
  async #tryRemoteCount(select: SelectNode): Promise<Record<string, unknown>[] | undefined> {
    const item = select.from[0];
    if (!select.countAlias || select.from.length !== 1 || item?.k !== 'table' || select.joins.length > 0 || select.nested.length > 0 || subqueriesIn(select.where).length > 0) return undefined;
    const mapping = this.#mapping(item.table);
    if (mapping.kind !== 'resource') return undefined;
    if (select.countDistinct !== undefined && select.countDistinct !== mapping.idColumn) return undefined;
    const c = constraintsFor(select, item.alias, mapping, undefined, this.#loaded, this.params);
    const all = conjuncts(select.where).length;
    if (!c.fullyExact || c.pushed.length !== all || c.conjunctCount !== all || c.constants.has(mapping.idColumn)) return undefined;
    const filter = c.pushed.length > 0 ? scim.and(...c.pushed.map((p) => p.filter)) : undefined;
    const step = { alias: item.alias, table: item.table, strategy: 'count' as const, filter: filter && serializeScimFilter(filter) };
    this.trace.step({ ...step, notes: "COUNT answered by PingOne's count (first page): the WHERE is evaluated exactly by PingOne; without a count, the pages are counted" });
    if (this.dryRun) return [];
    let counted = 0;
    let pages = 0;
    for await (const page of this.directory.in(mapping.environment).listPages(mapping.resource, filter, COUNT_PAGE_SIZE)) {
      if (pages++ === 0 && page.count !== undefined) return [{ [select.countAlias]: page.count }];
      counted += page.items.length;
    }
    this.trace.steps.pop();
    this.trace.step({ ...step, notes: `PingOne sent no count: ${pages} page(s) counted (every item matches: the WHERE is evaluated exactly by PingOne)` });
    return [{ [select.countAlias]: counted }];
  }

  /** Loads a sub-query's tables and runs it over them; its rows stay for the outer statement's local run too. */
  async #semiJoinValues(sub: SelectNode, sql: string): Promise<unknown[] | undefined> {
    await this.#loadSelect(sub, undefined);
    if (this.dryRun) return undefined;
    let parsed: ParsedSql;
    try {
      parsed = parseSql(sql);
    } catch {
      return undefined; // alasql's printed form didn't parse back: the sub-query still runs locally
    }
    const rows = this.#runLocalOf(parsed);
    return rows.map((r) => Object.values(r)[0]);
  }

  async #loadSelect(select: SelectNode, stop: EarlyStop | undefined, skip: ReadonlySet<string> = new Set()): Promise<void> {
    this.#loadedSelects.add(select);
    const pinned = (item: FromItem, on: Expr | undefined) => {
      if (item.k !== 'table') return false;
      const c = constraintsFor(select, item.alias, this.#mapping(item.table), on, new Set(), this.params);
      return c.constants.size > 0 || c.pushed.length > 0;
    };
    // Stand-alone `IN (SELECT …)` sub-queries run first: their values become keys of the outer table.
    const keyed = new Map<string, Map<string, unknown[]>>();
    for (const semi of semiJoins(select)) {
      const values = await this.#semiJoinValues(semi.subquery, semi.sql);
      if (!values) continue;
      const columns = keyed.get(semi.alias) ?? new Map<string, unknown[]>();
      columns.set(semi.column, values);
      keyed.set(semi.alias, columns);
    }
    for (const step of loadOrder(select, pinned)) {
      if (skip.has(step.item.alias)) {
        this.trace.step({ alias: step.item.alias, table: step.item.k === 'table' ? step.item.table : '(sub-query)', strategy: 'none', filter: undefined, notes: 'LEFT JOIN that cannot change the DISTINCT result: not fetched' });
        if (step.item.k === 'table') this.#store.touch(step.item.table);
        this.#loaded.add(step.item.alias);
        continue;
      }
      await this.#loadItem(select, step.item, step.on, select.joins.length === 0 ? stop : undefined, step.bindingOn, keyed.get(step.item.alias));
    }
    const nested = [...select.nested, ...subqueriesIn(select.where), ...select.joins.flatMap((j) => subqueriesIn(j.on))];
    for (const sub of nested) if (!this.#loadedSelects.has(sub)) await this.#loadSelect(sub, undefined);
  }

  async #loadItem(
    select: SelectNode, item: FromItem, on: Expr | undefined, stop: EarlyStop | undefined, bindingOn: readonly Expr[] = [],
    keys?: ReadonlyMap<string, unknown[]>,
  ): Promise<void> {
    if (item.k === 'derived') {
      this.trace.step({ alias: item.alias, table: '(sub-query)', strategy: 'derived', filter: undefined, notes: 'rows come from the inner SELECT' });
      await this.#loadSelect(item.select, undefined, removableJoins(select, item.alias, item.select));
      this.#loaded.add(item.alias);
      return;
    }
    const mapping = this.#mapping(item.table);
    this.#store.touch(item.table);
    const found = constraintsFor(select, item.alias, mapping, on, this.#loaded, this.params, bindingOn);
    const constraints = keys ? withKeys(found, mapping, keys) : found;
    if (mapping.kind === 'membership') await this.#loadMembership(item.alias, mapping, constraints);
    else await this.#loadResource(item.alias, mapping, constraints, stop);
    this.#loaded.add(item.alias);
  }

  #keys(constraints: AliasConstraints, column: string): string[] | undefined {
    let keys = constraints.constants.get(column) as unknown[] | undefined;
    for (const b of constraints.bindings.filter((b) => b.column === column)) {
      const values = this.dryRun ? [] : this.#store.values(b.fromAlias, b.fromColumn);
      keys = keys === undefined ? values : keys.filter((k) => values.includes(k));
    }
    return keys === undefined ? undefined : [...new Set(keys.filter((k): k is string => typeof k === 'string' && k !== ''))];
  }

  #describeBindings(constraints: AliasConstraints, column: string): string {
    return constraints.bindings.filter((b) => b.column === column).map((b) => `${b.fromAlias}.${b.fromColumn}`).join(', ');
  }

  async #loadResource(alias: string, mapping: ResourceTableMapping, constraints: AliasConstraints, stop: EarlyStop | undefined): Promise<void> {
    const ids = this.#keys(constraints, mapping.idColumn);
    if (ids !== undefined) {
      const from = this.#describeBindings(constraints, mapping.idColumn);
      const cached = ids.filter((id) => this.#store.known(mapping.resource, id));
      const missing = ids.filter((id) => !this.#store.known(mapping.resource, id));
      this.trace.step({
        alias, table: mapping.table, strategy: missing.length === 1 && !from ? 'get-by-id' : 'list-by-ids',
        filter: from ? `id in keys from ${from}` : missing.length > 1 ? `id eq … (${missing.length} ids, ${Math.ceil(missing.length / ID_CHUNK)} request(s))` : undefined,
        notes: cached.length > 0 ? `${cached.length} already fetched by an earlier step` : 'the WHERE pins the id',
      });
      if (this.dryRun) return;
      const fetched = await this.#fetchByIds(mapping, missing);
      this.#store.addResources(alias, mapping, [...cached.map((id) => this.#store.known(mapping.resource, id)!), ...fetched]);
      return;
    }
    const filters: ScimFilter[] = constraints.pushed.map((p) => p.filter);
    for (const b of constraints.bindings) {
      const column = mapping.byColumn.get(b.column);
      if (!column || !operatorsFor(mapping, column).includes('eq')) continue;
      const values = this.dryRun ? ['…'] : this.#store.values(b.fromAlias, b.fromColumn).filter((v): v is string => typeof v === 'string');
      if (values.length === 0) {
        this.trace.step({ alias, table: mapping.table, strategy: 'none', filter: undefined, notes: `no keys from ${b.fromAlias}.${b.fromColumn}: nothing to fetch` });
        return;
      }
      if (values.length <= MAX_KEY_FILTER) filters.push(scim.or(...values.map((v) => scim.eq(column.attribute, v))));
    }
    const filter = filters.length > 0 ? scim.and(...filters) : undefined;
    this.trace.step({
      alias, table: mapping.table, strategy: 'list', filter: filter && serializeScimFilter(filter),
      notes: filter ? 'conditions PingOne can evaluate are pushed; the full WHERE is re-checked locally' : 'no condition PingOne can evaluate: every page is read',
    });
    if (this.dryRun) return;
    for await (const page of this.directory.in(mapping.environment).listPages(mapping.resource, filter, stop?.pageSize ?? 1000)) {
      this.#store.remember(mapping.resource, page.items);
      this.#store.addResources(alias, mapping, page.items);
      if (stop?.done()) break;
    }
  }

  async #fetchByIds(mapping: ResourceTableMapping, ids: readonly string[]): Promise<Resource[]> {
    if (ids.length === 1) {
      const one = await this.directory.in(mapping.environment).get(mapping.resource, ids[0]!);
      return one ? [one] : [];
    }
    const out: Resource[] = [];
    for (let i = 0; i < ids.length; i += ID_CHUNK) {
      const chunk = ids.slice(i, i + ID_CHUNK);
      for await (const page of this.directory.in(mapping.environment).listPages(mapping.resource, scim.or(...chunk.map((id) => scim.eq('id', id))), 1000)) out.push(...page.items);
    }
    this.#store.remember(mapping.resource, out);
    return out;
  }

  async #loadMembership(alias: string, mapping: MembershipTableMapping, constraints: AliasConstraints): Promise<void> {
    const groupIds = this.#keys(constraints, mapping.groupColumn);
    const userIds = this.#keys(constraints, mapping.userColumn);
    const rows = await loadMemberships({
      directory: this.directory.in(mapping.environment), store: this.#store, trace: this.trace, dryRun: this.dryRun, alias, mapping, groupIds, userIds,
      describe: { groups: this.#describeBindings(constraints, mapping.groupColumn), users: this.#describeBindings(constraints, mapping.userColumn) },
    });
    this.#store.addRows(alias, mapping.table, rows.map(([u, g]) => [`${u}|${g}`, { [mapping.userColumn]: u, [mapping.groupColumn]: g }]));
  }
}

/**
 * Key values a sub-query produced for some columns of an alias: ids become constants (GET/list by id), other columns an
 * or-of-eq filter where PingOne supports eq; no values at all means no row can match.
 */
function withKeys(found: AliasConstraints, mapping: TableMapping, keys: ReadonlyMap<string, unknown[]>): AliasConstraints {
  const constants = new Map(found.constants);
  const pushed = [...found.pushed];
  for (const [column, values] of keys) {
    const strings = values.filter((v): v is string => typeof v === 'string' && v !== '');
    if (mapping.kind === 'membership' || column === mapping.idColumn) {
      constants.set(column, strings);
      continue;
    }
    const attribute = mapping.byColumn.get(column);
    if (strings.length === 0) constants.set(mapping.idColumn, []);
    else if (attribute && strings.length <= MAX_KEY_FILTER && operatorsFor(mapping, attribute).includes('eq')) {
      pushed.push({ filter: scim.or(...strings.map((v) => scim.eq(attribute.attribute, v))), exact: false });
    }
  }
  return { ...found, constants, pushed };
}
