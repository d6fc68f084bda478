import { scim, serializeScimFilter, type ScimFilter } from '@typeorm-pingone/client';
import { parseSql, runLocal, type LocalTable, type ParsedSql } from '../sql/alasql-engine';
import type { Expr, FromItem, SelectNode } from '../sql/sql-ast';
import type { MembershipTableMapping, ResourceTableMapping, TableMapping } from '../mapping/table-mapping';
import { PingOneDriverError } from '../errors';
import { constraintsFor, subqueriesIn, type AliasConstraints } from '../planner/alias-constraints';
import { operatorsFor } from '../planner/pushdown';
import { isRowByRow, isSingleTable } from '../planner/select-shape';
import { loadOrder, type LoadStep } from '../planner/join-order';
import { keyOnlyJoin, removableJoins } from '../planner/join-elimination';
import { semiJoins } from '../planner/semi-join';
import { MAX_KEY_FILTER, withKeys } from '../planner/key-constraints';
import { tryRemoteCount } from './remote-count';
import { loadMemberships } from './membership-loader';
import type { PlanTrace } from './plan-trace';
import type { RemoteDirectory, Resource } from './remote-directory';
import { columnsOf, ResourceStore } from './resource-store';
import { resourceToRow } from '../mapping/row-codec';
import { awaitTracked, parallel, track, withRoundTrips, type Tracked } from './request-pool';
import { handoffOf, ReadHandoff, reusableRows, type Handoff } from './read-handoff';

/** A statement's side of the runner's handoff: what the previous statement passed, and where to pass this one's. */
export interface HandoffPort {
  readonly received?: Handoff | undefined;
  readonly offer?: (handoff: Handoff) => void;
}

/**
 * LIMIT over one table: stop paging once `wanted` rows (OFFSET + LIMIT) pass the WHERE. Only each new page is
 * checked, never the rows already counted.
 */
interface EarlyStop {
  readonly wanted: number;
  passed: number;
}
/** Largest page PingOne serves (users come in pages of at most 200 whatever is asked). */
const MAX_PAGE = 1000;

/**
 * Runs one SELECT: fetch what each table alias needs from PingOne (cheapest request first, join keys from earlier
 * aliases, set-wise: never one request per row), then the whole statement in alasql over those rows.
 */
export class ReadExecutor {
  readonly #store = new ResourceStore();
  readonly #loaded = new Set<string>();
  readonly #loadedSelects = new Set<SelectNode>();
  /** Loads running in the current wave, for a step of that wave that may wait for one of them (#fullReadUsers). */
  readonly #running = new Map<string, Tracked<void>>();

  constructor(
    private readonly parsed: ParsedSql,
    private readonly params: readonly unknown[],
    private readonly mappings: ReadonlyMap<string, TableMapping>,
    private readonly directory: RemoteDirectory,
    private readonly trace: PlanTrace,
    private readonly dryRun: boolean,
    private readonly handoff: HandoffPort = {},
  ) {}

  async run(): Promise<Record<string, unknown>[]> {
    if (this.parsed.statement.kind !== 'select') throw new PingOneDriverError('UNSUPPORTED_STATEMENT', 'ReadExecutor runs SELECT statements only.');
    const select = this.parsed.statement.select;
    const generation = ReadHandoff.generation();
    this.#takeHandoff(select);
    const { result, roundTrips } = await withRoundTrips(async () => {
      const counted = await tryRemoteCount(select, {
        mapping: (t) => this.#mapping(t), params: this.params, loaded: this.#loaded, directory: this.directory, trace: this.trace, dryRun: this.dryRun,
      });
      if (counted) return counted;
      await this.#loadSelect(select, this.#earlyStop(select));
      return this.dryRun ? [] : this.#runLocal();
    });
    this.trace.roundTrips = roundTrips;
    this.#offerHandoff(select, result, generation);
    return result;
  }

  #takeHandoff(select: SelectNode): void {
    const reused = reusableRows(select, this.handoff.received, (t) => this.#mapping(t), this.params);
    if (!reused) return;
    this.#store.remember(reused.resource, reused.resources);
    this.trace.step({ alias: reused.alias, table: reused.table, strategy: 'none', filter: undefined, notes: `${reused.resources.length} row(s) fetched by the previous statement of this TypeORM operation (DISTINCT ids), reused: no write since` });
  }

