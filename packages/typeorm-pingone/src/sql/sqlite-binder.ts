import { PingOneDriverError } from '../errors';
import { NameScope, NO_INFO, unknownTable, type LocalColumn, type ScopeTable } from './name-scope';
import { aggregateId, type AggregateName } from './sqlite-functions';
import { ARITHMETIC, COMPARISONS, refuse, type AstNode, type KindOf } from './statement-guard';
import { sqlValue } from './sqlite-values';
import { LocalExpr, opts, text, type Bound, type OrderTerm, type TopLevel } from './local-expr';

export type { OrderTerm, TopLevel } from './local-expr';

/**
 * Binds a guarded alasql statement to the tables of this DataSource: every name is resolved (sqlite rules, see
 * name-scope.ts), every parameter must exist, and, when rewriting, every expression alasql would evaluate with
 * JavaScript's coercions is replaced by a node that calls the SQLite semantics in sqlite-values.ts / sqlite-like.ts /
 * sqlite-functions.ts (registered on alasql as `alasql.p1` by alasql-engine.ts, the only module importing alasql).
 * The top-level ORDER BY, LIMIT and OFFSET are taken out of alasql's hands and applied by the engine with SQLite's
 * ordering (alasql sorts NULL and 0 as '' and compares mixed types with `>`).
 */
const RT = 'alasql.p1';

export class SqliteBinder {
  constructor(
    private readonly kindOf: KindOf,
    private readonly tables: ReadonlyMap<string, readonly LocalColumn[]>,
    private readonly params: readonly unknown[],
  ) {}

  /** IN (SELECT …) sub-queries, in the order the runtime's `subquery(k)` calls name them */
  readonly subqueries: AstNode[] = [];

  /** A top-level SELECT: bound, rewritten, with ORDER BY / LIMIT / OFFSET returned for the engine to apply. */
  top(select: AstNode, itemNames?: readonly string[]): TopLevel {
    const columns0 = (Array.isArray(select.columns) ? select.columns : []) as AstNode[];
    // SQLite names an unaliased expression by its source text; alasql would print its own form of it
    if (itemNames && itemNames.length === columns0.length) {
      columns0.forEach((c, i) => { if (c.as === undefined && this.kindOf(c) !== 'Column') c.as = itemNames[i]; });
    }
    const scope = this.select(select, undefined, true);
    const outputs = this.outputNames(select, scope);
    const order: OrderTerm[] = [];
    const hidden: string[] = [];
    const columns = select.columns as unknown[];
    for (const [i, item] of (Array.isArray(select.order) ? select.order : []).entries()) {
      const term = item as AstNode;
      const expr = term.expression as AstNode;
      let key: string | undefined;
      let info: LocalColumn = NO_INFO;
      if (this.kindOf(expr) === 'NumValue') {
        const position = Number(expr.value);
        if (!Number.isInteger(position) || position < 1 || position > outputs.length) {
          throw new PingOneDriverError('SQL_ERROR', `ORDER BY term ${position} is out of range: the select list has ${outputs.length} column(s).`);
        }
        ({ name: key, info } = outputs[position - 1]!);
      } else if (this.kindOf(expr) === 'Column' && expr.tableid === undefined) {
        const output = outputs.find((o) => o.name.toLowerCase() === String(expr.columnid).toLowerCase());
        if (output) ({ name: key, info } = output);
      }
      if (key === undefined) {
        const output = outputs.find((o) => o.text === text(expr));
        if (output) ({ name: key, info } = output);
      }
      if (key === undefined) {
        key = `__p1_order_${i}`;
        const name = text(expr);
        const result = this.expr(expr, scope, true);
        info = result.info;
        const bound = result.node;
        if (!(bound instanceof LocalExpr)) (bound as AstNode).as = key;
        columns.push(this.named(bound, key, name));
        hidden.push(key);
      }
      order.push({ key, descending: term.direction === 'DESC', nulls: term.nullsOrder === 'FIRST' || term.nullsOrder === 'LAST' ? term.nullsOrder : undefined, caseInsensitive: info.caseInsensitive });
    }
    const limit = this.bound(select.limit);
    const offset = this.bound(select.offset);
    const distinct = select.distinct === true;
    delete select.distinct;
    delete select.order;
    delete select.limit;
    delete select.offset;
    return { order, hidden, limit: limit === undefined || limit < 0 ? undefined : limit, offset: offset === undefined || offset < 0 ? 0 : offset,
      distinct, folded: outputs.filter((o) => o.info.caseInsensitive).map((o) => o.name) };
  }

