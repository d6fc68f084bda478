import { PingOneDriverError } from '../errors';
import { AGGREGATE_ARITY, type AggregateSpec } from './aggregates';
import type { BoundExpr, BoundSelect, Compiled, ExprInfo, Frame } from './bound-plan';
import { compileOperator, markParam } from './operator-compiler';
import { isAggregateCall, type Expr, type SelectNode } from './sql-ast';
import { type NameScope, type Resolved } from './name-scope';
import { COLLATIONS, type Collation } from './sqlite-compare';
import { SCALAR_FUNCTIONS } from './sqlite-functions';
import { affinityOfType, bitNot, cast, negate, not } from './sqlite-ops';
import { real, sqlValue, truth, type SqlValue } from './sqlite-values';

/**
 * Expressions → closures over a Frame, with SQLite's semantics and names resolved now. No code is generated: a
 * closure reads a row's property or a parameter and calls sqlite-values.ts, so no name or value can become code.
 */
export interface SubqueryPort {
  bind(select: SelectNode, scope: NameScope): BoundSelect;
  /** the sub-select's rows for this frame (computed once per run when it is not correlated) */
  rows(plan: BoundSelect, frame: Frame): readonly (readonly SqlValue[])[];
}

export class AggregateCollector {
  readonly list: { readonly spec: AggregateSpec; readonly args: readonly Compiled[] }[] = [];
}

export interface CompileContext {
  readonly scope: NameScope;
  /** for messages: where the expression stands (WHERE, the select list, …) */
  readonly clause: string;
  /** defined where aggregates may appear (the select list, HAVING and ORDER BY of an aggregate query) */
  readonly aggregates: AggregateCollector | undefined;
  readonly inAggregate: boolean;
  /** the select list's aliases, usable before (`first`) or after the FROM columns, as SQLite allows per clause */
  readonly aliases: { readonly exprs: ReadonlyMap<string, Expr>; readonly first: boolean } | undefined;
  readonly subqueries: SubqueryPort;
  /** told of each column reference's resolution (the binder's canonical tree) */
  readonly onColumn: ((node: Expr, resolved: Resolved) => void) | undefined;
}

const NONE: ExprInfo = Object.freeze({ affinity: 'none', collation: undefined });

/** How a row is read: undefined rows (an unmatched LEFT JOIN) and inherited properties are NULL. */
export function columnReader(path: readonly string[], key: string | number, level: number): Compiled {
  const guarded = typeof key === 'string' && key in Object.prototype;
  const read = (row: unknown): SqlValue => {
    if (row === undefined || row === null) return null;
    const r = row as Record<string | number, unknown>;
    return sqlValue(guarded && !Object.hasOwn(r, key) ? undefined : r[key]);
  };
  const at = (p: Record<string, unknown>): unknown => {
    let row: unknown = p[path[0]];
    for (let i = 1; i < path.length && row !== undefined; i++) row = (row as Record<string, unknown>)[path[i]];
    return row;
  };
  if (level === 0) return path.length === 1 ? (f) => read(f.p[path[0]]) : (f) => read(at(f.p));
  return (f) => {
    let g: Frame = f;
    for (let i = 0; i < level; i++) g = g.outer!;
    return read(at(g.p));
  };
}

