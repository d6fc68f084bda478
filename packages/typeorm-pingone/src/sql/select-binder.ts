import { PingOneDriverError } from '../errors';
import type { BoundExpr, BoundSelect, Compiled, ExprInfo, GroupingPlan, OrderPlan, OutputPlan } from './bound-plan';
import { AggregateCollector, columnReader, compileExpr, type CompileContext, type SubqueryPort } from './expr-compiler';
import { JoinBinder } from './join-binder';
import { NameScope, type LocalColumn, type Resolved } from './name-scope';
import { hasAggregateIn, type Expr, type FromItem, type SelectNode } from './sql-ast';
import { truth } from './sqlite-values';

/** What binding needs from outside: the tables, and who wants to hear how each name resolved. */
export interface BindEnv {
  readonly tables: ReadonlyMap<string, readonly LocalColumn[]>;
  readonly subqueries: SubqueryPort;
  readonly onColumn?: (node: Expr, resolved: Resolved) => void;
  readonly onTable?: (item: FromItem, table: string) => void;
}

const condition = (b: BoundExpr) => {
  const fn = b.fn;
  return (f: Parameters<Compiled>[0]) => truth(fn(f)) === 1;
};

const ordinal = (n: number) =>
  `${n}${n % 10 === 1 && n % 100 !== 11 ? 'st' : n % 10 === 2 && n % 100 !== 12 ? 'nd' : n % 10 === 3 && n % 100 !== 13 ? 'rd' : 'th'}`;

/** A positive integer literal: an ORDER BY / GROUP BY term naming an output column by position. */
const position = (e: Expr): number | undefined =>
  e.k === 'lit' && typeof e.value === 'number' && !e.real && Number.isInteger(e.value) ? e.value : undefined;

/** The column whose values an output item shows as they are: a column, or MIN/MAX of one. */
function shownColumn(e: Expr): Expr | undefined {
  if (e.k === 'col') return e;
  if (e.k === 'func' && (e.name === 'MIN' || e.name === 'MAX') && e.args.length === 1 && e.args[0].k === 'col') return e.args[0];
  return undefined;
}

