import { isPingOneId } from '@typeorm-pingone/client';
import { parsedSelect, runLocal, type LocalTable, type ParsedSql } from '../sql/sql-engine';
import type { Expr, FromItem, SelectNode } from '../sql/sql-ast';
import type { MembershipTableMapping, ResourceTableMapping, TableMapping } from '../mapping/table-mapping';
import { PingOneDriverError } from '../errors';
import { constraintsFor, subqueriesIn, type AliasConstraints } from '../planner/alias-constraints';
import { isRowByRow, isSingleTable } from '../planner/select-shape';
import { loadOrder, type LoadStep } from '../planner/join-order';
import {
  boundByReference,
  canStartAt,
  dependsOn,
  overlappedUsers,
  type OverlappedUsers,
  type StatementScope,
} from '../planner/load-dependencies';
import { keyOnlyJoin, removableJoins } from '../planner/join-elimination';
import { semiJoins } from '../planner/semi-join';
import { conjuncts } from '../planner/pushdown';
import { withKeys } from '../planner/key-constraints';
import { tryRemoteCount } from './remote-count';
import { loadMemberships } from './membership-loader';
import type { PlanTrace } from './plan-trace';
import type { RemoteDirectory, Resource } from './remote-directory';
import { columnsOf, ResourceStore } from './resource-store';
import { listResources, type EarlyStop } from './resource-lister';
import { awaitTracked, parallel, track, withRoundTrips, type Tracked } from './request-pool';
import type { OperationReads } from './operation-reads';
import { streamSelect } from './stream-select';
import { refuseWriteOnlyUse } from '../planner/write-only-columns';
import { replanOnRefusal } from './refusal-replan';
import { fetchIncluding, includeFor } from './included-attributes';
import { loadChildren } from './child-loader';
import { parentOf } from '../mapping/parent-key';

/** A statement's side of the runner's handoff (read-handoff.ts): the reads of the TypeORM operation it belongs to. */
export interface HandoffPort {
  readonly reads?: OperationReads;
  /** resources fetched by id, fresh from PingOne: the before-images of the runner's next write (recent-resources.ts) */
  readonly noteRead?: (mapping: ResourceTableMapping, resources: readonly Resource[]) => void;
}

/**
 * Key values usable in a PingOne request: the distinct values that can be PingOne ids. Anything else (`..`, `a/b`, a
 * NUL, a lone surrogate, 5,000 characters, a number) names no row: it is dropped here, before any request.
 */
const idKeys = (values: readonly unknown[]): string[] => [...new Set(values.filter(isPingOneId))];

/**
 * Runs one SELECT: fetch what each table alias needs from PingOne (cheapest request first, join keys from earlier
 * aliases, set-wise: never one request per row), then the whole statement in alasql over those rows.
 */
export class ReadExecutor {
  readonly #store = new ResourceStore();
  readonly #loaded = new Set<string>();
  readonly #loadedSelects = new Set<SelectNode>();
  /** Loads running in the current wave, for a step of that wave that may wait for one of them (planner/load-dependencies.ts overlappedUsers). */
  readonly #running = new Map<string, Tracked<void>>();

  constructor(
    private readonly parsed: ParsedSql,
    private readonly params: readonly unknown[],
    private readonly mappings: ReadonlyMap<string, TableMapping>,
    remote: RemoteDirectory,
    private readonly trace: PlanTrace,
    private readonly dryRun: boolean,
    private readonly handoff: HandoffPort = {},
  ) {
    if (parsed.statement.kind === 'select') refuseWriteOnlyUse(parsed.statement.select, (t) => mappings.get(t));
    this.#directory = handoff.reads ? remote.sharing(handoff.reads) : remote;
  }

  /** PingOne, through the reads this statement shares with the others of its TypeORM operation */
  readonly #directory: RemoteDirectory;

