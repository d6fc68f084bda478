import { isPingOneId } from '@typeorm-pingone/client';
import type { Expr, FromItem, SelectNode } from '../sql/sql-ast';
import type { MembershipTableMapping, ResourceTableMapping, TableMapping } from '../mapping/table-mapping';
import { constraintsFor, type AliasConstraints } from '../planner/alias-constraints';
import { boundByReference, type OverlappedUsers, type StatementScope } from '../planner/load-dependencies';
import { keyOnlyJoin, removableJoins } from '../planner/join-elimination';
import { withKeys } from '../planner/key-constraints';
import { loadMemberships } from './membership-loader';
import type { PlanTrace } from './plan-trace';
import type { RemoteDirectory, Resource } from './remote-directory';
import type { ResourceStore } from './resource-store';
import { listResources, type EarlyStop } from './resource-lister';
import { awaitTracked, type Tracked } from './request-pool';
import { fetchIncluding, includeFor } from './included-attributes';
import { loadChildren } from './child-loader';
import { parentOf } from '../mapping/parent-key';

/**
 * Key values usable in a PingOne request: the distinct values that can be PingOne ids. Anything else (`..`, `a/b`, a
 * NUL, a lone surrogate, 5,000 characters, a number) names no row: it is dropped here, before any request.
 */
const idKeys = (values: readonly unknown[]): string[] => [...new Set(values.filter(isPingOneId))];

/** What AliasLoader shares with the ReadExecutor that schedules it: the statement's rows so far and its settings. */
export interface AliasLoaderContext {
  readonly store: ResourceStore;
  /** aliases whose rows are loaded (their join keys bind later aliases) */
  readonly loaded: Set<string>;
  /** loads running in the current wave (planner/load-dependencies.ts overlappedUsers) */
  readonly running: ReadonlyMap<string, Tracked<void>>;
  readonly directory: RemoteDirectory;
  readonly trace: PlanTrace;
  readonly dryRun: boolean;
  readonly params: readonly unknown[];
  readonly mapping: (table: string) => TableMapping;
  readonly scope: (select: SelectNode) => StatementScope;
  /** resources fetched by id, for the runner's handoff (read-executor.ts HandoffPort) */
  readonly noteRead: (mapping: ResourceTableMapping, resources: readonly Resource[]) => void;
  /** how many of a table's rows pass the statement's WHERE, for an early stop */
  readonly passing: (mapping: ResourceTableMapping, rows: readonly Record<string, unknown>[]) => number;
  /** whether fetched resources may be dropped once decoded (read-executor.ts #releasesResources) */
  readonly releasesResources: () => boolean;
  /** a derived table's inner SELECT, loaded by the executor's wave scheduling, minus joins that cannot matter */
  readonly loadSelect: (select: SelectNode, skip: ReadonlySet<string>) => Promise<void>;
}

/**
 * Loads the rows of one table alias of a SELECT: by id, by join keys, as a list, as memberships or a parent's
 * children, or not at all when its id is all that is read. Separate from read-executor.ts, which decides the order
 * and the waves in which aliases load and runs the statement over their rows: this module is what one load fetches.
 */
export class AliasLoader {
  constructor(private readonly ctx: AliasLoaderContext) {}

