/**
 * The driver's own tree of a statement, built once by sql-parser.ts from the SQL text. Every decision about a
 * statement (its kind, EXPLAIN, upsert, the rows a write targets, the pushdown plan, the local run, the shell's
 * question) reads this tree; nothing looks at the SQL text again. Names are as written until the binder resolves
 * them (sql-binder.ts returns the same shapes with canonical table, alias and column names).
 */
export type BinaryOp =
  | 'AND'
  | 'OR'
  | '='
  | '<>'
  | '<'
  | '<='
  | '>'
  | '>='
  | 'IS'
  | 'IS NOT'
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '||'
  | '&'
  | '|'
  | '<<'
  | '>>'
  | 'LIKE'
  | 'NOT LIKE'
  | 'GLOB'
  | 'NOT GLOB';

export type Expr =
  /** a column reference; `table` is the table or alias as written (or as resolved, after binding) */
  | { readonly k: 'col'; readonly table: string | undefined; readonly column: string }
  /** `?` / `?NNN`: the 0-based index into the statement's parameters */
  | { readonly k: 'param'; readonly index: number }
  /**
   * a literal; `real` marks a REAL literal (1.0, 1e3), which SQLite keeps apart from INTEGER 1; `big` the exact
   * digits of an integer beyond JavaScript's safe integers (SQLite's are 64-bit; `value` is then the nearest double)
   */
  | { readonly k: 'lit'; readonly value: string | number | null; readonly real?: true; readonly big?: string }
  /** `escape`: LIKE's / GLOB's ESCAPE character expression, when written */
  | { readonly k: 'op'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly escape?: Expr }
  /** `x IN (list)`; with `subquery`, the list is one sub-select: `x IN (SELECT …)` */
  | { readonly k: 'in'; readonly left: Expr; readonly list: readonly Expr[]; readonly not: boolean; readonly subquery?: true }
  | { readonly k: 'between'; readonly expr: Expr; readonly low: Expr; readonly high: Expr; readonly not: boolean }
  | { readonly k: 'not'; readonly expr: Expr }
  | { readonly k: 'isnull'; readonly expr: Expr; readonly not: boolean }
  | { readonly k: 'unary'; readonly op: '-' | '+' | '~'; readonly expr: Expr }
  /** functions and aggregates (COUNT(*) has `star`), and CURRENT_TIMESTAMP / CURRENT_DATE / CURRENT_TIME */
  | { readonly k: 'func'; readonly name: string; readonly args: readonly Expr[]; readonly distinct?: true; readonly star?: true }
  | {
      readonly k: 'case';
      readonly subject: Expr | undefined;
      readonly whens: readonly { readonly when: Expr; readonly then: Expr }[];
      readonly otherwise: Expr | undefined;
    }
  /** `CAST(x AS type)`; `type` as written (`VARCHAR(10)`), its affinity decided by SQLite's rules */
  | { readonly k: 'cast'; readonly expr: Expr; readonly type: string }
  | { readonly k: 'collate'; readonly expr: Expr; readonly collation: string }
  /** a scalar sub-query, or the list of `x IN (SELECT …)` */
  | { readonly k: 'subquery'; readonly select: SelectNode }
  | { readonly k: 'exists'; readonly select: SelectNode }
  /** `*` or `t.*`, only as a select-list item */
  | { readonly k: 'star'; readonly table: string | undefined };

export type FromItem =
  | { readonly k: 'table'; readonly table: string; readonly alias: string }
  | { readonly k: 'derived'; readonly select: SelectNode; readonly alias: string };

export type JoinMode = 'INNER' | 'LEFT' | 'CROSS';

export interface JoinItem {
  readonly mode: JoinMode;
  readonly source: FromItem;
  readonly on: Expr | undefined;
}

/** FROM as written: items joined left to right, a parenthesized join a sub-tree (`LEFT JOIN (g JOIN p ON …) ON …`). */
export type JoinTree =
  | { readonly k: 'item'; readonly item: FromItem }
  | { readonly k: 'join'; readonly left: JoinTree; readonly right: JoinTree; readonly mode: JoinMode; readonly on: Expr | undefined };

export interface OrderTerm {
  readonly expr: Expr;
  readonly descending: boolean;
  readonly nulls: 'FIRST' | 'LAST' | undefined;
}

export interface OutputItem {
  readonly expr: Expr;
  readonly as: string | undefined;
  /** the item's source text, as SQLite names an unaliased expression column (`COUNT(*)`, `a  ||  'x'`) */
  readonly text: string;
}