  #offerHandoff(select: SelectNode, rows: readonly Record<string, unknown>[], generation: number): void {
    if (!this.handoff.offer || this.dryRun) return;
    const handoff = handoffOf(select, rows, (t) => this.#mapping(t), (resource, id) => this.#store.known(resource, id), generation);
    if (handoff) this.handoff.offer(handoff);
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
    const plain = isRowByRow(select) && select.limit === undefined && select.offset === undefined;
    const constraints = item && mapping?.kind === 'resource' ? constraintsFor(select, item.alias, mapping, undefined, this.#loaded, this.params) : undefined;
    if (!plain || !item || mapping?.kind !== 'resource' || !constraints || constraints.constants.has(mapping.idColumn)) {
      yield* await this.run();
      return;
    }
    const filter = constraints.pushed.length > 0 ? scim.and(...constraints.pushed.map((p) => p.filter)) : undefined;
    this.trace.step({ alias: item.alias, table: mapping.table, strategy: 'list', filter: filter && serializeScimFilter(filter), notes: 'streamed: each page runs locally as it arrives' });
    const empty = new Map<string, LocalTable>([...this.mappings].map(([name, m]) => [name, { columns: columnsOf(m), rows: [] }]));
    const pages = this.directory.in(mapping.environment).listPages(mapping.resource, filter, 1000)[Symbol.asyncIterator]();
    // Each page is decoded and run before its rows are yielded, in a function whose locals end with it: no page's
    // JSON or source rows stay reachable while the consumer is handed its rows, so they die young.
    const pageRows = async (): Promise<Record<string, unknown>[] | undefined> => {
      const next = await pages.next();
      if (next.done) return undefined;
      const tables = new Map(empty);
      tables.set(mapping.table, { columns: columnsOf(mapping), rows: next.value.items.map((r) => resourceToRow(mapping, r)) });
      return runLocal(this.parsed, this.params, tables);
    };
    try {
      for (;;) {
        // Cleared before the next page is awaited, so this page's rows are not kept alive during that request.
        let rows = await pageRows();
        if (rows === undefined) return;
        for (let i = 0; i < rows.length; i++) yield rows[i]!;
        rows = undefined;
      }
    } finally {
      await pages.return?.(undefined);
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
    const simple = isRowByRow(select);
    if (!simple || select.limit === undefined || this.dryRun) return undefined;
    return { wanted: select.limit + (select.offset ?? 0), passed: 0 };
  }

  /** How many of `rows` pass the statement's WHERE (the statement run over them alone, without its LIMIT/OFFSET). */
  #passing(mapping: ResourceTableMapping, rows: readonly Record<string, unknown>[]): number {
    const tables = new Map<string, LocalTable>();
    for (const [name, m] of this.mappings) tables.set(name, { columns: columnsOf(m), rows: name === mapping.table ? rows : [] });
    return runLocal(this.parsed, this.params, tables, { window: false }).length;
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
    // Stand-alone `IN (SELECT …)` sub-queries run first (at the same time): their values become keys of the outer table.
    const keyed = new Map<string, Map<string, unknown[]>>();
    const semis = semiJoins(select);
    const semiValues = await parallel(semis.map((semi) => () => this.#semiJoinValues(semi.subquery, semi.sql)));
    semis.forEach((semi, i) => {
      const values = semiValues[i];
      if (!values) return;
      const columns = keyed.get(semi.alias) ?? new Map<string, unknown[]>();
      columns.set(semi.column, values);
      keyed.set(semi.alias, columns);
    });
    // Steps run in waves: a step joins the current wave unless it takes keys from an alias of that wave.
    let wave: { step: LoadStep; run: () => Promise<void> }[] = [];
    const flush = async () => {
      const running = wave;
      wave = [];
      await parallel(running.map((w) => () => {
        const work = w.run();
        this.#running.set(w.step.item.alias, track(work));
        return work;
      }));
    };
    for (const step of loadOrder(select, pinned)) {
      if (skip.has(step.item.alias)) {
        this.trace.step({ alias: step.item.alias, table: step.item.k === 'table' ? step.item.table : '(sub-query)', strategy: 'none', filter: undefined, notes: 'LEFT JOIN that cannot change the DISTINCT result: not fetched' });
        if (step.item.k === 'table') this.#store.touch(step.item.table);
        this.#loaded.add(step.item.alias);
        continue;
      }
      const overlapped = keyed.has(step.item.alias) ? undefined : this.#fullReadUsers(select, step, wave.map((w) => w.step), keyed);
      if (wave.length > 0 && !overlapped && this.#dependsOn(select, step, new Set(wave.map((w) => w.step.item.alias)))) await flush();
      wave.push({ step, run: () => this.#loadItem(select, step.item, step.on, select.joins.length === 0 ? stop : undefined, step.bindingOn, keyed.get(step.item.alias), overlapped) });
    }
    await flush();
    const nested = [...select.nested, ...subqueriesIn(select.where), ...select.joins.flatMap((j) => subqueriesIn(j.on))].filter((sub) => !this.#loadedSelects.has(sub));
    await parallel(nested.map((sub) => () => this.#loadSelect(sub, undefined)));
  }

  /**
   * A membership step whose only keys are the ids of a users alias of the same wave that reads every user (no
   * filter, key or binding): it runs in that wave, starting from the groups, and waits for the users only if asking
   * per user could be fewer requests (membership-loader.ts).
   */
  #fullReadUsers(select: SelectNode, step: LoadStep, wave: readonly LoadStep[], keyed: ReadonlyMap<string, unknown>): { readonly alias: string; readonly column: string } | undefined {
    if (step.item.k !== 'table' || this.dryRun) return undefined;
    const mapping = this.#mapping(step.item.table);
    if (mapping.kind !== 'membership') return undefined;
    const inWave = new Set(wave.map((w) => w.item.alias));
    const c = constraintsFor(select, step.item.alias, mapping, step.on, inWave, this.params, step.bindingOn);
    const fromWave = c.bindings.filter((b) => inWave.has(b.fromAlias));
    const users = wave.find((w) => w.item.alias === fromWave[0]?.fromAlias);
    if (c.constants.size > 0 || c.pushed.length > 0 || fromWave.length !== 1 || fromWave[0]!.column !== mapping.userColumn || users?.item.k !== 'table') return undefined;
    const source = this.#mapping(users.item.table);
    if (source.kind !== 'resource' || source.resource !== 'users' || source.environment !== mapping.environment || fromWave[0]!.fromColumn !== source.idColumn || keyed.has(users.item.alias)) return undefined;
    const all = new Set([...select.from, ...select.joins.map((j) => j.source)].map((i) => i.alias));
    const own = constraintsFor(select, users.item.alias, source, users.on, all, this.params, users.bindingOn);
    if (own.constants.size > 0 || own.pushed.length > 0 || own.bindings.length > 0) return undefined;
    return { alias: users.item.alias, column: source.idColumn };
  }

  /** Whether a step takes join keys from one of `aliases` (so it must wait for their rows). */
  #dependsOn(select: SelectNode, step: LoadStep, aliases: ReadonlySet<string>): boolean {
    if (step.item.k !== 'table') return false;
    const c = constraintsFor(select, step.item.alias, this.#mapping(step.item.table), step.on, aliases, this.params, step.bindingOn);
    return c.bindings.some((b) => aliases.has(b.fromAlias));
  }

  async #loadItem(
    select: SelectNode, item: FromItem, on: Expr | undefined, stop: EarlyStop | undefined, bindingOn: readonly Expr[] = [],
    keys?: ReadonlyMap<string, unknown[]>, overlapped?: { readonly alias: string; readonly column: string },
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
    if (mapping.kind === 'resource' && this.#byReference(select, constraints, mapping) && keyOnlyJoin(select, item.alias, item.table, mapping.idColumn)) {
      // Rows of the id alone: the join key is the id, and PingOne keeps the reference whole.
      const ids = this.#keys(constraints, mapping.idColumn) ?? [];
      this.trace.step({ alias: item.alias, table: mapping.table, strategy: 'none', filter: undefined, notes: `read only through its id, which the join key from ${this.#describeBindings(constraints, mapping.idColumn)} already is: not fetched` });
      this.#store.addResources(item.alias, mapping, ids.map((id) => ({ id })));
      this.#loaded.add(item.alias);
      return;
    }
    if (mapping.kind === 'membership') await this.#loadMembership(item.alias, mapping, constraints, overlapped);
    else await this.#loadResource(item.alias, mapping, constraints, stop);
    this.#loaded.add(item.alias);
  }

  /**
   * Whether the alias's id is bound to a reference PingOne keeps whole: a user's or group's `population.id`, or a
   * membership's user or group (PingOne drops memberships with their group or user).
   */
  #byReference(select: SelectNode, constraints: AliasConstraints, mapping: ResourceTableMapping): boolean {
    const items = [...select.from, ...select.joins.map((j) => j.source)];
    const bindings = constraints.bindings.filter((b) => b.column === mapping.idColumn);
    return bindings.length > 0 && bindings.every((b) => {
      const from = items.find((i) => i.alias === b.fromAlias);
      const source = from?.k === 'table' ? this.mappings.get(from.table) : undefined;
      if (!source || source.environment !== mapping.environment) return false;
      if (source.kind === 'membership') return (b.fromColumn === source.groupColumn && mapping.resource === 'groups') || (b.fromColumn === source.userColumn && mapping.resource === 'users');
      return mapping.resource === 'populations' && source.byColumn.get(b.fromColumn)?.attribute === 'population.id';
    });
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
        filter: from ? `id in keys from ${from}` : missing.length > 1 ? `id eq … (${missing.length} ids, in parts that fit the URL budget, sent at the same time)` : undefined,
        notes: cached.length > 0 ? `${cached.length} already fetched by an earlier step` : 'the WHERE pins the id',
      });
      if (this.dryRun) return;
      const fetched = await this.#fetchByIds(mapping, missing);
      this.#store.remember(mapping.resource, fetched);
      this.#store.addResources(alias, mapping, [...cached.map((id) => this.#store.known(mapping.resource, id)!), ...fetched]);
      return;
    }
    const filters: ScimFilter[] = constraints.pushed.map((p) => p.filter);
    const bindingsPushed = constraints.bindings.length > 0;
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
    const directory = this.directory.in(mapping.environment);
    const release = this.#releasesResources() && (filter === undefined || directory.parts(mapping.resource, filter, MAX_PAGE).length === 1);
    if (!stop && release) {
      // Nothing reads the JSON once its rows exist: each page is decoded and dropped, so the rows never share the
      // heap with every fetched resource.
      for await (const page of directory.listPages(mapping.resource, filter, MAX_PAGE)) this.#store.addResources(alias, mapping, page.items);
      return;
    }
    if (!stop) {
      const items = await directory.listAll(mapping.resource, filter, MAX_PAGE);
      this.#store.remember(mapping.resource, items);
      this.#store.addResources(alias, mapping, items);
      return;
    }
    // When PingOne evaluates the whole WHERE exactly, every item counts: one page of exactly the rows wanted. When
    // every condition is pushed but PingOne's comparison is looser (strings case-insensitive), nearly every item
    // passes: a page of twice the rows wanted. When a condition stays local, pages are as large as PingOne serves,
    // so the rows the local check rejects cost as few requests as possible; only each new page is checked.
    const allPushed = constraints.pushed.length === constraints.conjunctCount && !bindingsPushed;
    const exact = allPushed && constraints.fullyExact;
    const pageSize = exact ? Math.min(MAX_PAGE, stop.wanted) : allPushed ? Math.min(MAX_PAGE, Math.max(10, stop.wanted * 2)) : MAX_PAGE;
    for await (const page of directory.listPages(mapping.resource, filter, pageSize)) {
      if (!release) this.#store.remember(mapping.resource, page.items);
      const rows = this.#store.addResources(alias, mapping, page.items);
      stop.passed += exact ? rows.length : this.#passing(mapping, rows);
      if (stop.passed >= stop.wanted) break;
    }
  }

  /**
   * Whether the fetched resources can be dropped once decoded into rows: a statement over one table alias (no join,
   * sub-query or derived table) never looks a resource up again, and only a DISTINCT over a derived table offers
   * its resources to the next statement (read-handoff.ts).
   */
  #releasesResources(): boolean {
    if (this.parsed.statement.kind !== 'select') return false;
    const select = this.parsed.statement.select;
    return isSingleTable(select);
  }

  async #fetchByIds(mapping: ResourceTableMapping, ids: readonly string[]): Promise<Resource[]> {
    if (ids.length === 1) {
      const one = await this.directory.in(mapping.environment).get(mapping.resource, ids[0]!);
      return one ? [one] : [];
    }
    if (ids.length === 0) return [];
    // One or-of-eq filter, sent in as few parts as fit the URL budget, all at the same time.
    const out = await this.directory.in(mapping.environment).listAll(mapping.resource, scim.or(...ids.map((id) => scim.eq('id', id))), MAX_PAGE);
    this.#store.remember(mapping.resource, out);
    return out;
  }

  async #loadMembership(alias: string, mapping: MembershipTableMapping, constraints: AliasConstraints, overlapped?: { readonly alias: string; readonly column: string }): Promise<void> {
    const groupIds = this.#keys(constraints, mapping.groupColumn);
    const userIds = this.#keys(constraints, mapping.userColumn);
    const running = overlapped && this.#running.get(overlapped.alias);
    const pendingUsers = running ? async () => {
      await awaitTracked(running);
      return this.#store.values(overlapped.alias, overlapped.column).filter((v): v is string => typeof v === 'string' && v !== '');
    } : undefined;
    const rows = await loadMemberships({
      directory: this.directory.in(mapping.environment), store: this.#store, trace: this.trace, dryRun: this.dryRun, alias, mapping, groupIds, userIds, pendingUsers,
      describe: { groups: this.#describeBindings(constraints, mapping.groupColumn), users: this.#describeBindings(constraints, mapping.userColumn) },
    });
    this.#store.addRows(alias, mapping.table, rows.map(([u, g]) => [`${u}|${g}`, { [mapping.userColumn]: u, [mapping.groupColumn]: g }]));
  }
}