  /** Loads `item`'s rows into the store, keyed by what earlier aliases (or `keys`, a sub-query's values) bind. */
  async load(
    select: SelectNode,
    item: FromItem,
    on: Expr | undefined,
    stop: EarlyStop | undefined,
    bindingOn: readonly Expr[] = [],
    keys?: ReadonlyMap<string, unknown[]>,
    overlapped?: OverlappedUsers,
  ): Promise<void> {
    if (item.k === 'derived') {
      this.ctx.trace.step({
        alias: item.alias,
        table: '(sub-query)',
        strategy: 'derived',
        filter: undefined,
        notes: 'rows come from the inner SELECT',
      });
      await this.ctx.loadSelect(item.select, removableJoins(select, item.alias, item.select));
      this.ctx.loaded.add(item.alias);
      return;
    }
    const mapping = this.ctx.mapping(item.table);
    this.ctx.store.touch(item.table);
    const found = constraintsFor(select, item.alias, mapping, on, this.ctx.loaded, this.ctx.params, bindingOn);
    const constraints = keys ? withKeys(found, mapping, keys) : found;
    if (
      mapping.kind === 'resource' &&
      boundByReference(this.ctx.scope(select), constraints, mapping) &&
      keyOnlyJoin(select, item.alias, item.table, mapping.idColumn)
    ) {
      // Rows of the id alone: the join key is the id, and PingOne keeps the reference whole.
      const ids = this.#keys(constraints, mapping.idColumn) ?? [];
      this.ctx.trace.step({
        alias: item.alias,
        table: mapping.table,
        strategy: 'none',
        filter: undefined,
        notes: `read only through its id, which the join key from ${this.#describeBindings(constraints, mapping.idColumn)} already is: not fetched`,
      });
      this.ctx.store.addResources(
        item.alias,
        mapping,
        ids.map((id) => ({ id })),
      );
      this.ctx.loaded.add(item.alias);
      return;
    }
    if (mapping.kind === 'membership') await this.#loadMembership(item.alias, mapping, constraints, overlapped);
    else if (parentOf(mapping)) {
      const column = parentOf(mapping)!.column.column;
      await loadChildren(
        { store: this.ctx.store, trace: this.ctx.trace, dryRun: this.ctx.dryRun, directory: this.ctx.directory },
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
      const ctx = { store: this.ctx.store, directory: this.ctx.directory, trace: this.ctx.trace, dryRun: this.ctx.dryRun };
      if (include && pinned) await fetchIncluding(ctx, item.alias, mapping, pinned, include, false);
      await this.#loadResource(item.alias, mapping, constraints, stop);
      if (include && !pinned)
        await fetchIncluding(
          ctx,
          item.alias,
          mapping,
          this.ctx.dryRun ? undefined : this.ctx.store.values(item.alias, mapping.idColumn).map(String),
          include,
          true,
        );
    }
    this.ctx.loaded.add(item.alias);
  }

  #keys(constraints: AliasConstraints, column: string): string[] | undefined {
    let keys = constraints.constants.get(column) as unknown[] | undefined;
    for (const b of constraints.bindings.filter((b) => b.column === column)) {
      const values = this.ctx.dryRun ? [] : this.ctx.store.values(b.fromAlias, b.fromColumn);
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
      const cached = ids.filter((id) => this.ctx.store.known(mapping.resource, id));
      // Ids not fetched by an earlier step may still have been read by an earlier statement of the operation.
      const missing = ids.filter((id) => !this.ctx.store.known(mapping.resource, id));
      this.ctx.trace.step({
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
      if (this.ctx.dryRun) return;
      const fetched = await this.ctx.directory.in(mapping.environment).byIds(mapping.resource, missing);
      this.ctx.noteRead(mapping, fetched);
      this.ctx.store.remember(mapping.resource, fetched);
      this.ctx.store.addResources(alias, mapping, [...cached.map((id) => this.ctx.store.known(mapping.resource, id)!), ...fetched]);
      return;
    }
    await listResources(
      {
        store: this.ctx.store,
        trace: this.ctx.trace,
        dryRun: this.ctx.dryRun,
        directory: this.ctx.directory,
        release: this.ctx.releasesResources(),
        passing: (rows) => this.ctx.passing(mapping, rows),
      },
      alias,
      mapping,
      constraints,
      stop,
    );
  }

  async #loadMembership(
    alias: string,
    mapping: MembershipTableMapping,
    constraints: AliasConstraints,
    overlapped?: OverlappedUsers,
  ): Promise<void> {
    const groupIds = this.#keys(constraints, mapping.groupColumn);
    const memberIds = this.#keys(constraints, mapping.memberColumn);
    const running = overlapped && this.ctx.running.get(overlapped.alias);
    const pendingMembers = running
      ? async () => {
          await awaitTracked(running);
          return idKeys(this.ctx.store.values(overlapped.alias, overlapped.column));
        }
      : undefined;
    // `type = 'DIRECT'` on the typed table: only direct memberships are read (PingOne's type eq "DIRECT").
    const direct = mapping.typeColumn !== undefined && constraints.constants.get(mapping.typeColumn)?.every((t) => t === 'DIRECT') === true;
    const rows = await loadMemberships({
      directory: this.ctx.directory.in(mapping.environment),
      store: this.ctx.store,
      trace: this.ctx.trace,
      dryRun: this.ctx.dryRun,
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
    this.ctx.store.addRows(
      alias,
      mapping.table,
      rows.map(([m, g, t]) => [`${m}|${g}`, { [mapping.memberColumn]: m, [mapping.groupColumn]: g, ...(type ? { [type]: t } : {}) }]),
    );
  }
}