  /** UPDATE / DELETE / INSERT: the table, its columns and the WHERE's names and parameters are checked. */
  write(statement: AstNode, kind: string): void {
    const tableNode = (kind === 'Insert' ? statement.into : statement.table) as AstNode;
    const table = this.table(String(tableNode.tableid), String(tableNode.as ?? tableNode.tableid));
    const scope = new NameScope([table], undefined);
    if (kind === 'Insert') {
      for (const c of statement.columns as AstNode[]) scope.resolve(undefined, String(c.columnid), false);
      for (const row of statement.values as unknown[][]) for (const v of row) this.expr(v, scope, false);
    }
    if (kind === 'Update') for (const c of statement.columns as AstNode[]) scope.resolve(undefined, String((c.column as AstNode).columnid), false);
    if (statement.where !== undefined) this.expr(statement.where, scope, false);
  }

  private bound(node: unknown): number | undefined {
    if (node === undefined) return undefined;
    const n = node as AstNode;
    const value = this.kindOf(n) === 'ParamValue' ? sqlValue(this.param(Number(n.param))) : sqlValue(n.value);
    if (typeof value !== 'number' || !Number.isInteger(value)) throw new PingOneDriverError('SQL_ERROR', `LIMIT and OFFSET take integers; got ${String(value)}.`);
    return value;
  }

  private param(index: number): unknown {
    if (index >= this.params.length) {
      throw new PingOneDriverError('SQL_ERROR', `The statement uses parameter ${index + 1} but only ${this.params.length} value(s) were given. Pass one value per ? placeholder.`);
    }
    return this.params[index];
  }

  private table(name: string, alias: string): ScopeTable {
    const columns = this.tables.get(name) ?? [...this.tables].find(([t]) => t.toLowerCase() === name.toLowerCase())?.[1];
    if (!columns) throw unknownTable(name, [...this.tables.keys()]);
    return { alias, table: name, columns };
  }

  private select(select: AstNode, parent: NameScope | undefined, top = false): NameScope {
    const tables: ScopeTable[] = [];
    const source = (item: AstNode, alias: unknown): ScopeTable => {
      if (this.kindOf(item) === 'Select') {
        const inner = this.select(item, undefined);
        const columns = this.outputNames(item, inner).map((o) => ({ ...o.info, name: o.name }));
        return { alias: String(alias ?? ''), table: '(sub-query)', columns };
      }
      const t = this.table(String(item.tableid), String(alias ?? item.tableid));
      item.tableid = t.table; // the binder works on a fresh copy of the tree that nothing else holds
      return t;
    };
    for (const item of (Array.isArray(select.from) ? select.from : []) as AstNode[]) tables.push(source(item, item.as));
    for (const join of (Array.isArray(select.joins) ? select.joins : []) as AstNode[]) {
      tables.push(source((join.table ?? join.select) as AstNode, join.as ?? (join.table as AstNode | undefined)?.tableid));
    }
    const scope = new NameScope(tables, parent);
    const columns = (Array.isArray(select.columns) ? select.columns : []) as AstNode[];
    select.columns = columns.map((c) => {
      const name = text(c); // before binding: binding renames aggregates (MAX → P1_MAX)
      return this.named(this.expr(c, scope, false).node, c.as as string | undefined, name);
    });
    scope.outputs = new Map(this.outputNames(select, scope).map((o) => [o.name, o.info]));
    for (const join of (Array.isArray(select.joins) ? select.joins : []) as AstNode[]) {
      if (join.on !== undefined) join.on = this.condition(join.on, scope);
    }
    if (select.where !== undefined) select.where = this.condition(select.where, scope);
    if (Array.isArray(select.group)) select.group = select.group.map((g) => this.expr(g, scope, true).node);
    if (select.having !== undefined) select.having = this.condition(select.having, scope, true);
    if (!top && Array.isArray(select.order)) {
      if (select.limit === undefined && select.offset === undefined) delete select.order; // order without paging changes nothing
      else for (const o of select.order as AstNode[]) {
        if (this.kindOf(o.expression) !== 'Column') refuse('ORDER BY an expression inside a paged sub-query', 'Order the outer statement instead.');
        this.expr(o.expression, scope, true);
      }
    }
    for (const bound of [select.limit, select.offset]) if (!top && bound !== undefined) this.bound(bound);
    return scope;
  }

  private outputNames(select: AstNode, scope: NameScope): { name: string; text: string; info: LocalColumn }[] {
    const out: { name: string; text: string; info: LocalColumn }[] = [];
    for (const c of (Array.isArray(select.columns) ? select.columns : []) as AstNode[]) {
      if (this.kindOf(c) === 'Column' && c.columnid === '*') {
        for (const t of scope.tables) if (c.tableid === undefined || c.tableid === t.alias) for (const col of t.columns) out.push({ name: col.name, text: col.name, info: col });
        continue;
      }
      const info = this.kindOf(c) === 'Column' ? scope.resolve(c.tableid as string | undefined, String(c.columnid), false).column : NO_INFO;
      const name = typeof c.as === 'string' ? c.as : this.kindOf(c) === 'Column' ? String(c.columnid) : text(c);
      out.push({ name, text: this.kindOf(c) === 'Column' && c.tableid !== undefined ? `${String(c.tableid)}.${String(c.columnid)}` : text(c), info });
    }
    return out;
  }