  async run(): Promise<Record<string, unknown>[]> {
    if (this.parsed.statement.kind !== 'select')
      throw new PingOneDriverError('UNSUPPORTED_STATEMENT', 'ReadExecutor runs SELECT statements only.');
    const select = this.parsed.statement.select;
    const { result, roundTrips } = await withRoundTrips(async () => {
      if (select.limit === 0) {
        // SQLite answers LIMIT 0 with no rows, whatever the rest; PingOne refuses `limit=0`, and nothing is needed.
        this.trace.step({
          alias: '',
          table: '',
          strategy: 'none',
          filter: undefined,
          notes: 'LIMIT 0: no row can be returned, nothing is fetched',
        });
        return [];
      }
      const counted = await tryRemoteCount(select, {
        mapping: (t) => this.#mapping(t),
        params: this.params,
        loaded: this.#loaded,
        directory: this.#directory,
        trace: this.trace,
        dryRun: this.dryRun,
      });
      if (counted) return counted;
      await this.#loadSelect(select, this.#earlyStop(select));
      return this.dryRun ? [] : this.#runLocal();
    });
    this.trace.roundTrips = roundTrips;
    this.trace.requestsPerSecond = this.#directory.requestsPerSecond;
    return result;
  }

  /** Rows page by page, for stream() (stream-select.ts). */
  stream(): AsyncGenerator<Record<string, unknown>> {
    return streamSelect({
      parsed: this.parsed,
      params: this.params,
      mappings: this.mappings,
      directory: this.#directory,
      trace: this.trace,
      mapping: (t) => this.#mapping(t),
      run: () => this.run(),
    });
  }