/** Binds a SELECT (and, through the ports, its sub-selects) to the tables: the plan select-runner.ts runs. */
export function bindSelect(select: SelectNode, parent: NameScope | undefined, env: BindEnv): BoundSelect {
  const joins = new JoinBinder(env, parent);
  const join = select.source ? joins.bind(select.source) : undefined;
  const scope = new NameScope(joins.visible, parent);
  const base = (clause: string): CompileContext => ({
    scope,
    clause,
    aggregates: undefined,
    inAggregate: false,
    aliases: undefined,
    subqueries: env.subqueries,
    onColumn: env.onColumn,
  });
  const aliasExprs = new Map<string, Expr>();
  for (const o of select.outputs) if (o.as !== undefined && !aliasExprs.has(o.as.toLowerCase())) aliasExprs.set(o.as.toLowerCase(), o.expr);
  const aliases = (first: boolean) => ({ exprs: aliasExprs, first });

  const where = select.where ? condition(compileExpr(select.where, { ...base('WHERE'), aliases: aliases(false) })) : undefined;
  const grouped =
    select.groupBy.length > 0 ||
    select.outputs.some((o) => hasAggregateIn(o.expr)) ||
    select.order.some((o) => hasAggregateIn(o.expr)) ||
    hasAggregateIn(select.having);
  if (select.having && !grouped)
    throw new PingOneDriverError('SQL_ERROR', "HAVING clause on a non-aggregate query (SQLite's error): use WHERE, or add GROUP BY.");
  const collector = grouped ? new AggregateCollector() : undefined;
  const post = (clause: string): CompileContext => ({ ...base(clause), aggregates: collector });

  const outputs: OutputPlan[] = [];
  /** where each select-list item's columns start among the outputs (a star expands to several) */
  const itemStart: number[] = [];
  for (const o of select.outputs) {
    itemStart.push(outputs.length);
    if (o.expr.k === 'star') {
      const star = o.expr;
      const sources = star.table === undefined ? scope.sources : [scope.source(star.table)?.source].filter((s) => s !== undefined);
      if (star.table !== undefined && (sources.length === 0 || scope.source(star.table)!.level > 0))
        throw new PingOneDriverError('SQL_ERROR', `no such table: ${star.table} (in ${star.table}.*).`);
      if (sources.length === 0)
        throw new PingOneDriverError('SQL_ERROR', "SELECT * needs a FROM clause (SQLite's error: no tables specified).");
      for (const s of sources)
        for (const c of s.columns)
          outputs.push({
            name: c.resultName ?? c.name,
            value: columnReader(s.path, c.key, 0),
            info: c.info,
            origin: { table: s.table, column: c.name },
          });
      continue;
    }
    let resolved: Resolved | undefined;
    const ctx = post('the select list');
    const shown = shownColumn(o.expr);
    const bound = compileExpr(
      o.expr,
      shown
        ? {
            ...ctx,
            onColumn: (node, r) => {
              if (node === shown) resolved = r;
              ctx.onColumn?.(node, r);
            },
          }
        : ctx,
    );
    const origin = resolved && { table: resolved.source.table, column: resolved.column.name };
    const columnName = o.expr.k === 'col' && resolved ? (resolved.column.resultName ?? resolved.column.name) : undefined;
    outputs.push({ name: o.as ?? columnName ?? o.text, value: bound.fn, info: bound.info, ...(origin ? { origin } : {}) });
  }

  const order = select.order.map((term, i): OrderPlan => {
    let inner = term.expr;
    let explicit: ExprInfo['collation'];
    while (inner.k === 'collate') {
      explicit ??= { name: inner.collation as never, explicit: true };
      inner = inner.expr;
    }
    const k = position(inner);
    let output: number | undefined;
    if (k !== undefined) {
      if (k < 1 || k > outputs.length)
        throw new PingOneDriverError(
          'SQL_ERROR',
          `${ordinal(i + 1)} ORDER BY term out of range - should be between 1 and ${outputs.length}.`,
        );
      output = k - 1;
    } else if (inner.k === 'col' && inner.table === undefined) {
      const at = select.outputs.findIndex((o) => o.as !== undefined && o.as.toLowerCase() === inner.column.toLowerCase());
      if (at >= 0) output = itemStart[at];
    }
    if (explicit && !['BINARY', 'NOCASE', 'RTRIM'].includes(explicit.name))
      throw new PingOneDriverError(
        'SQL_ERROR',
        `no such collation sequence: ${explicit.name}. SQLite's collations: BINARY, NOCASE, RTRIM.`,
      );
    const bound = output === undefined ? compileExpr(inner, { ...post('ORDER BY'), aliases: aliases(true) }) : undefined;
    const info = output === undefined ? bound!.info : outputs[output].info;
    return {
      output,
      value: bound?.fn,
      descending: term.descending,
      nulls: term.nulls,
      collation: explicit?.name ?? info.collation?.name ?? 'BINARY',
    };
  });
  // after the select list and ORDER BY: every aggregate is collected, and which of them move bare columns is known
  const grouping = grouped ? groupingPlan(select, collector!, base, post, aliases) : undefined;
  const bounds = (e: Expr | undefined) =>
    e ? compileExpr(e, { ...base('LIMIT/OFFSET'), scope: new NameScope([], undefined) }).fn : undefined;
  return {
    join,
    where,
    grouping,
    outputs,
    distinct: select.hasDistinct,
    order,
    limit: bounds(select.limitExpr),
    offset: bounds(select.offsetExpr),
    correlated: scope.correlated,
  };
}

function groupingPlan(
  select: SelectNode,
  collector: AggregateCollector,
  base: (clause: string) => CompileContext,
  post: (clause: string) => CompileContext,
  aliases: (first: boolean) => CompileContext['aliases'],
): GroupingPlan {
  const keys = select.groupBy.map((term, i) => {
    const k = position(term);
    if (k !== undefined) {
      if (k < 1 || k > select.outputs.length)
        throw new PingOneDriverError(
          'SQL_ERROR',
          `${ordinal(i + 1)} GROUP BY term out of range - should be between 1 and ${select.outputs.length}.`,
        );
      const item = select.outputs[k - 1];
      if (item.expr.k === 'star' || hasAggregateIn(item.expr))
        throw new PingOneDriverError('SQL_ERROR', `aggregate functions are not allowed in the GROUP BY clause (term ${k}).`);
      const bound = compileExpr(item.expr, base('GROUP BY'));
      return { value: bound.fn, collation: bound.info.collation?.name ?? 'BINARY' };
    }
    const bound = compileExpr(term, { ...base('GROUP BY'), aliases: aliases(false) });
    return { value: bound.fn, collation: bound.info.collation?.name ?? 'BINARY' };
  });
  const having = select.having ? condition(compileExpr(select.having, { ...post('HAVING'), aliases: aliases(false) })) : undefined;
  return {
    keys,
    aggregates: collector.list,
    having,
    extremes: collector.list.flatMap((a, i) => (a.spec.name === 'MIN' || a.spec.name === 'MAX' ? [i] : [])),
  };
}