  /** A select-list item keeps its SQL name: alasql would otherwise name rewritten expressions after our nodes. */
  private named(node: unknown, as: string | undefined, name: string): unknown {
    if (node instanceof LocalExpr) node.as = as ?? name;
    else if (as === undefined && this.kindOf(node) === 'AggrValue') (node as AstNode).as = name;
    return node;
  }

  /** WHERE, ON and HAVING keep a row only when SQLite would: the condition is exactly true (not NULL, not 0). */
  private condition(node: unknown, scope: NameScope, allowOutputs = false): unknown {
    const inner = this.kindOf(node) === 'Expression' ? (node as AstNode).expression : node;
    const bound = this.expr(inner, scope, allowOutputs).node;
    // A plain column = column stays alasql's own operator, so its join index still works.
    if (this.kindOf(bound) === 'Op') return bound;
    return new LocalExpr(text(inner), [bound], ([x]) => `(${RT}.truth(${x}) === 1)`);
  }

  private expr(node: unknown, scope: NameScope, allowOutputs: boolean): Bound {
    const kind = this.kindOf(node);
    const n = node as AstNode;
    const original = text(node);
    const sub = (child: unknown) => this.expr(child, scope, allowOutputs);
    const wrap = (parts: unknown[], emit: (js: string[], context: string) => string, info: LocalColumn = NO_INFO): Bound =>
      ({ node: new LocalExpr(original, parts, emit), info });
    switch (kind) {
      case 'Expression': return sub(n.expression);
      case 'Column': {
        const { alias, column } = scope.resolve(n.tableid as string | undefined, String(n.columnid), allowOutputs);
        if (column !== NO_INFO) {
          if (alias !== undefined && n.tableid !== undefined) n.tableid = alias;
          if (column.name) n.columnid = column.name;
        }
        return { node, info: column };
      }
      case 'ParamValue': this.param(Number(n.param)); return { node, info: NO_INFO };
      case 'NumValue': case 'StringValue': case 'LogicValue': case 'NullValue': return { node, info: NO_INFO };
      case 'Select': this.select(n, scope); return { node, info: NO_INFO };
      case 'ExistsValue': this.select(n.value as AstNode, scope); return { node, info: NO_INFO };
      case 'UniOp': {
        const right = sub(n.right);
        if (n.op === 'NOT') return wrap([right.node], ([x]) => `${RT}.not(${x})`);
        if (n.op === '-') return wrap([right.node], ([x]) => `${RT}.negate(${x})`);
        return right; // parentheses and unary +
      }
      case 'FuncValue': {
        const name = String(n.funcid).toUpperCase();
        const args = (Array.isArray(n.args) ? n.args : []).map((a) => sub(a).node);
        return wrap(args, (js) => `${RT}.fn.${name}(${js.join(', ')})`);
      }
      case 'AggrValue': return this.aggregate(n, sub);
      case 'CaseValue': return this.caseValue(n, sub, wrap);
      case 'Convert': {
        const value = sub(n.expression);
        const type = JSON.stringify(String(n.dbtypeid).toUpperCase());
        return wrap([value.node], ([x]) => `${RT}.cast(${x}, ${type})`);
      }
      case 'Op': return this.op(n, sub, wrap, scope);
      default: return refuse(`the construct ${kind || '(unnamed)'}`);
    }
  }

  private aggregate(n: AstNode, sub: (c: unknown) => Bound): Bound {
    const expression = n.expression as AstNode | undefined;
    let info = NO_INFO;
    if (expression !== undefined && !(this.kindOf(expression) === 'Column' && expression.columnid === '*')) {
      const bound = sub(expression);
      n.expression = bound.node;
      info = bound.info;
    }
    const name = String(n.aggregatorid);
    // COUNT(*) stays alasql's; every other aggregate is ours (alasql's DISTINCT keys values in a plain object)
    if (!(name === 'COUNT' && info === NO_INFO && expression !== undefined && this.kindOf(expression) === 'Column')) {
      n.funcid = aggregateId(name as AggregateName, n.distinct === true, info.caseInsensitive);
      n.aggregatorid = 'REDUCE';
      delete n.distinct;
    }
    return { node: n, info: NO_INFO };
  }