export function compileExpr(e: Expr, ctx: CompileContext): BoundExpr {
  switch (e.k) {
    case 'lit': {
      const value: SqlValue =
        e.big !== undefined && !e.real ? BigInt(e.big) : e.real && typeof e.value === 'number' ? real(e.value) : e.value;
      return { fn: () => value, info: { ...NONE, constant: value } };
    }
    case 'param': {
      const i = e.index;
      return markParam({ fn: (f) => f.run.params[i] ?? null, info: NONE });
    }
    case 'col':
      return column(e, ctx);
    case 'star':
      throw new PingOneDriverError('SQL_ERROR', `"*" stands only in a select list or in COUNT(*), not in ${ctx.clause}.`);
    case 'op':
    case 'in':
    case 'between':
      return compileOperator(e, ctx, compileExpr);
    case 'not': {
      const x = compileExpr(e.expr, ctx).fn;
      return { fn: (f) => not(truth(x(f))), info: NONE };
    }
    case 'isnull': {
      const x = compileExpr(e.expr, ctx).fn;
      return { fn: e.not ? (f) => (x(f) === null ? 0 : 1) : (f) => (x(f) === null ? 1 : 0), info: NONE };
    }
    case 'unary': {
      const x = compileExpr(e.expr, ctx);
      if (e.op === '+') return { fn: x.fn, info: { affinity: 'none', collation: x.info.collation } }; // no affinity, same collation
      const fn = x.fn;
      return { fn: e.op === '-' ? (f) => negate(fn(f)) : (f) => bitNot(fn(f)), info: NONE };
    }
    case 'cast': {
      const x = compileExpr(e.expr, ctx);
      const affinity = affinityOfType(e.type);
      if (affinity === 'blob')
        throw new PingOneDriverError(
          'UNSUPPORTED_STATEMENT',
          `CAST(… AS ${e.type}) makes a BLOB, which PingOne has none of. Cast to TEXT, INTEGER, REAL or NUMERIC.`,
        );
      const fn = x.fn;
      return { fn: (f) => cast(fn(f), affinity), info: { affinity, collation: x.info.collation } };
    }
    case 'collate': {
      if (!COLLATIONS.has(e.collation))
        throw new PingOneDriverError(
          'SQL_ERROR',
          `no such collation sequence: ${e.collation}. SQLite's collations: BINARY, NOCASE, RTRIM.`,
        );
      const x = compileExpr(e.expr, ctx);
      return { fn: x.fn, info: { affinity: x.info.affinity, collation: { name: e.collation as Collation, explicit: true } } };
    }
    case 'case':
      return caseExpr(e, ctx);
    case 'func':
      return call(e, ctx);
    case 'subquery': {
      const plan = ctx.subqueries.bind(e.select, ctx.scope);
      if (plan.outputs.length !== 1)
        throw new PingOneDriverError(
          'SQL_ERROR',
          `sub-select returns ${plan.outputs.length} columns - expected 1 (a scalar sub-query answers one value).`,
        );
      const port = ctx.subqueries;
      return {
        fn: (f) => port.rows(plan, f)[0]?.[0] ?? null,
        info: { affinity: plan.outputs[0].info.affinity, collation: plan.outputs[0].info.collation },
      };
    }
    case 'exists': {
      const plan = ctx.subqueries.bind(e.select, ctx.scope);
      const port = ctx.subqueries;
      return { fn: (f) => (port.rows(plan, f).length > 0 ? 1 : 0), info: NONE };
    }
  }
}

function column(e: Expr & { k: 'col' }, ctx: CompileContext): BoundExpr {
  const alias = e.table === undefined && ctx.aliases ? findAlias(ctx.aliases.exprs, e.column) : undefined;
  if (alias && ctx.aliases!.first) return compileExpr(alias, { ...ctx, aliases: undefined });
  const resolved = ctx.scope.resolve(e.table, e.column);
  if (!resolved) {
    if (alias) return compileExpr(alias, { ...ctx, aliases: undefined });
    throw ctx.scope.unknown(e.column);
  }
  ctx.onColumn?.(e, resolved);
  return { fn: columnReader(resolved.source.path, resolved.column.key, resolved.level), info: resolved.column.info };
}

function findAlias(exprs: ReadonlyMap<string, Expr>, name: string): Expr | undefined {
  return exprs.get(name) ?? exprs.get(name.toLowerCase());
}

