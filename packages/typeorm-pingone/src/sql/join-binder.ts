import type { ExprInfo, Frame, JoinPlan, JoinStep, SourcePlan } from './bound-plan';
import { compileExpr, type CompileContext } from './expr-compiler';
import { compareSpec } from './operator-compiler';
import { findByName, NameScope, sqliteColumnNames, unknownTable, type ScopeColumn, type ScopeSource } from './name-scope';
import { bindSelect, type BindEnv } from './select-binder';
import { selectsIn, type Expr, type JoinTree } from './sql-ast';
import { forComparison, valueKey } from './sqlite-compare';
import { truth } from './sqlite-values';

/**
 * FROM → the join plan: each source gets a frame key (`a0`, `a1`, … made here, never the user's alias), each ON
 * becomes either an equi-join index (keys that are equal exactly when the ON holds, NULL never matching) or a test.
 * A parenthesized join is a source of its own: its rows are its joined rows, read through its key.
 */
const NO_MATCH_LEFT = '\u0000L';
const NO_MATCH_RIGHT = '\u0000R';

export class JoinBinder {
  /** the sources as the select's expressions see them */
  readonly visible: ScopeSource[] = [];
  /** shared by a select and its parenthesized joins: keys are unique within the select's frame */
  readonly #counter: { n: number };

  constructor(
    private readonly env: BindEnv,
    private readonly parent: NameScope | undefined,
    counter?: { n: number },
  ) {
    this.#counter = counter ?? { n: 0 };
  }

