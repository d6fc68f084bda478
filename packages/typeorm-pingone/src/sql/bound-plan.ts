import type { Accumulator, AggregateSpec } from './aggregates';
import type { Collation } from './sqlite-compare';
import type { Affinity, SqlValue } from './sqlite-values';

/**
 * A statement bound to this DataSource's tables: every name resolved, every expression compiled into a closure (no
 * generated code: a closure reads rows by property and applies sqlite-values.ts), ready to run over fetched rows any
 * number of times with any parameters. select-binder.ts builds it; select-runner.ts runs it.
 */

/** A row of a source as it is read: a table row object (column name → value) or a derived row (array). */
export type SourceRow = Readonly<Record<string, unknown>> | readonly unknown[];

/**
 * Where a select's expressions read from while it runs: `p` holds the current row of each source by its key (`a0`,
 * `a1`, … driver-made names), `outer` the enclosing select's frame (correlated sub-queries), `group` the group
 * being finished (aggregate values), `run` what is fixed for the whole statement.
 */
export interface Frame {
  p: Record<string, unknown>;
  outer: Frame | undefined;
  group: GroupState | undefined;
  readonly run: RunState;
}

export type Compiled = (frame: Frame) => SqlValue;

export interface GroupState {
  /** the row bare columns read: the group's first, or the row of its MIN/MAX */
  rep: Record<string, unknown>;
  readonly accumulators: Accumulator[];
  readonly keys: readonly SqlValue[];
}

/** What one run of a statement shares: parameter values, its clock, the rows of each table, sub-query answers. */
export interface RunState {
  readonly params: readonly SqlValue[];
  /** CURRENT_TIMESTAMP and friends: one instant per statement, as SQLite */
  readonly now: Date;
  readonly tables: ReadonlyMap<string, readonly SourceRow[]>;
  /** answers of uncorrelated sub-queries and derived tables, computed once per run */
  readonly cache: Map<object, readonly (readonly SqlValue[])[]>;
}

/** What SQLite knows about an expression's value before comparing it: its affinity and collation. */
export interface ExprInfo {
  readonly affinity: Affinity;
  /** the collation and how it was set (an explicit COLLATE wins over a column's own) */
  readonly collation: { readonly name: Collation; readonly explicit: boolean } | undefined;
  /** a literal's value, known when binding */
  readonly constant?: SqlValue;
}

export interface BoundExpr {
  readonly fn: Compiled;
  readonly info: ExprInfo;
}

export interface SourcePlan {
  /** the key of this source's row in a frame */
  readonly key: string;
  readonly kind: 'table' | 'derived' | 'group';
  /** table: the table's name; derived: the sub-select; group: a parenthesized join */
  readonly table?: string;
  readonly select?: BoundSelect;
  readonly group?: JoinPlan;
}

export interface JoinStep {
  readonly source: SourcePlan;
  readonly mode: 'INNER' | 'LEFT' | 'CROSS';
  /** the ON condition, true only when SQLite's is true */
  readonly on: ((frame: Frame) => boolean) | undefined;
  /** an equi-join's keys: equal keys exactly when the ON's `=` holds (an index for alasql; NULL never matches) */
  readonly index: { readonly left: (frame: Frame) => string; readonly right: (frame: Frame) => string } | undefined;
}

export interface JoinPlan {
  readonly first: SourcePlan;
  readonly steps: readonly JoinStep[];
  /** every frame key the plan's rows carry, for copying a joined row */
  readonly keys: readonly string[];
}

export interface OutputPlan {
  readonly name: string;
  readonly value: Compiled;
  readonly info: ExprInfo;
  /** the table column whose values it shows (a column, `*`, MIN/MAX of a column), for tools that print by type */
  readonly origin?: { readonly table: string; readonly column: string };
}

export interface OrderPlan {
  /** an output column's index, or an expression */
  readonly output: number | undefined;
  readonly value: Compiled | undefined;
  readonly descending: boolean;
  readonly nulls: 'FIRST' | 'LAST' | undefined;
  readonly collation: Collation;
}

export interface GroupingPlan {
  readonly keys: readonly { readonly value: Compiled; readonly collation: Collation }[];
  readonly aggregates: readonly { readonly spec: AggregateSpec; readonly args: readonly Compiled[] }[];
  readonly having: ((frame: Frame) => boolean) | undefined;
  /** the aggregates whose new extreme moves the row bare columns read (MIN/MAX) */
  readonly extremes: readonly number[];
}

export interface BoundSelect {
  readonly join: JoinPlan | undefined;
  readonly where: ((frame: Frame) => boolean) | undefined;
  readonly grouping: GroupingPlan | undefined;
  readonly outputs: readonly OutputPlan[];
  readonly distinct: boolean;
  readonly order: readonly OrderPlan[];
  readonly limit: Compiled | undefined;
  readonly offset: Compiled | undefined;
  /** reads a column of an enclosing select (it must run again for each outer row) */
  readonly correlated: boolean;
}
