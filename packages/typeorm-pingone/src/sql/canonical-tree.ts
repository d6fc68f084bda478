import { selectNode } from './select-node';
import type { Expr, FromItem, JoinTree, SelectNode } from './sql-ast';

/**
 * The statement with every name as the binder resolved it: column references carry the alias of the source they
 * read (qualified even where the SQL left them bare) and their column's declared name, FROM items their table's
 * declared name. The planner and the write executor read this tree, so `FROM USERS WHERE "USERNAME" = ?` plans
 * exactly as `FROM users WHERE username = ?` does.
 */
export interface Resolutions {
  readonly columns: ReadonlyMap<Expr, { readonly table: string; readonly column: string }>;
  readonly tables: ReadonlyMap<FromItem, string>;
}

/** Maps trees to their canonical form; sub-selects shared by several places (a WITH used twice) stay shared. */
export class TreeMapper {
  readonly #selects = new Map<SelectNode, SelectNode>();

  constructor(private readonly r: Resolutions) {}

  select(s: SelectNode): SelectNode {
    const hit = this.#selects.get(s);
    if (hit) return hit;
    const out = selectNode({
      outputs: s.outputs.map((o) => ({ ...o, expr: this.expr(o.expr) })),
      source: s.source && this.tree(s.source),
      where: s.where && this.expr(s.where),
      groupBy: s.groupBy.map((e) => this.expr(e)),
      having: s.having && this.expr(s.having),
      distinct: s.hasDistinct,
      order: s.order.map((o) => ({ ...o, expr: this.expr(o.expr) })),
      limitExpr: s.limitExpr && this.expr(s.limitExpr),
      offsetExpr: s.offsetExpr && this.expr(s.offsetExpr),
    });
    this.#selects.set(s, out);
    return out;
  }

  tree(t: JoinTree): JoinTree {
    if (t.k === 'join') return { ...t, left: this.tree(t.left), right: this.tree(t.right), on: t.on && this.expr(t.on) };
    const item = t.item;
    if (item.k === 'derived') return { k: 'item', item: { ...item, select: this.select(item.select) } };
    return { k: 'item', item: { ...item, table: this.r.tables.get(item) ?? item.table } };
  }

  expr(e: Expr): Expr {
    switch (e.k) {
      case 'col': {
        const resolved = this.r.columns.get(e);
        return resolved ? { k: 'col', table: resolved.table, column: resolved.column } : e;
      }
      case 'op':
        return { ...e, left: this.expr(e.left), right: this.expr(e.right), ...(e.escape ? { escape: this.expr(e.escape) } : {}) };
      case 'in':
        return { ...e, left: this.expr(e.left), list: e.list.map((x) => this.expr(x)) };
      case 'between':
        return { ...e, expr: this.expr(e.expr), low: this.expr(e.low), high: this.expr(e.high) };
      case 'not':
      case 'isnull':
      case 'unary':
      case 'cast':
      case 'collate':
        return { ...e, expr: this.expr(e.expr) };
      case 'func':
        return { ...e, args: e.args.map((x) => this.expr(x)) };
      case 'case':
        return {
          ...e,
          subject: e.subject && this.expr(e.subject),
          whens: e.whens.map((w) => ({ when: this.expr(w.when), then: this.expr(w.then) })),
          otherwise: e.otherwise && this.expr(e.otherwise),
        };
      case 'subquery':
      case 'exists':
        return { ...e, select: this.select(e.select) };
      default:
        return e;
    }
  }
}
