import {
  hasAggregateIn,
  isAggregateCall,
  selectsIn,
  type Expr,
  type FromItem,
  type JoinItem,
  type JoinMode,
  type JoinTree,
  type OrderTerm,
  type OutputItem,
  type SelectNode,
} from './sql-ast';

/** What the parser reads of a SELECT; the rest of a SelectNode is derived from it here, once. */
export interface SelectParts {
  readonly outputs: readonly OutputItem[];
  readonly source: JoinTree | undefined;
  readonly where: Expr | undefined;
  readonly groupBy: readonly Expr[];
  readonly having: Expr | undefined;
  readonly distinct: boolean;
  readonly order: readonly OrderTerm[];
  readonly limitExpr: Expr | undefined;
  readonly offsetExpr: Expr | undefined;
}

/**
 * The planner's view of a join tree: its first item, then the others as joins in order. The items of a
 * parenthesized group keep their own ON; the group's first item takes the group's mode and ON, and inside a LEFT
 * joined group every join counts as LEFT (a row of the group may be missing altogether). The planner only decides
 * what to fetch, and fetching for this view never misses a row the exact tree needs.
 */
function flatten(tree: JoinTree | undefined): { from: FromItem[]; joins: JoinItem[] } {
  if (!tree) return { from: [], joins: [] };
  const items: { item: FromItem; mode: JoinMode; on: Expr | undefined }[] = [];
  const visit = (t: JoinTree, mode: JoinMode, on: Expr | undefined, outer: JoinMode | undefined) => {
    if (t.k === 'item') {
      items.push({ item: t.item, mode: outer === 'LEFT' ? 'LEFT' : mode, on });
      return;
    }
    visit(t.left, mode, on, outer);
    visit(t.right, t.mode, t.on, outer === 'LEFT' || t.mode === 'LEFT' ? 'LEFT' : outer);
  };
  visit(tree, 'CROSS', undefined, undefined);
  const [first, ...rest] = items;
  return { from: first ? [first.item] : [], joins: rest.map((r) => ({ mode: r.mode, source: r.item, on: r.on })) };
}

const integerLiteral = (e: Expr | undefined): number | undefined =>
  e?.k === 'lit' && typeof e.value === 'number' && Number.isInteger(e.value) && !e.real ? e.value : undefined;

/**
 * `SELECT COUNT(*)` (or COUNT(1), or COUNT(DISTINCT id) as TypeORM's count() writes it) alone, without grouping,
 * HAVING, DISTINCT or paging: the only shape PingOne's `count` answers. Its output name: the alias, or the text.
 */
function countShape(p: SelectParts): { alias: string; distinct: string | undefined } | undefined {
  const only = p.outputs[0];
  if (p.outputs.length !== 1 || !only || only.expr.k !== 'func' || only.expr.name !== 'COUNT') return undefined;
  if (p.groupBy.length > 0 || p.having || p.distinct || p.limitExpr || p.offsetExpr) return undefined;
  const count = only.expr;
  const arg = count.args[0];
  const name = only.as ?? only.text;
  if (count.star && !count.distinct) return { alias: name, distinct: undefined };
  if (count.args.length !== 1 || !arg) return undefined;
  if (arg.k === 'lit' && arg.value !== null && !count.distinct) return { alias: name, distinct: undefined };
  if (arg.k === 'col' && count.distinct) return { alias: name, distinct: arg.column };
  return undefined;
}

export function selectNode(p: SelectParts): SelectNode {
  const { from, joins } = flatten(p.source);
  const nested: SelectNode[] = [];
  for (const o of p.outputs) selectsIn(o.expr, nested);
  for (const e of [p.having, ...p.order.map((o) => o.expr), ...p.groupBy]) selectsIn(e, nested);
  const hasAggregate =
    p.having !== undefined || p.outputs.some((o) => hasAggregateIn(o.expr)) || p.order.some((o) => hasAggregateIn(o.expr));
  const count = countShape(p);
  return Object.freeze({
    outputs: p.outputs,
    orderBy: p.order.map((o) => o.expr),
    order: p.order,
    groupBy: p.groupBy,
    having: p.having,
    from,
    joins,
    source: p.source,
    where: p.where,
    nested,
    hasGroupBy: p.groupBy.length > 0,
    hasOrderBy: p.order.length > 0,
    hasDistinct: p.distinct,
    hasAggregate,
    limit: integerLiteral(p.limitExpr),
    offset: integerLiteral(p.offsetExpr),
    limitExpr: p.limitExpr,
    offsetExpr: p.offsetExpr,
    countAlias: count?.alias,
    countDistinct: count?.distinct,
  });
}

export { isAggregateCall };
