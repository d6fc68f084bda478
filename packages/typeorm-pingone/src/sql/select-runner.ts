import { PingOneDriverError } from '../errors';
import { accumulator } from './aggregates';
import { runJoin } from './alasql-join';
import type { BoundSelect, Frame, GroupState, JoinPlan, RunState, SourcePlan, SourceRow } from './bound-plan';
import { compareValues, valueKey } from './sqlite-compare';
import { numericAffinity, Real, toText, type SqlValue } from './sqlite-values';

/**
 * Runs a bound SELECT over the rows of one statement run: the join (alasql, or a plain loop over one source),
 * WHERE, grouping in Maps keyed by value keys (one NULL group, collations honoured, groups in key order as SQLite's
 * sorter gives them), aggregates, HAVING, the select list, DISTINCT, ORDER BY (stable, NULLs first ascending) and
 * LIMIT/OFFSET. Rows come back as arrays of values; only the top level names them (sql-engine.ts).
 */
export type ResultRow = readonly SqlValue[];

/** Thrown inside a join to stop it once LIMIT rows are out and nothing after needs more. */
class Enough extends Error {}

export function runSelect(plan: BoundSelect, run: RunState, outer: Frame | undefined, window = true): ResultRow[] {
  const frame: Frame = { p: {}, outer, group: undefined, run };
  const limit = window ? bound(plan.limit, frame, 'LIMIT') : undefined;
  const offset = window ? (bound(plan.offset, frame, 'OFFSET') ?? 0) : 0;
  const rows: { values: SqlValue[]; keys: SqlValue[] | undefined }[] = [];
  const ordered = plan.order.length > 0;
  const emit = (): void => {
    const values = plan.outputs.map((o) => o.value(frame));
    rows.push({
      values,
      keys: ordered ? plan.order.map((o) => (o.output !== undefined ? values[o.output]! : o.value!(frame))) : undefined,
    });
  };
  // without ORDER BY, DISTINCT or grouping, rows past OFFSET + LIMIT are never looked at: the scan stops there
  const stopAt = !ordered && !plan.distinct && !plan.grouping && limit !== undefined && limit >= 0 ? offset + limit : undefined;
  const grouping = plan.grouping;
  const groups = new Map<string, GroupState>();
  const onRow = grouping
    ? (p: Record<string, unknown>) => collect(p)
    : () => {
        emit();
        if (stopAt !== undefined && rows.length >= stopAt) throw new Enough();
      };
  const collect = (p: Record<string, unknown>): void => {
    const keys = grouping!.keys.map((k) => k.value(frame));
    let id = '';
    keys.forEach((v, i) => {
      const key = valueKey(v, grouping!.keys[i].collation);
      id += `${key.length}:${key}`;
    });
    let group = groups.get(id);
    if (!group) {
      group = { rep: snapshot(p, plan.join), accumulators: grouping!.aggregates.map((a) => accumulator(a.spec)), keys };
      groups.set(id, group);
    }
    const g = group;
    grouping!.aggregates.forEach((a, i) => {
      const acc = g.accumulators[i];
      acc.add(a.args.map((arg) => arg(frame)));
      if (acc.changed && grouping!.extremes.includes(i)) g.rep = snapshot(p, plan.join);
    });
  };
  if (stopAt !== 0) {
    try {
      scan(plan, frame, onRow);
    } catch (error) {
      if (!(error instanceof Enough)) throw error;
    }
  }
  if (grouping) {
    if (groups.size === 0 && grouping.keys.length === 0)
      groups.set('', { rep: {}, accumulators: grouping.aggregates.map((a) => accumulator(a.spec)), keys: [] });
    const list = [...groups.values()];
    if (grouping.keys.length > 0) {
      list.sort((a, b) => {
        for (let i = 0; i < grouping.keys.length; i++) {
          const c = compareValues(a.keys[i], b.keys[i], grouping.keys[i].collation);
          if (c !== 0) return c;
        }
        return 0;
      });
    }
    for (const g of list) {
      frame.p = g.rep;
      frame.group = g;
      if (grouping.having && !grouping.having(frame)) continue;
      emit();
    }
    frame.group = undefined;
  }
  let out = rows;
  if (plan.distinct) {
    const seen = new Set<string>();
    out = out.filter((r) => {
      let id = '';
      r.values.forEach((v, i) => {
        const key = valueKey(v, plan.outputs[i].info.collation?.name ?? 'BINARY');
        id += `${key.length}:${key}`;
      });
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
  }
  if (ordered) {
    out = out
      .map((r, index) => ({ r, index }))
      .sort((a, b) => {
        for (let i = 0; i < plan.order.length; i++) {
          const term = plan.order[i];
          const x = a.r.keys![i]!;
          const y = b.r.keys![i]!;
          if (term.nulls && (x === null) !== (y === null)) return (x === null) === (term.nulls === 'FIRST') ? -1 : 1;
          const c = compareValues(x, y, term.collation);
          if (c !== 0) return term.descending ? -c : c;
        }
        return a.index - b.index;
      })
      .map((x) => x.r);
  }
  if (offset > 0 || (limit !== undefined && limit >= 0))
    out = out.slice(offset, limit !== undefined && limit >= 0 ? offset + limit : undefined);
  return out.map((r) => r.values);
}

/** LIMIT / OFFSET: an integer, or a value that converts to one losslessly (SQLite: else "datatype mismatch"). */
function bound(fn: BoundSelect['limit'], frame: Frame, what: string): number | undefined {
  if (!fn) return undefined;
  const given = numericAffinity(fn(frame));
  // an integral REAL (2.0) converts losslessly, as SQLite's OP_MustBeInt does; a 64-bit INTEGER beyond 2^53 is
  // past any directory's size, so its nearest double serves
  const v = given instanceof Real ? given.value : typeof given === 'bigint' ? Number(given) : given;
  if (typeof v !== 'number' || !Number.isInteger(v))
    throw new PingOneDriverError('SQL_ERROR', `datatype mismatch (SQLite's error): ${what} takes an integer, not ${toText(v) ?? 'NULL'}.`);
  return what === 'OFFSET' ? Math.max(0, v) : v;
}

function snapshot(p: Record<string, unknown>, join: JoinPlan | undefined): Record<string, unknown> {
  const s: Record<string, unknown> = {};
  if (join) for (const k of join.keys) s[k] = p[k];
  return s;
}

/** Every joined row of the select that passes WHERE, with the frame's `p` set to it. */
function scan(plan: BoundSelect, frame: Frame, onRow: (p: Record<string, unknown>) => void): void {
  const where = plan.where;
  if (!plan.join) {
    if (!where || where(frame)) onRow(frame.p);
    return;
  }
  joinRows(plan.join, frame, where, onRow);
}

function joinRows(
  join: JoinPlan,
  frame: Frame,
  where: ((f: Frame) => boolean) | undefined,
  onRow: (p: Record<string, unknown>) => void,
): void {
  const first = sourceRows(join.first, frame);
  if (join.steps.length === 0) {
    const key = join.first.key;
    const p: Record<string, unknown> = {};
    frame.p = p;
    for (const row of first) {
      p[key] = row;
      if (!where || where(frame)) onRow(p);
    }
    return;
  }
  const at = (fn: (f: Frame) => unknown) => (p: Record<string, unknown>) => {
    frame.p = p;
    return fn(frame);
  };
  const steps = join.steps;
  runJoin<Record<string, unknown>>({
    sources: [first, ...steps.map((s) => sourceRows(s.source, frame))],
    steps: steps.map((s) => ({ mode: s.mode, index: s.index !== undefined, on: s.on !== undefined })),
    calls: {
      on: [undefined, ...steps.map((s) => (s.on ? (at(s.on) as (p: Record<string, unknown>) => boolean) : undefined))],
      left: [undefined, ...steps.map((s) => (s.index ? (at(s.index.left) as (p: Record<string, unknown>) => string) : undefined))],
      right: [undefined, ...steps.map((s) => (s.index ? (at(s.index.right) as (p: Record<string, unknown>) => string) : undefined))],
      where: where ? (at(where) as (p: Record<string, unknown>) => boolean) : () => true,
      each: (p) => {
        frame.p = p;
        onRow(p);
      },
    },
  });
}

/** A source's rows for this run: a table's fetched rows, a derived table's answer, a parenthesized join's rows. */
function sourceRows(source: SourcePlan, frame: Frame): readonly SourceRow[] {
  if (source.kind === 'table') return frame.run.tables.get(source.table!) ?? [];
  // a derived table and a parenthesized join see the enclosing select's row, not this select's
  if (source.kind === 'derived') return cachedRows(source.select!, frame.run, frame.outer);
  const group = source.group!;
  const out: Record<string, unknown>[] = [];
  const inner: Frame = { p: {}, outer: frame.outer, group: undefined, run: frame.run };
  joinRows(group, inner, undefined, (p) => out.push(snapshot(p, group)));
  return out;
}

/** A sub-select's rows, its enclosing row being `outer`: computed once per run unless it reads that row. */
function cachedRows(plan: BoundSelect, run: RunState, outer: Frame | undefined): readonly ResultRow[] {
  if (plan.correlated) return runSelect(plan, run, outer);
  const cached = run.cache.get(plan);
  if (cached) return cached;
  const rows = runSelect(plan, run, outer);
  run.cache.set(plan, rows);
  return rows;
}

/** A sub-query's rows in an expression (scalar, IN, EXISTS): the current row is its enclosing row. */
export function subqueryRows(plan: BoundSelect, frame: Frame): readonly ResultRow[] {
  return cachedRows(plan, frame.run, frame);
}