  #key(): string {
    return `a${this.#counter.n++}`;
  }

  bind(tree: JoinTree): JoinPlan {
    const spine: { tree: JoinTree; mode: JoinStep['mode']; on: Expr | undefined }[] = [];
    let t = tree;
    while (t.k === 'join') {
      spine.unshift({ tree: t.right, mode: t.mode, on: t.on });
      t = t.left;
    }
    const local: ScopeSource[] = [];
    const first = this.#source(t, local);
    const steps: JoinStep[] = [];
    for (const s of spine) {
      const source = this.#source(s.tree, local);
      steps.push({ source, mode: s.mode, ...this.#condition(s.on, local) });
    }
    return { first, steps, keys: [first.key, ...steps.map((s) => s.source.key)] };
  }

  /** One source: its plan, and its columns added to what ON clauses (`local`) and the select (`visible`) see. */
  #source(tree: JoinTree, local: ScopeSource[]): SourcePlan {
    const key = this.#key();
    if (tree.k === 'join') {
      // the group's ON clauses run in the group's own join, over its own keys; outside, they sit under this key
      const inner = new JoinBinder(this.env, this.parent, this.#counter);
      const group = inner.bind(tree);
      // the group is a sub-query to SQLite: its repeated column names are told apart in results (name:1)
      const names = sqliteColumnNames(inner.visible.flatMap((s) => s.columns.map((c) => c.resultName ?? c.name)));
      let at = 0;
      for (const s of inner.visible) {
        const columns = s.columns.map((c) => {
          const resultName = names[at++];
          return resultName === c.name ? c : { ...c, resultName };
        });
        const seen = { ...s, columns, path: [key, ...s.path] };
        local.push(seen);
        this.visible.push(seen);
      }
      return { key, kind: 'group', group };
    }
    const item = tree.item;
    let columns: ScopeColumn[];
    let plan: SourcePlan;
    if (item.k === 'table') {
      const table = findByName([...this.env.tables.keys()], item.table, (n) => n);
      if (table === undefined) throw unknownTable(item.table, [...this.env.tables.keys()]);
      this.env.onTable?.(item, table);
      columns = this.env.tables.get(table)!.map((c) => ({
        name: c.name,
        key: c.name,
        info: { affinity: c.affinity, collation: { name: c.caseInsensitive ? 'PINGONE' : 'BINARY', explicit: false } } satisfies ExprInfo,
      }));
      plan = { key, kind: 'table', table };
    } else {
      const select = bindSelect(item.select, this.parent, this.env);
      const names = sqliteColumnNames(select.outputs.map((o) => o.name));
      columns = select.outputs.map((o, i) => ({
        name: names[i],
        key: i,
        // a sub-query's column is a column to the outer query: its collation is the column's own, never explicit
        info: { affinity: o.info.affinity, collation: o.info.collation ? { name: o.info.collation.name, explicit: false } : undefined },
      }));
      plan = { key, kind: 'derived', select };
    }
    const source: ScopeSource = { alias: item.alias, table: item.k === 'table' ? plan.table! : '(sub-query)', path: [key], columns };
    local.push(source);
    this.visible.push(source);
    return plan;
  }

  /** The ON of the source just added: an index when its conjuncts allow one, else a test over the joined row. */
  #condition(on: Expr | undefined, local: readonly ScopeSource[]): Pick<JoinStep, 'on' | 'index'> {
    if (!on) return { on: undefined, index: undefined };
    const scope = new NameScope([...local], this.parent);
    const ctx = (onColumn?: CompileContext['onColumn']): CompileContext => ({
      scope,
      clause: 'ON',
      aggregates: undefined,
      inAggregate: false,
      aliases: undefined,
      subqueries: this.env.subqueries,
      onColumn: (node, r) => {
        onColumn?.(node, r);
        this.env.onColumn?.(node, r);
      },
    });
    const whole = compileExpr(on, ctx()).fn;
    const test = (f: Frame) => truth(whole(f)) === 1;
    const mine = local[local.length - 1];
    const sideOf = (e: Expr): 'mine' | 'earlier' | 'both' | 'none' | 'opaque' => {
      if (selectsIn(e).length > 0) return 'opaque';
      let own = false;
      let earlier = false;
      compileExpr(
        e,
        ctx((_n, r) => {
          if (r.level > 0) return;
          if (r.source === mine || r.source.path[0] === mine.path[0]) own = true;
          else earlier = true;
        }),
      );
      return own && earlier ? 'both' : own ? 'mine' : earlier ? 'earlier' : 'none';
    };
    const parts: { left: Expr; right: Expr }[] = [];
    const leftFilters: Expr[] = [];
    const rightFilters: Expr[] = [];
    for (const c of conjunctsOf(on)) {
      if (c.k === 'op' && c.op === '=') {
        const [l, r] = [sideOf(c.left), sideOf(c.right)];
        if (l === 'earlier' && r === 'mine') {
          parts.push({ left: c.left, right: c.right });
          continue;
        }
        if (l === 'mine' && r === 'earlier') {
          parts.push({ left: c.right, right: c.left });
          continue;
        }
      }
      const side = sideOf(c);
      if (side === 'mine' || side === 'none') rightFilters.push(c);
      else if (side === 'earlier') leftFilters.push(c);
      else return { on: test, index: undefined };
    }
    if (parts.length === 0) return { on: test, index: undefined };
    const keyed = parts.map((p) => {
      const l = compileExpr(p.left, ctx());
      const r = compileExpr(p.right, ctx());
      const spec = compareSpec(l.info, r.info);
      return { l: l.fn, r: r.fn, spec };
    });
    const filter = (list: Expr[]) => list.map((e) => compileExpr(e, ctx()).fn);
    const [lf, rf] = [filter(leftFilters), filter(rightFilters)];
    const keyOf = (f: Frame, side: 'l' | 'r', filters: typeof lf, none: string): string => {
      for (const test of filters) if (truth(test(f)) !== 1) return none;
      let key = '';
      for (const k of keyed) {
        const raw = side === 'l' ? k.l(f) : k.r(f);
        const v = side === 'l' ? forComparison(raw, k.spec.left, k.spec.right) : forComparison(raw, k.spec.right, k.spec.left);
        if (v === null) return none;
        const part = valueKey(v, k.spec.collation);
        key += `${part.length}:${part}`;
      }
      return key;
    };
    return { on: undefined, index: { left: (f) => keyOf(f, 'l', lf, NO_MATCH_LEFT), right: (f) => keyOf(f, 'r', rf, NO_MATCH_RIGHT) } };
  }
}

function conjunctsOf(e: Expr): Expr[] {
  const out: Expr[] = [];
  const stack = [e];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (x.k === 'op' && x.op === 'AND') stack.push(x.right, x.left);
    else out.push(x);
  }
  return out;
}
