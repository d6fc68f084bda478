import type { Expr, SelectNode } from '../sql/sql-ast';
import { aliasesIn, conjuncts } from './pushdown';

export interface SemiJoin {
  readonly alias: string;
  readonly column: string;
  readonly subquery: SelectNode;
}

function ownAliases(select: SelectNode): Set<string> {
  return new Set([...select.from.map((f) => f.alias), ...select.joins.map((j) => j.source.alias)]);
}

/**
 * `x.col IN (SELECT … )` conjuncts whose sub-query stands alone (no reference to the outer query): running the
 * sub-query first turns it into key values for `x`, so `populationId IN (SELECT id FROM populations WHERE name = ?)`
 * becomes `population.id eq …` instead of a read of every user.
 */
export function semiJoins(select: SelectNode): SemiJoin[] {
  const out: SemiJoin[] = [];
  for (const c of conjuncts(select.where)) {
    if (c.k !== 'in' || c.not || !c.subquery || c.left.k !== 'col' || c.left.table === undefined || c.list.length !== 1) continue;
    const sub = c.list[0];
    if (sub.k !== 'subquery' || sub.select.outputs.length !== 1 || sub.select.outputs[0].expr.k === 'star') continue;
    const own = ownAliases(sub.select);
    const refs = new Set<string | undefined>();
    const visit = (e: Expr | undefined) => {
      if (e) aliasesIn(e, refs);
    };
    visit(sub.select.where);
    sub.select.outputs.forEach((o) => visit(o.expr));
    sub.select.joins.forEach((j) => visit(j.on));
    if ([...refs].some((r) => r === undefined || !own.has(r))) continue; // correlated, or unqualified: leave it to the local run
    out.push({ alias: c.left.table, column: c.left.column, subquery: sub.select });
  }
  return out;
}