  #runLocal(): Record<string, unknown>[] {
    return this.#runLocalOf(this.parsed);
  }

  #runLocalOf(parsed: ParsedSql): Record<string, unknown>[] {
    const tables = new Map<string, LocalTable>();
    for (const [name, mapping] of this.mappings) tables.set(name, { columns: columnsOf(mapping), rows: this.#store.tableRows(name) });
    return runLocal(parsed, this.params, tables);
  }

  #scope(select: SelectNode): StatementScope {
    return { select, mappings: this.mappings, params: this.params, mapping: (t) => this.#mapping(t) };
  }

  #mapping(table: string): TableMapping {
    const mapping = this.mappings.get(table);
    if (!mapping) {
      throw new PingOneDriverError(
        'UNSUPPORTED_STATEMENT',
        `Unknown table '${table}'. Tables of this DataSource: ${[...this.mappings.keys()].join(', ')}.`,
      );
    }
    return mapping;
  }

  /** LIMIT without ORDER BY, joins, grouping or sub-queries: stop paging once enough rows pass the WHERE. */
  #earlyStop(select: SelectNode): EarlyStop | undefined {
    const simple = isRowByRow(select);
    if (!simple || select.limit === undefined || this.dryRun) return undefined;
    return { wanted: select.limit + (select.offset ?? 0), conjuncts: conjuncts(select.where).length, passed: 0 };
  }

  /** How many of `rows` pass the statement's WHERE (the statement run over them alone, without its LIMIT/OFFSET). */
  #passing(mapping: ResourceTableMapping, rows: readonly Record<string, unknown>[]): number {
    const tables = new Map<string, LocalTable>();
    for (const [name, m] of this.mappings) tables.set(name, { columns: columnsOf(m), rows: name === mapping.table ? rows : [] });
    return runLocal(this.parsed, this.params, tables, { window: false }).length;
  }

  /** Loads a sub-query's tables and runs it over them; its rows stay for the outer statement's local run too. */
  async #semiJoinValues(sub: SelectNode): Promise<unknown[] | undefined> {
    await this.#loadSelect(sub, undefined);
    if (this.dryRun) return undefined;
    // the sub-query's own tree, run alone over what it loaded (its parameters are the statement's)
    const rows = this.#runLocalOf(parsedSelect(sub, this.parsed.sql, this.parsed.paramCount));
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
    const semiValues = await parallel(semis.map((semi) => () => this.#semiJoinValues(semi.subquery)));
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
      await parallel(
        running.map((w) => () => {
          const work = w.run();
          this.#running.set(w.step.item.alias, track(work));
          return work;
        }),
      );
    };
    const scope = this.#scope(select);
    for (const step of loadOrder(select, pinned, (item) => canStartAt(scope, item, keyed))) {
      if (skip.has(step.item.alias)) {
        this.trace.step({
          alias: step.item.alias,
          table: step.item.k === 'table' ? step.item.table : '(sub-query)',
          strategy: 'none',
          filter: undefined,
          notes: 'LEFT JOIN that cannot change the DISTINCT result: not fetched',
        });
        // not loaded: its (absent) rows must bind no other alias (a join walked back from an anchor would read none)
        if (step.item.k === 'table') this.#store.touch(step.item.table);
        continue;
      }
      const overlapped =
        keyed.has(step.item.alias) || this.dryRun
          ? undefined
          : overlappedUsers(
              scope,
              step,
              wave.map((w) => w.step),
              keyed,
            );
      if (wave.length > 0 && !overlapped && dependsOn(scope, step, new Set(wave.map((w) => w.step.item.alias)))) await flush();
      wave.push({
        step,
        run: () =>
          replanOnRefusal(this.trace, `alias ${step.item.alias}`, () =>
            this.#loadItem(
              select,
              step.item,
              step.on,
              select.joins.length === 0 ? stop : undefined,
              step.bindingOn,
              keyed.get(step.item.alias),
              overlapped,
            ),
          ),
      });
    }
    await flush();
    const nested = [...select.nested, ...subqueriesIn(select.where), ...select.joins.flatMap((j) => subqueriesIn(j.on))].filter(
      (sub) => !this.#loadedSelects.has(sub),
    );
    await parallel(nested.map((sub) => () => this.#loadSelect(sub, undefined)));
  }

  async #loadItem(
    select: SelectNode,
    item: FromItem,
    on: Expr | undefined,
    stop: EarlyStop | undefined,
    bindingOn: readonly Expr[] = [],
    keys?: ReadonlyMap<string, unknown[]>,
    overlapped?: OverlappedUsers,
  ): Promise<void> {
    if (item.k === 'derived') {
      this.trace.step({
        alias: item.alias,
        table: '(sub-query)',
        strategy: 'derived',
        filter: undefined,
        notes: 'rows come from the inner SELECT',
      });
      await this.#loadSelect(item.select, undefined, removableJoins(select, item.alias, item.select));
      this.#loaded.add(item.alias);
      return;
    }
    const mapping = this.#mapping(item.table);
    this.#store.touch(item.table);
    const found = constraintsFor(select, item.alias, mapping, on, this.#loaded, this.params, bindingOn);
    const constraints = keys ? withKeys(found, mapping, keys) : found;
    if (
      mapping.kind === 'resource' &&
      boundByReference(this.#scope(select), constraints, mapping) &&
      keyOnlyJoin(select, item.alias, item.table, mapping.idColumn)
    ) {
      // Rows of the id alone: the join key is the id, and PingOne keeps the reference whole.
      const ids = this.#keys(constraints, mapping.idColumn) ?? [];
      this.trace.step({
        alias: item.alias,
        table: mapping.table,
        strategy: 'none',
        filter: undefined,
        notes: `read only through its id, which the join key from ${this.#describeBindings(constraints, mapping.idColumn)} already is: not fetched`,
      });
      this.#store.addResources(
        item.alias,
        mapping,
        ids.map((id) => ({ id })),
      );
      this.#loaded.add(item.alias);
      return;
    }
    if (mapping.kind === 'membership') await this.#loadMembership(item.alias, mapping, constraints, overlapped);
    else if (parentOf(mapping)) {
      const column = parentOf(mapping)!.column.column;
      await loadChildren(
        { store: this.#store, trace: this.trace, dryRun: this.dryRun, directory: this.#directory },
        item.alias,
        mapping,
        constraints,
        this.#keys(constraints, column),
        this.#describeBindings(constraints, column),
      );
    } else {
      // columns PingOne returns only on a single read (include=): read by id up front when the ids are pinned, after the load otherwise
      const include = includeFor(select, item.alias, mapping);
      const pinned = include && this.#keys(constraints, mapping.idColumn);
      const ctx = { store: this.#store, directory: this.#directory, trace: this.trace, dryRun: this.dryRun };
      if (include && pinned) await fetchIncluding(ctx, item.alias, mapping, pinned, include, false);
      await this.#loadResource(item.alias, mapping, constraints, stop);
      if (include && !pinned)
        await fetchIncluding(
          ctx,
          item.alias,
          mapping,
          this.dryRun ? undefined : this.#store.values(item.alias, mapping.idColumn).map(String),
          include,
          true,
        );
    }
    this.#loaded.add(item.alias);
  }

  #keys(constraints: AliasConstraints, column: string): string[] | undefined {
    let keys = constraints.constants.get(column) as unknown[] | undefined;
    for (const b of constraints.bindings.filter((b) => b.column === column)) {
      const values = this.dryRun ? [] : this.#store.values(b.fromAlias, b.fromColumn);
      keys = keys === undefined ? values : keys.filter((k) => values.includes(k));
    }
    return keys === undefined ? undefined : idKeys(keys);
  }

  #describeBindings(constraints: AliasConstraints, column: string): string {
    return constraints.bindings
      .filter((b) => b.column === column)
      .map((b) => `${b.fromAlias}.${b.fromColumn}`)
      .join(', ');
  }

  async #loadResource(
    alias: string,
    mapping: ResourceTableMapping,
    constraints: AliasConstraints,
    stop: EarlyStop | undefined,
  ): Promise<void> {
    const ids = this.#keys(constraints, mapping.idColumn);
    if (ids !== undefined) {
      const from = this.#describeBindings(constraints, mapping.idColumn);
      const cached = ids.filter((id) => this.#store.known(mapping.resource, id));
      // Ids not fetched by an earlier step may still have been read by an earlier statement of the operation.
      const missing = ids.filter((id) => !this.#store.known(mapping.resource, id));
      this.trace.step({
        alias,
        table: mapping.table,
        strategy: missing.length === 1 && !from ? 'get-by-id' : 'list-by-ids',
        filter: from
          ? `id in keys from ${from}`
          : missing.length > 1
            ? `id eq … (${missing.length} ids, in parts that fit the URL budget, sent at the same time)`
            : undefined,
        notes: cached.length > 0 ? `${cached.length} already fetched by an earlier step` : 'the WHERE pins the id',
        conditions: constraints.conditions,
      });
      if (this.dryRun) return;
      const fetched = await this.#directory.in(mapping.environment).byIds(mapping.resource, missing);
      this.handoff.noteRead?.(mapping, fetched);
      this.#store.remember(mapping.resource, fetched);
      this.#store.addResources(alias, mapping, [...cached.map((id) => this.#store.known(mapping.resource, id)!), ...fetched]);
      return;
    }
    await listResources(
      {
        store: this.#store,
        trace: this.trace,
        dryRun: this.dryRun,
        directory: this.#directory,
        release: this.#releasesResources(),
        passing: (rows) => this.#passing(mapping, rows),
      },
      alias,
      mapping,
      constraints,
      stop,
    );
  }

  /**
   * Whether the fetched resources can be dropped once decoded into rows: a statement over one table alias (no join,
   * sub-query or derived table) never looks a resource up again. Its pages are then not kept for the operation's
   * later statements either (operation-reads.ts): TypeORM follows such a statement with a COUNT at most, which
   * PingOne's count answers.
   */
  #releasesResources(): boolean {
    if (this.parsed.statement.kind !== 'select') return false;
    const select = this.parsed.statement.select;
    return isSingleTable(select);
  }

  async #loadMembership(
    alias: string,
    mapping: MembershipTableMapping,
    constraints: AliasConstraints,
    overlapped?: OverlappedUsers,
  ): Promise<void> {
    const groupIds = this.#keys(constraints, mapping.groupColumn);
    const memberIds = this.#keys(constraints, mapping.memberColumn);
    const running = overlapped && this.#running.get(overlapped.alias);
    const pendingMembers = running
      ? async () => {
          await awaitTracked(running);
          return idKeys(this.#store.values(overlapped.alias, overlapped.column));
        }
      : undefined;
    // `type = 'DIRECT'` on the typed table: only direct memberships are read (PingOne's type eq "DIRECT").
    const direct = mapping.typeColumn !== undefined && constraints.constants.get(mapping.typeColumn)?.every((t) => t === 'DIRECT') === true;
    const rows = await loadMemberships({
      directory: this.#directory.in(mapping.environment),
      store: this.#store,
      trace: this.trace,
      dryRun: this.dryRun,
      alias,
      mapping: direct ? { ...mapping, scope: 'direct' } : mapping,
      groupIds,
      memberIds,
      pendingMembers,
      describe: {
        groups: this.#describeBindings(constraints, mapping.groupColumn),
        members: this.#describeBindings(constraints, mapping.memberColumn),
      },
    });
    const type = mapping.typeColumn;
    this.#store.addRows(
      alias,
      mapping.table,
      rows.map(([m, g, t]) => [`${m}|${g}`, { [mapping.memberColumn]: m, [mapping.groupColumn]: g, ...(type ? { [type]: t } : {}) }]),
    );
  }
}