function caseExpr(e: Expr & { k: 'case' }, ctx: CompileContext): BoundExpr {
  const subject = e.subject ? compileExpr(e.subject, ctx) : undefined;
  const whens = e.whens.map((w) => {
    const when = compileExpr(w.when, ctx);
    const then = compileExpr(w.then, ctx).fn;
    if (!subject) return { test: (f: Frame) => truth(when.fn(f)) === 1, then };
    const equal = compileOperator({ k: 'op', op: '=', left: e.subject!, right: w.when }, ctx, compileExpr, [subject, when]).fn;
    return { test: (f: Frame) => equal(f) === 1, then };
  });
  const otherwise = e.otherwise ? compileExpr(e.otherwise, ctx).fn : () => null;
  return {
    fn: (f) => {
      for (const w of whens) if (w.test(f)) return w.then(f);
      return otherwise(f);
    },
    info: NONE,
  };
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

const CLOCK: Readonly<Record<string, (d: Date) => string>> = {
  CURRENT_TIMESTAMP: (d) =>
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`,
  CURRENT_DATE: (d) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`,
  CURRENT_TIME: (d) => `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`,
};

function call(e: Expr & { k: 'func' }, ctx: CompileContext): BoundExpr {
  const clock = CLOCK[e.name];
  if (clock && e.args.length === 0 && !e.star) return { fn: (f) => clock(f.run.now), info: NONE };
  if (isAggregateCall(e)) return aggregate(e, ctx);
  if (e.star || e.distinct)
    throw new PingOneDriverError(
      'SQL_ERROR',
      `${e.name}(${e.star ? '*' : 'DISTINCT …'}) is not an aggregate: only aggregates take ${e.star ? '*' : 'DISTINCT'}.`,
    );
  const fn = SCALAR_FUNCTIONS.get(e.name);
  if (!fn) {
    throw new PingOneDriverError(
      'UNSUPPORTED_STATEMENT',
      `no such function: ${e.name}(). The driver runs SQLite's ${[...SCALAR_FUNCTIONS.keys()].join(', ')}, ` +
        `the aggregates ${Object.keys(AGGREGATE_ARITY).join(', ')}, and CURRENT_TIMESTAMP/CURRENT_DATE/CURRENT_TIME.`,
    );
  }
  const [min, max] = fn.arity;
  if (e.args.length < min || e.args.length > max) {
    throw new PingOneDriverError(
      'SQL_ERROR',
      `wrong number of arguments to function ${e.name}(): ${e.args.length} given, ${min === max ? min : `${min} to ${max}`} expected.`,
    );
  }
  const args = e.args.map((a) => compileExpr(a, ctx));
  // MIN/MAX of several values use the first argument's collation that is set (lang_corefunc.html)
  const collation = args.find((a) => a.info.collation)?.info.collation?.name ?? 'BINARY';
  const fns = args.map((a) => a.fn);
  const impl = fn.fn;
  if (fns.length === 1) {
    const only = fns[0];
    return { fn: (f) => impl([only(f)], collation), info: NONE };
  }
  return {
    fn: (f) =>
      impl(
        fns.map((a) => a(f)),
        collation,
      ),
    info: NONE,
  };
}

function aggregate(e: Expr & { k: 'func' }, ctx: CompileContext): BoundExpr {
  if (!ctx.aggregates || ctx.inAggregate) {
    throw new PingOneDriverError(
      'SQL_ERROR',
      `misuse of aggregate function ${e.name}() (SQLite's error): ${ctx.inAggregate ? 'an aggregate inside another aggregate' : `aggregates are not allowed in ${ctx.clause}`}. ` +
        'Aggregate in the select list, HAVING or ORDER BY of a query; filter rows before aggregating in WHERE, or aggregate in a sub-query.',
    );
  }
  const [min, max] = AGGREGATE_ARITY[e.name];
  const count = e.star ? 0 : e.args.length;
  if (count < min || count > max || (e.star && e.name !== 'COUNT') || (e.name === 'COUNT' && !e.star && count !== 1)) {
    throw new PingOneDriverError('SQL_ERROR', `wrong number of arguments to function ${e.name}(): ${e.star ? '*' : count} given.`);
  }
  if (e.distinct && count !== 1)
    throw new PingOneDriverError('SQL_ERROR', `DISTINCT aggregates must have exactly one argument (${e.name}).`);
  const inner: CompileContext = { ...ctx, inAggregate: true, aggregates: undefined };
  const args = e.args.map((a) => compileExpr(a, inner));
  const collation = args[0]?.info.collation?.name ?? 'BINARY';
  const index =
    ctx.aggregates.list.push({
      spec: { name: e.name, distinct: e.distinct === true, star: e.star === true, collation },
      args: args.map((a) => a.fn),
    }) - 1;
  return { fn: (f) => f.group!.accumulators[index].result(), info: NONE };
}