export interface SelectNode {
  readonly outputs: readonly OutputItem[];
  /** the ORDER BY expressions (planner view); `order` has the directions */
  readonly orderBy: readonly Expr[];
  readonly order: readonly OrderTerm[];
  readonly groupBy: readonly Expr[];
  readonly having: Expr | undefined;
  /**
   * The planner's view of FROM: the first item, then every other item as a join in order (a comma join is a CROSS
   * join; the items of a parenthesized join follow with their own ON, LEFT when the group is). `source` is exact.
   */
  readonly from: readonly FromItem[];
  readonly joins: readonly JoinItem[];
  readonly source: JoinTree | undefined;
  readonly where: Expr | undefined;
  /** Selects nested in the select list, HAVING, ORDER BY and GROUP BY: their tables must be loaded too. */
  readonly nested: readonly SelectNode[];
  readonly hasGroupBy: boolean;
  readonly hasOrderBy: boolean;
  readonly hasDistinct: boolean;
  /** an aggregate in the select list, HAVING or ORDER BY, or a HAVING */
  readonly hasAggregate: boolean;
  /** LIMIT / OFFSET when written as integer literals (the planner's early stop); `limitExpr` / `offsetExpr` always */
  readonly limit: number | undefined;
  readonly offset: number | undefined;
  readonly limitExpr: Expr | undefined;
  readonly offsetExpr: Expr | undefined;
  /** `SELECT COUNT(…) AS x` alone, without GROUP BY (the shape of TypeORM's count()): the output name `x` */
  readonly countAlias: string | undefined;
  /** with countAlias: COUNT(DISTINCT column), answered remotely only when the column is the id */
  readonly countDistinct: string | undefined;
}

export interface SetItem {
  readonly column: string;
  readonly value: Expr;
}

export interface Upsert {
  /** the ON CONFLICT target columns */
  readonly target: readonly string[];
  /** DO NOTHING: no SET; DO UPDATE SET: its items (`"c" = EXCLUDED."c"` reads the proposed row) */
  readonly set: readonly SetItem[] | undefined;
}

export type Statement =
  | { readonly kind: 'select'; readonly select: SelectNode }
  /** `columns` empty: every column of the table, in order */
  | {
      readonly kind: 'insert';
      readonly table: string;
      readonly columns: readonly string[];
      readonly rows: readonly (readonly Expr[])[];
      readonly upsert: Upsert | undefined;
    }
  | {
      readonly kind: 'update';
      readonly table: string;
      readonly alias: string | undefined;
      readonly set: readonly SetItem[];
      readonly where: Expr | undefined;
    }
  | { readonly kind: 'delete'; readonly table: string; readonly alias: string | undefined; readonly where: Expr | undefined }
  | { readonly kind: 'explain'; readonly analyze: boolean; readonly statement: Statement }
  /** transaction control and PRAGMA: the runner handles transactions; PRAGMAs have no PingOne counterpart */
  | { readonly kind: 'control'; readonly keyword: 'BEGIN' | 'COMMIT' | 'ROLLBACK' | 'ROLLBACK TO' | 'SAVEPOINT' | 'RELEASE' | 'PRAGMA' }
  /** a statement kind PingOne has no counterpart for (CREATE, DROP, …), refused by name */
  | { readonly kind: 'other'; readonly keyword: string };

/** The direct child expressions of an expression (not into sub-selects). */
export function childExprs(e: Expr): readonly Expr[] {
  switch (e.k) {
    case 'op':
      return e.escape ? [e.left, e.right, e.escape] : [e.left, e.right];
    case 'in':
      return [e.left, ...e.list];
    case 'between':
      return [e.expr, e.low, e.high];
    case 'not':
    case 'isnull':
    case 'unary':
    case 'cast':
    case 'collate':
      return [e.expr];
    case 'func':
      return e.args;
    case 'case':
      return [...(e.subject ? [e.subject] : []), ...e.whens.flatMap((w) => [w.when, w.then]), ...(e.otherwise ? [e.otherwise] : [])];
    default:
      return [];
  }
}

/** Every sub-select inside an expression, at any depth outside sub-selects (EXISTS, IN (SELECT …), scalar). */
export function selectsIn(e: Expr | undefined, out: SelectNode[] = []): SelectNode[] {
  if (!e) return out;
  const stack: Expr[] = [e];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (x.k === 'subquery' || x.k === 'exists') out.push(x.select);
    else stack.push(...childExprs(x));
  }
  return out;
}

/** Calls `visit` on every expression of the tree rooted at `e`, outside sub-selects (iteratively: trees may be wide). */
export function walkExpr(e: Expr | undefined, visit: (x: Expr) => void): void {
  if (!e) return;
  const stack: Expr[] = [e];
  while (stack.length > 0) {
    const x = stack.pop()!;
    visit(x);
    stack.push(...childExprs(x));
  }
}

export const AGGREGATE_NAMES: ReadonlySet<string> = new Set(['COUNT', 'MIN', 'MAX', 'SUM', 'AVG', 'TOTAL', 'GROUP_CONCAT', 'STRING_AGG']);

/** Whether `e` is an aggregate call: COUNT(*), or an aggregate's name with one argument (MIN/MAX with two are scalar). */
export function isAggregateCall(e: Expr): boolean {
  if (e.k !== 'func' || !AGGREGATE_NAMES.has(e.name)) return false;
  if (e.name === 'MIN' || e.name === 'MAX') return e.args.length === 1;
  return true;
}

/** Whether an aggregate call appears in `e` outside sub-selects. */
export function hasAggregateIn(e: Expr | undefined): boolean {
  let found = false;
  walkExpr(e, (x) => {
    if (isAggregateCall(x)) found = true;
  });
  return found;
}
