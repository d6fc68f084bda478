/**
 * The driver's own view of a parsed statement: a small, kind-discriminated tree built from alasql's AST by
 * alasql-engine.ts, so nothing else depends on alasql's node classes.
 */
export type Expr =
  | { readonly k: 'col'; readonly table: string | undefined; readonly column: string }
  | { readonly k: 'param'; readonly index: number }
  | { readonly k: 'lit'; readonly value: string | number | boolean | null }
  /** `escape`: LIKE's ESCAPE character expression, when written */
  | { readonly k: 'op'; readonly op: string; readonly left: Expr; readonly right: Expr; readonly escape?: Expr }
  | { readonly k: 'in'; readonly left: Expr; readonly list: readonly Expr[]; readonly not: boolean }
  | { readonly k: 'between'; readonly expr: Expr; readonly low: Expr; readonly high: Expr; readonly not: boolean }
  | { readonly k: 'not'; readonly expr: Expr }
  | { readonly k: 'isnull'; readonly expr: Expr; readonly not: boolean }
  | { readonly k: 'func'; readonly name: string; readonly args: readonly Expr[] }
  /** `sql`: the sub-query regenerated as alasql text (parameters as `$n`, global indexes), when alasql can print it */
  | { readonly k: 'subquery'; readonly select: SelectNode; readonly sql?: string }
  | { readonly k: 'other'; readonly subqueries: readonly SelectNode[] };

export type FromItem =
  | { readonly k: 'table'; readonly table: string; readonly alias: string }
  | { readonly k: 'derived'; readonly select: SelectNode; readonly alias: string };

export interface JoinItem {
  readonly mode: string;
  readonly source: FromItem;
  readonly on: Expr | undefined;
}

export interface SelectNode {
  /** the select list: expression and output name */
  readonly outputs: readonly { readonly expr: Expr; readonly as: string | undefined }[];
  readonly orderBy: readonly Expr[];
  readonly groupBy: readonly Expr[];
  readonly from: readonly FromItem[];
  readonly joins: readonly JoinItem[];
  readonly where: Expr | undefined;
  /** Selects nested anywhere else (columns, HAVING, ORDER BY, UNION members): their tables must be loaded too. */
  readonly nested: readonly SelectNode[];
  readonly hasGroupBy: boolean;
  readonly hasOrderBy: boolean;
  readonly hasDistinct: boolean;
  readonly hasAggregate: boolean;
  readonly limit: number | undefined;
  readonly offset: number | undefined;
  /** `SELECT COUNT(…) AS x` alone, without GROUP BY (the shape of TypeORM's count()): the alias `x` */
  readonly countAlias: string | undefined;
  /** with countAlias: COUNT(DISTINCT column), answered remotely only when the column is the id */
  readonly countDistinct: string | undefined;
}

export type Statement =
  | { readonly kind: 'select'; readonly select: SelectNode }
  | { readonly kind: 'insert'; readonly table: string; readonly columns: readonly string[]; readonly rows: readonly (readonly Expr[])[] }
  | { readonly kind: 'update'; readonly table: string; readonly set: readonly { readonly column: string; readonly value: Expr }[]; readonly where: Expr | undefined }
  | { readonly kind: 'delete'; readonly table: string; readonly where: Expr | undefined }
  | { readonly kind: 'other'; readonly keyword: string };
