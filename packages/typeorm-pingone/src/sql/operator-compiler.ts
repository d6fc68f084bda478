import { PingOneDriverError } from '../errors';
import type { BoundExpr, ExprInfo, Frame } from './bound-plan';
import type { CompileContext } from './expr-compiler';
import type { Expr } from './sql-ast';
import { compare, forComparison, valueKey, type Collation, type CompareSpec } from './sqlite-compare';
import { compileLike, likeCompiled, like, LikeEscapeError, type CompiledLike, type LikeFold } from './sqlite-like';
import { arithmetic, bitwise, concat } from './sqlite-ops';
import { toText, truth, type SqlValue, type Truth } from './sqlite-values';

type Compile = (e: Expr, ctx: CompileContext) => BoundExpr;

const NONE: ExprInfo = Object.freeze({ affinity: 'none', collation: undefined });
const COMPARISONS = new Set(['=', '<>', '<', '<=', '>', '>=', 'IS', 'IS NOT']);
const ARITHMETIC = new Set(['+', '-', '*', '/', '%']);
const BITWISE = new Set(['&', '|', '<<', '>>']);

/**
 * The collation of a comparison (datatype3.html §7.1): an explicit COLLATE wins, the left operand's first; then a
 * column's own collation, the left operand's first; else BINARY.
 */
export function comparisonCollation(left: ExprInfo, right: ExprInfo): Collation {
  if (left.collation?.explicit) return left.collation.name;
  if (right.collation?.explicit) return right.collation.name;
  return left.collation?.name ?? right.collation?.name ?? 'BINARY';
}

export function compareSpec(left: ExprInfo, right: ExprInfo): CompareSpec {
  return { left: left.affinity, right: right.affinity, collation: comparisonCollation(left, right) };
}

/** LIKE folds ASCII letters as SQLite does, and every letter on an attribute PingOne compares case-insensitively. */
const likeFold = (info: ExprInfo): LikeFold => (info.collation?.name === 'PINGONE' && !info.collation.explicit ? 'full' : 'ascii');

export function compileOperator(
  e: Expr & { k: 'op' | 'in' | 'between' },
  ctx: CompileContext,
  compile: Compile,
  bound?: readonly BoundExpr[],
): BoundExpr {
  if (e.k === 'in') return inList(e, ctx, compile);
  if (e.k === 'between') {
    const [x, lo, hi] = [compile(e.expr, ctx), compile(e.low, ctx), compile(e.high, ctx)];
    const [low, high] = [compareSpec(x.info, lo.info), compareSpec(x.info, hi.info)];
    const fn = (f: Frame): Truth => {
      const v = x.fn(f);
      const a = compare('>=', v, lo.fn(f), low);
      if (a === 0) return 0;
      const b = compare('<=', v, hi.fn(f), high);
      return b === 0 ? 0 : a === null || b === null ? null : 1;
    };
    return {
      fn: e.not
        ? (f) => {
            const t = fn(f);
            return t === null ? null : t === 1 ? 0 : 1;
          }
        : fn,
      info: NONE,
    };
  }
  const [left, right] = bound ?? [compile(e.left, ctx), compile(e.right, ctx)];
  const a = left.fn;
  const b = right.fn;
  const op = e.op;
  if (op === 'AND')
    return {
      fn: (f) => {
        const x = truth(a(f));
        if (x === 0) return 0;
        const y = truth(b(f));
        return y === 0 ? 0 : x === null || y === null ? null : 1;
      },
      info: NONE,
    };
  if (op === 'OR')
    return {
      fn: (f) => {
        const x = truth(a(f));
        if (x === 1) return 1;
        const y = truth(b(f));
        return y === 1 ? 1 : x === null || y === null ? null : 0;
      },
      info: NONE,
    };
  if (COMPARISONS.has(op)) {
    const spec = compareSpec(left.info, right.info);
    return { fn: (f) => compare(op, a(f), b(f), spec), info: NONE };
  }
  if (ARITHMETIC.has(op)) return { fn: (f) => arithmetic(op, a(f), b(f)), info: NONE };
  if (BITWISE.has(op)) return { fn: (f) => bitwise(op, a(f), b(f)), info: NONE };
  if (op === '||') return { fn: (f) => concat(a(f), b(f)), info: NONE };
  if (op === 'LIKE' || op === 'NOT LIKE') return likeOp(e, left, right, ctx, compile);
  throw new PingOneDriverError(
    'UNSUPPORTED_STATEMENT',
    `The operator ${op} is not run by the driver. Use LIKE (% and _ wildcards) instead.`,
  );
}