  private caseValue(n: AstNode, sub: (c: unknown) => Bound, wrap: (p: unknown[], e: (js: string[]) => string) => Bound): Bound {
    const subject = n.expression === undefined ? undefined : sub(n.expression);
    const whens = (n.whens as AstNode[]).map((w) => [sub(w.when), sub(w.then)] as const);
    const otherwise = n.elses === undefined ? undefined : sub(n.elses);
    const parts = [...(subject ? [subject.node] : []), ...whens.flatMap(([w, t]) => [w.node, t.node]), ...(otherwise ? [otherwise.node] : [])];
    return wrap(parts, (js) => {
      let i = 0;
      const s = subject ? js[i++] : undefined;
      const branches = whens.map(([w]) => {
        const cond = s === undefined ? `${RT}.truth(${js[i]}) === 1` : `${RT}.compare('=', ${s}, ${js[i]}, ${opts(subject!.info, w.info)}) === 1`;
        const then = js[i + 1];
        i += 2;
        return `${cond} ? ${then} : `;
      });
      return `(${branches.join('')}${otherwise ? js[i] : 'null'})`;
    });
  }

  private op(n: AstNode, sub: (c: unknown) => Bound, wrap: (p: unknown[], e: (js: string[], context: string) => string, info?: LocalColumn) => Bound, scope: NameScope): Bound {
    const op = String(n.op).toUpperCase();
    if (op === 'IN' || op === 'NOT IN') {
      const left = sub(n.left);
      const negate = (js: string) => (op === 'NOT IN' ? `${RT}.not(${js})` : js);
      if (Array.isArray(n.right)) {
        const items = n.right.map((item) => sub(item));
        const o = opts(left.info, items[0]?.info ?? NO_INFO);
        return wrap([left.node, ...items.map((i) => i.node)], ([l, ...list]) => negate(`${RT}.inList(${l}, [${list.join(', ')}], ${o})`));
      }
      const inner = this.select(n.right as AstNode, scope);
      const first = this.outputNames(n.right as AstNode, inner)[0]?.info ?? NO_INFO;
      const o = opts(left.info, first);
      // alasql registers IN sub-queries by a parse-time index that collides when there are several (seen: one in
      // CASE, one in WHERE): the engine compiles each sub-query itself and we call it by our own index.
      const k = this.subqueries.push(n.right as AstNode) - 1;
      return wrap([left.node], ([l], context) => negate(`${RT}.inList(${l}, ${RT}.subquery(${k}, params, ${context}), ${o})`));
    }
    if (op === 'BETWEEN' || op === 'NOT BETWEEN') {
      const [x, lo, hi] = [sub(n.left), sub(n.right1), sub(n.right2)];
      const o = opts(x.info, lo.info.affinity !== 'none' ? lo.info : hi.info);
      return wrap([x.node, lo.node, hi.node], ([a, b, c]) => (op === 'NOT BETWEEN' ? `${RT}.not(${RT}.between(${a}, ${b}, ${c}, ${o}))` : `${RT}.between(${a}, ${b}, ${c}, ${o})`));
    }
    const left = sub(n.left);
    if (op === 'IS') {
      const right = n.right as AstNode;
      const not = this.kindOf(right) === 'UniOp' && right.op === 'NOT';
      return wrap([left.node], ([a]) => `((${a}) == null ? ${not ? 0 : 1} : ${not ? 1 : 0})`);
    }
    const right = sub(n.right);
    if (op === 'AND' || op === 'OR') return wrap([left.node, right.node], ([a, b]) => `${RT}.${op.toLowerCase()}(${a}, ${b})`);
    if (COMPARISONS.has(op)) {
      const plainJoin = op === '=' && this.kindOf(left.node) === 'Column' && this.kindOf(right.node) === 'Column'
        && !left.info.caseInsensitive && !right.info.caseInsensitive && left.info.affinity === right.info.affinity;
      if (plainJoin) {
        n.left = left.node;
        n.right = right.node;
        return { node: n, info: NO_INFO };
      }
      const o = opts(left.info, right.info);
      return wrap([left.node, right.node], ([a, b]) => `${RT}.compare(${JSON.stringify(op)}, ${a}, ${b}, ${o})`);
    }
    if (ARITHMETIC.has(op)) return wrap([left.node, right.node], ([a, b]) => `${RT}.arithmetic(${JSON.stringify(op)}, ${a}, ${b})`);
    if (op === '||') return wrap([left.node, right.node], ([a, b]) => `${RT}.concat(${a}, ${b})`);
    if (op === 'LIKE' || op === 'NOT LIKE') {
      const escape = n.escape === undefined ? undefined : sub(n.escape);
      const fold = JSON.stringify(left.info.caseInsensitive ? 'full' : 'ascii');
      const parts = [left.node, right.node, ...(escape ? [escape.node] : [])];
      return wrap(parts, ([a, b, e]) => {
        const call = `${RT}.like(${a}, ${b}, ${e ?? 'undefined'}, ${fold})`;
        return op === 'NOT LIKE' ? `${RT}.not(${call})` : call;
      });
    }
    return refuse(`the operator ${op}`);
  }
}
