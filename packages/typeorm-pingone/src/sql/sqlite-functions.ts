import { compareValues, numberToText, sqlValue, toNumeric, type SqlValue } from './sqlite-values';

/**
 * The scalar functions and aggregates the driver runs locally, with SQLite's results (lang_corefunc.html,
 * lang_aggfunc.html). Only these names pass the statement guard; anything else is refused before it reaches alasql.
 */
const text = (v: SqlValue): string | null => (v === null ? null : typeof v === 'number' ? numberToText(v) : v);

// SQLite without ICU (sql.js) folds ASCII letters only.
const asciiUpper = (s: string) => s.replace(/[a-z]+/g, (m) => m.toUpperCase());
const asciiLower = (s: string) => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

function trimmer(mode: 'both' | 'left' | 'right') {
  return (value: unknown, chars?: unknown): SqlValue => {
    const s = text(sqlValue(value));
    const set = chars === undefined ? ' ' : text(sqlValue(chars));
    if (s === null || set === null) return null;
    const drop = new Set([...set]);
    const cps = [...s];
    let start = 0;
    let end = cps.length;
    if (mode !== 'right') while (start < end && drop.has(cps[start]!)) start++;
    if (mode !== 'left') while (end > start && drop.has(cps[end - 1]!)) end--;
    return cps.slice(start, end).join('');
  };
}

export const scalarFunctions: Readonly<Record<string, (...args: unknown[]) => SqlValue>> = Object.freeze({
  UPPER: (v: unknown) => { const s = text(sqlValue(v)); return s === null ? null : asciiUpper(s); },
  LOWER: (v: unknown) => { const s = text(sqlValue(v)); return s === null ? null : asciiLower(s); },
  LENGTH: (v: unknown) => { const s = text(sqlValue(v)); return s === null ? null : [...s].length; },
  ABS: (v: unknown) => { const n = toNumeric(sqlValue(v)); return n === null ? null : Math.abs(n); },
  COALESCE: (...args: unknown[]) => { for (const a of args) { const v = sqlValue(a); if (v !== null) return v; } return null; },
  IFNULL: (a: unknown, b: unknown) => { const v = sqlValue(a); return v !== null ? v : sqlValue(b); },
  NULLIF: (a: unknown, b: unknown) => { const x = sqlValue(a); const y = sqlValue(b); return x !== null && y !== null && compareValues(x, y) === 0 ? null : x; },
  TRIM: trimmer('both'),
  LTRIM: trimmer('left'),
  RTRIM: trimmer('right'),
});

/** How many arguments each function takes, checked before anything runs: [min, max]. */
export const functionArity: Readonly<Record<string, readonly [number, number]>> = Object.freeze({
  UPPER: [1, 1], LOWER: [1, 1], LENGTH: [1, 1], ABS: [1, 1], COALESCE: [2, 100], IFNULL: [2, 2], NULLIF: [2, 2],
  TRIM: [1, 2], LTRIM: [1, 2], RTRIM: [1, 2],
});

/**
 * Aggregates in alasql's user-defined form (`fn(value, state, stage)`: stage 1 the first row of a group, 2 the next
 * rows, 3 the end). NULLs are skipped; an empty input gives NULL; DISTINCT variants see each value once.
 */
interface AggregateState {
  seen: Set<string> | undefined;
  /** compare text case-insensitively (a column PingOne compares that way, like SQLite's COLLATE NOCASE) */
  fold: boolean;
  min: SqlValue;
  max: SqlValue;
  sum: number;
  integral: boolean;
  count: number;
}

type Stage = 1 | 2 | 3;

function fresh(distinct: boolean, fold: boolean): AggregateState {
  return { seen: distinct ? new Set() : undefined, fold, min: null, max: null, sum: 0, integral: true, count: 0 };
}

const folded = (v: SqlValue, fold: boolean): SqlValue => (fold && typeof v === 'string' ? v.toLowerCase() : v);

function add(state: AggregateState, raw: unknown): void {
  const v = sqlValue(raw);
  if (v === null) return;
  if (state.seen) {
    const key = `${typeof v}:${folded(v, state.fold)}`;
    if (state.seen.has(key)) return;
    state.seen.add(key);
  }
  state.count++;
  const f = folded(v, state.fold);
  if (state.min === null || compareValues(f, folded(state.min, state.fold)) < 0) state.min = v;
  if (state.max === null || compareValues(f, folded(state.max, state.fold)) > 0) state.max = v;
  const n = toNumeric(v)!;
  if (typeof v !== 'number' || !Number.isInteger(n)) state.integral = state.integral && typeof v === 'number' && Number.isInteger(n);
  state.sum += n;
}

/**
 * The running state of one aggregate. alasql calls stage 3 to finish it, except on some single-aggregate plans
 * (seen: SUM(CASE …) alone); the engine finishes any state still in a result row with `unfinished()`.
 */
class Running {
  constructor(readonly state: AggregateState, readonly finish: (s: AggregateState) => SqlValue) {}
}

export function unfinished(value: unknown): SqlValue | undefined {
  return value instanceof Running ? value.finish(value.state) : undefined;
}

function aggregate(distinct: boolean, fold: boolean, finish: (s: AggregateState) => SqlValue) {
  return (value: unknown, running: Running | undefined, stage: Stage): Running | SqlValue => {
    if (stage === 3) return finish(running?.state ?? fresh(distinct, fold));
    const r = stage === 1 || !running ? new Running(fresh(distinct, fold), finish) : running;
    add(r.state, value);
    return r;
  };
}

const finishers = {
  COUNT: (s: AggregateState) => s.count,
  MIN: (s: AggregateState) => s.min,
  MAX: (s: AggregateState) => s.max,
  SUM: (s: AggregateState) => (s.count === 0 ? null : s.sum),
  AVG: (s: AggregateState) => (s.count === 0 ? null : s.sum / s.count),
} as const;

export type AggregateName = keyof typeof finishers;
export const AGGREGATES: readonly AggregateName[] = ['COUNT', 'MIN', 'MAX', 'SUM', 'AVG'];

/** The registered name of an aggregate (`P1_SUM`, `P1_MAX_DISTINCT_CI`): alasql calls it through alasql.aggr. */
export function aggregateId(name: AggregateName, distinct: boolean, caseInsensitive: boolean): string {
  return `P1_${name}${distinct ? '_DISTINCT' : ''}${caseInsensitive ? '_CI' : ''}`;
}

export function aggregateImplementations(): Record<string, ReturnType<typeof aggregate>> {
  const out: Record<string, ReturnType<typeof aggregate>> = {};
  for (const name of AGGREGATES) {
    for (const distinct of [false, true]) {
      for (const ci of [false, true]) out[aggregateId(name, distinct, ci)] = aggregate(distinct, ci, finishers[name]);
    }
  }
  return out;
}

/** CAST(x AS type) with SQLite's conversions: text to numbers by numeric prefix, numbers to text. */
export function cast(value: unknown, type: string): SqlValue {
  const v = sqlValue(value);
  if (v === null) return null;
  switch (type) {
    case 'TEXT': case 'VARCHAR': case 'CHAR': return text(v);
    case 'INTEGER': case 'INT': case 'BIGINT': return Math.trunc(toNumeric(v)!);
    case 'REAL': case 'FLOAT': case 'DOUBLE': return toNumeric(v);
    default: return toNumeric(v); // NUMERIC
  }
}