function likeOp(e: Expr & { k: 'op' }, left: BoundExpr, right: BoundExpr, ctx: CompileContext, compile: Compile): BoundExpr {
  const fold = likeFold(left.info);
  const escape = e.escape ? compile(e.escape, ctx) : undefined;
  const negate = e.op === 'NOT LIKE';
  const value = left.fn;
  let fn: (f: Frame) => Truth;
  const pattern = right.info.constant;
  const esc = escape?.info.constant;
  if (pattern !== undefined && pattern !== null && (!escape || (esc !== undefined && esc !== null))) {
    // a literal pattern is compiled once
    let compiled;
    try {
      compiled = compileLike(toText(pattern)!, escape ? toText(esc!)! : undefined, fold);
    } catch (error) {
      if (error instanceof LikeEscapeError)
        throw new PingOneDriverError('SQL_ERROR', `${error.message} (SQLite's error): write ESCAPE with one character, e.g. ESCAPE '!'.`);
      throw error;
    }
    fn = (f) => likeCompiled(value(f), compiled, fold);
  } else {
    const p = right.fn;
    const x = escape?.fn;
    // a parameter pattern (TypeORM's Like()) is fixed for a run: compiled once per run, not per row
    const fixed = isParamOnly(right) && (!escape || escape.info.constant !== undefined || isParamOnly(escape));
    const perRun = new WeakMap<object, CompiledLike | null>();
    fn = (f) => {
      try {
        if (fixed) {
          let compiled = perRun.get(f.run);
          if (compiled === undefined) {
            const pattern = toText(p(f));
            const esc = x ? x(f) : undefined;
            compiled = pattern === null || esc === null ? null : compileLike(pattern, esc === undefined ? undefined : toText(esc)!, fold);
            perRun.set(f.run, compiled);
          }
          return compiled === null ? null : likeCompiled(value(f), compiled, fold);
        }
        return like(value(f), p(f), x ? x(f) : undefined, fold);
      } catch (error) {
        if (error instanceof LikeEscapeError)
          throw new PingOneDriverError('SQL_ERROR', `${error.message} (SQLite's error): write ESCAPE with one character, e.g. ESCAPE '!'.`);
        throw error;
      }
    };
  }
  return {
    fn: negate
      ? (f) => {
          const t = fn(f);
          return t === null ? null : t === 1 ? 0 : 1;
        }
      : fn,
    info: NONE,
  };
}

/**
 * `x IN (…)`: true when some item equals x; NULL when none does but x or an item is NULL; false otherwise (and for
 * an empty list). Items without affinity (literals, parameters, the common case) are looked up in a Map of keys
 * built once per run; items with columns are compared one by one.
 */
function inList(e: Expr & { k: 'in' }, ctx: CompileContext, compile: Compile): BoundExpr {
  const left = compile(e.left, ctx);
  const x = left.fn;
  const wrap = (fn: (f: Frame) => Truth): BoundExpr => ({
    fn: e.not
      ? (f) => {
          const t = fn(f);
          return t === null ? null : t === 1 ? 0 : 1;
        }
      : fn,
    info: NONE,
  });
  if (e.list.length === 0) return { fn: () => (e.not ? 1 : 0), info: NONE };
  if (e.subquery) {
    const sub = e.list[0];
    if (sub.k !== 'subquery') throw new Error('IN sub-query without a select');
    const plan = ctx.subqueries.bind(sub.select, ctx.scope);
    if (plan.outputs.length !== 1)
      throw new PingOneDriverError(
        'SQL_ERROR',
        `sub-select returns ${plan.outputs.length} columns - expected 1 (IN (SELECT …) compares one column).`,
      );
    const spec = compareSpec(left.info, plan.outputs[0].info);
    const port = ctx.subqueries;
    const lookups = new WeakMap<object, Lookup>();
    return wrap((f) => {
      const rows = port.rows(plan, f);
      let lookup = lookups.get(rows);
      if (!lookup) {
        lookup = buildLookup(
          rows.map((r) => r[0] ?? null),
          spec,
        );
        lookups.set(rows, lookup);
      }
      return probe(lookup, x(f), spec);
    });
  }
  const items = e.list.map((item) => compile(item, ctx));
  if (items.every((i) => i.info.affinity === 'none' && !i.info.collation)) {
    const spec = compareSpec(left.info, { affinity: 'none', collation: undefined });
    const fns = items.map((i) => i.fn);
    const perRun = new WeakMap<object, Lookup>();
    return wrap((f) => {
      let lookup = perRun.get(f.run);
      if (!lookup) {
        lookup = buildLookup(
          fns.map((fn) => fn(f)),
          spec,
        );
        // parameters and literals are fixed for a run; items that read rows (sub-queries) are not cached
        if (items.every((i) => i.info.constant !== undefined || isParamOnly(i))) perRun.set(f.run, lookup);
      }
      return probe(lookup, x(f), spec);
    });
  }
  const specs = items.map((i) => compareSpec(left.info, i.info));
  return wrap((f) => {
    const v = x(f);
    if (v === null) return null;
    let sawNull = false;
    for (let i = 0; i < items.length; i++) {
      const r = compare('=', v, items[i].fn(f), specs[i]);
      if (r === 1) return 1;
      if (r === null) sawNull = true;
    }
    return sawNull ? null : 0;
  });
}

const paramOnly = new WeakSet<BoundExpr>();
const isParamOnly = (b: BoundExpr) => paramOnly.has(b);
export function markParam(b: BoundExpr): BoundExpr {
  paramOnly.add(b);
  return b;
}

interface Lookup {
  readonly keys: ReadonlySet<string>;
  readonly sawNull: boolean;
}

function buildLookup(values: readonly SqlValue[], spec: CompareSpec): Lookup {
  const keys = new Set<string>();
  let sawNull = false;
  for (const raw of values) {
    const v = forComparison(raw, spec.right, spec.left);
    if (v === null) sawNull = true;
    else keys.add(valueKey(v, spec.collation));
  }
  return { keys, sawNull };
}

function probe(lookup: Lookup, raw: SqlValue, spec: CompareSpec): Truth {
  const v = forComparison(raw, spec.left, spec.right);
  if (v === null) return null;
  if (lookup.keys.has(valueKey(v, spec.collation))) return 1;
  return lookup.sawNull ? null : 0;
}
