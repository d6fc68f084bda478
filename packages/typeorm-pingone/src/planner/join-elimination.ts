import { walkExpr, type Expr, type SelectNode } from '../sql/sql-ast';
import { aliasesIn } from './pushdown';

/**
 * LEFT JOINs of a derived table that can't change the outer result, so their tables need not be fetched. TypeORM's
 * `find({ relations, take })` first runs `SELECT DISTINCT distinctAlias.User_id FROM (SELECT … FROM users LEFT JOIN
 * memberships LEFT JOIN groups …) distinctAlias`, which only needs user ids: a LEFT JOIN never removes a row of
 * its left side and DISTINCT folds the duplicates it adds. A joined alias is kept when anything the outer query uses,
 * the inner WHERE/GROUP BY/ORDER BY, or a kept join's ON refers to it.
 */
export function removableJoins(outer: SelectNode, derivedAlias: string, inner: SelectNode): Set<string> {
  const none = new Set<string>();
  if (!outer.hasDistinct || outer.hasAggregate || outer.hasGroupBy || inner.hasAggregate || inner.hasGroupBy || inner.hasDistinct)
    return none;
  if (inner.from.length !== 1 || inner.nested.length > 0) return none;
  // Output names of the derived table that the outer query reads (unqualified names count too: ORDER BY "User_id").
  const used = new Set<string>();
  const collect = (root: Expr) =>
    walkExpr(root, (e) => {
      if (e.k === 'col' && (e.table === derivedAlias || e.table === undefined)) used.add(e.column);
      else if (e.k === 'subquery' || e.k === 'exists' || e.k === 'star') used.add('*');
    });
  [...outer.outputs.map((o) => o.expr), ...outer.orderBy, ...(outer.where ? [outer.where] : [])].forEach(collect);
  if (used.has('*')) return none;
  const needed = new Set<string | undefined>();
  const mark = (e: Expr) => aliasesIn(e).forEach((a) => needed.add(a));
  for (const output of inner.outputs) {
    const name = output.as ?? (output.expr.k === 'col' ? output.expr.column : undefined);
    if (name === undefined || used.has(name)) mark(output.expr);
  }
  [...(inner.where ? [inner.where] : []), ...inner.orderBy, ...inner.groupBy].forEach(mark);
  if (needed.has(undefined) || needed.has('\u0000subquery')) return none;
  const removable = new Set<string>();
  // From the last join backwards: a LEFT JOIN nobody needs goes, and its ON no longer makes others needed.
  for (const join of [...inner.joins].reverse()) {
    if (join.mode === 'LEFT' && join.source.k === 'table' && !needed.has(join.source.alias)) removable.add(join.source.alias);
    else if (join.on) mark(join.on);
  }
  return removable;
}

/**
 * A joined alias the statement reads only through its id (`find({ where: { population: { id } } })` joins the
 * population just to compare `population.id`): its rows need not be fetched, since the join key already is the id.
 * PingOne keeps these references whole (a user's or group's population always exists), so the joined row exists
 * for every key. Only when no other alias or sub-query reads the same table, and every reference is qualified.
 */
export function keyOnlyJoin(select: SelectNode, alias: string, table: string, idColumn: string): boolean {
  const join = select.joins.find((j) => j.source.alias === alias);
  if (!join || join.source.k !== 'table' || select.nested.length > 0) return false;
  const items = [...select.from, ...select.joins.map((j) => j.source)];
  if (items.some((i) => i.k !== 'table' || (i.table === table && i.alias !== alias))) return false;
  let ok = true;
  const visit = (root: Expr): void =>
    walkExpr(root, (e) => {
      if (e.k === 'col' && (e.table === undefined || (e.table === alias && e.column !== idColumn))) ok = false;
      else if (e.k === 'subquery' || e.k === 'exists' || e.k === 'star') ok = false;
    });
  [
    ...select.outputs.map((o) => o.expr),
    ...select.orderBy,
    ...select.groupBy,
    ...(select.where ? [select.where] : []),
    ...select.joins.flatMap((j) => (j.on ? [j.on] : [])),
  ].forEach(visit);
  return ok;
}
