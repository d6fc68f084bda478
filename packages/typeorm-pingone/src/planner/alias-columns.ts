import { selectsIn, walkExpr, type Expr, type SelectNode } from '../sql/sql-ast';

/**
 * Whether a statement reads any of `columns` of a table alias: a reference to one of them (qualified by the alias,
 * or unqualified, which may be the alias's), or `*` / `alias.*`, anywhere in the statement, sub-selects included (a
 * correlated one may read the outer alias). Reading more than needed is safe; missing a read is not.
 */
export function readsColumns(select: SelectNode, alias: string, columns: ReadonlySet<string>): boolean {
  let found = false;
  const visit = (e: Expr) => {
    if (found) return;
    if (e.k === 'col' && (e.table === undefined || e.table === alias) && columns.has(e.column)) found = true;
    else if (e.k === 'star' && (e.table === undefined || e.table === alias)) found = true;
  };
  const seen = new Set<SelectNode>();
  const walkSelect = (s: SelectNode) => {
    if (seen.has(s) || found) return;
    seen.add(s);
    const roots: (Expr | undefined)[] = [
      ...s.outputs.map((o) => o.expr),
      s.where,
      s.having,
      ...s.groupBy,
      ...s.orderBy,
      ...s.joins.map((j) => j.on),
    ];
    for (const root of roots) {
      walkExpr(root, visit);
      for (const sub of selectsIn(root)) walkSelect(sub);
    }
    for (const sub of s.nested) walkSelect(sub);
  };
  walkSelect(select);
  return found;
}
