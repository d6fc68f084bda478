import { parsedSelect, runLocal, type LocalTable, type ParsedSql } from '../sql/sql-engine';
import type { Expr, FromItem, SelectNode } from '../sql/sql-ast';
import type { ResourceTableMapping, TableMapping } from '../mapping/table-mapping';
import { PingOneDriverError } from '../errors';
import { constraintsFor, subqueriesIn } from '../planner/alias-constraints';
import { isRowByRow, isSingleTable } from '../planner/select-shape';
import { loadOrder, type LoadStep } from '../planner/join-order';
import { canStartAt, dependsOn, overlappedUsers, type StatementScope } from '../planner/load-dependencies';
import { semiJoins } from '../planner/semi-join';
import { conjuncts } from '../planner/pushdown';
import { tryRemoteCount } from './remote-count';
import type { PlanTrace } from './plan-trace';
import type { RemoteDirectory, Resource } from './remote-directory';
import { columnsOf, ResourceStore } from './resource-store';
import type { EarlyStop } from './resource-lister';
import { parallel, track, withRoundTrips, type Tracked } from './request-pool';
import type { OperationReads } from './operation-reads';
import { streamSelect } from './stream-select';
import { refuseWriteOnlyUse } from '../planner/write-only-columns';
import { replanOnRefusal } from './refusal-replan';
import { AliasLoader } from './alias-loader';

/** A statement's side of the runner's handoff (read-handoff.ts): the reads of the TypeORM operation it belongs to. */
export interface HandoffPort {
  readonly reads?: OperationReads;
  /** resources fetched by id, fresh from PingOne: the before-images of the runner's next write (recent-resources.ts) */
  readonly noteRead?: (mapping: ResourceTableMapping, resources: readonly Resource[]) => void;
}

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
    this.#loader = new AliasLoader({
      store: this.#store,
      loaded: this.#loaded,
      running: this.#running,
      directory: this.#directory,
      trace,
      dryRun,
      params,
      mapping: (t) => this.#mapping(t),
      scope: (select) => this.#scope(select),
      noteRead: (mapping, resources) => handoff.noteRead?.(mapping, resources),
      passing: (mapping, rows) => this.#passing(mapping, rows),
      releasesResources: () => this.#releasesResources(),
      loadSelect: (select, skip) => this.#loadSelect(select, undefined, skip),
    });
  }

  /** PingOne, through the reads this statement shares with the others of its TypeORM operation */
  readonly #directory: RemoteDirectory;
  /** what each alias's load fetches (alias-loader.ts); this class decides their order and waves */
  readonly #loader: AliasLoader;

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
            this.#loader.load(
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
}
