import { PingOneDriverError } from '../errors';
import { compareValues, type Collation } from './sqlite-compare';
import { integer, isReal, numberOf, real, toInteger, toNumeric, toText, type SqlValue } from './sqlite-values';

/**
 * The scalar functions the driver runs locally, with SQLite's results (lang_corefunc.html). Each takes its
 * evaluated arguments and the comparison collation (only MIN/MAX read it). A name not listed here is refused
 * before anything runs, naming the function.
 */
type Scalar = (args: readonly SqlValue[], collation: Collation) => SqlValue;

// SQLite without ICU (sql.js) folds ASCII letters only.
const asciiUpper = (s: string) => s.replace(/[a-z]+/g, (m) => m.toUpperCase());
const asciiLower = (s: string) => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

const text1 =
  (f: (s: string) => SqlValue): Scalar =>
  ([v]) => {
    const s = toText(v ?? null);
    return s === null ? null : f(s);
  };

function trimmer(mode: 'both' | 'left' | 'right'): Scalar {
  return ([value, chars]) => {
    const s = toText(value ?? null);
    const set = chars === undefined ? ' ' : toText(chars);
    if (s === null || set === null) return null;
    const drop = new Set([...set]);
    const cps = [...s];
    let start = 0;
    let end = cps.length;
    if (mode !== 'right') while (start < end && drop.has(cps[start])) start++;
    if (mode !== 'left') while (end > start && drop.has(cps[end - 1])) end--;
    return cps.slice(start, end).join('');
  };
}

/** substr(X, Y, Z) on characters, with SQLite's rules for 0 and negative positions and lengths. */
const substr: Scalar = ([x, y, z]) => {
  const s = toText(x ?? null);
  const p1 = toInteger(y ?? null);
  const p2 = z === undefined ? undefined : toInteger(z);
  if (s === null || p1 === null || p2 === null) return null;
  const chars = [...s];
  const len = chars.length;
  const clamp = (n: number | bigint) => Math.max(-1e9, Math.min(1e9, Number(n)));
  let start = clamp(p1);
  let count = p2 === undefined ? len + 1 : clamp(p2);
  if (start < 0) {
    start += len;
    if (start < 0) {
      count += start;
      start = 0;
    }
  } else if (start > 0) {
    start--;
  } else if (count > 0) {
    count--;
  }
  if (count < 0) {
    start += count;
    count = -count;
    if (start < 0) {
      count += start;
      start = 0;
    }
  }
  return chars.slice(start, Math.max(start, start + count)).join('');
};

/** round(X, N): half away from zero, as SQLite; always a REAL. */
const round: Scalar = ([x, n]) => {
  const v = toNumeric(x ?? null);
  const digits = n === undefined ? 0 : toNumeric(n);
  if (v === null || digits === null) return null;
  const d = Math.min(30, Math.max(0, Number(toInteger(digits) ?? 0)));
  const value = numberOf(v);
  const factor = 10 ** d;
  const scaled = Math.abs(value) * factor;
  const rounded = Number.isFinite(scaled) ? Math.floor(scaled + 0.5) / factor : Math.abs(value);
  return real(value < 0 ? -rounded : rounded);
};

function extreme(sign: 1 | -1): Scalar {
  return (args, collation) => {
    let best: SqlValue = null;
    for (const a of args) {
      if (a === null) return null;
      if (best === null || sign * compareValues(a, best, collation) > 0) best = a;
    }
    return best;
  };
}

export const SCALAR_FUNCTIONS: ReadonlyMap<string, { readonly arity: readonly [number, number]; readonly fn: Scalar }> = new Map<
  string,
  { arity: [number, number]; fn: Scalar }
>([
  ['UPPER', { arity: [1, 1], fn: text1(asciiUpper) }],
  ['LOWER', { arity: [1, 1], fn: text1(asciiLower) }],
  [
    'LENGTH',
    { arity: [1, 1], fn: ([v]) => (v === null || v === undefined ? null : typeof v === 'string' ? [...v].length : toText(v)!.length) },
  ],
  [
    'ABS',
    {
      arity: [1, 1],
      fn: ([v]) => {
        // INTEGER stays INTEGER; anything else (REAL, text) is read as a REAL, as SQLite's abs() does
        if (v === null || v === undefined) return null;
        if (typeof v === 'number' && Number.isInteger(v)) return Math.abs(v);
        if (typeof v === 'bigint') {
          if (v === -9223372036854775808n)
            throw new PingOneDriverError(
              'SQL_ERROR',
              "integer overflow in ABS() (SQLite's error): the smallest 64-bit integer has no positive counterpart.",
            );
          return integer(v < 0n ? -v : v);
        }
        return real(Math.abs(numberOf(typeof v === 'string' ? toNumeric(v)! : v)));
      },
    },
  ],
  ['COALESCE', { arity: [2, 1000], fn: (args) => args.find((a) => a !== null) ?? null }],
  ['IFNULL', { arity: [2, 2], fn: ([a, b]) => (a !== null && a !== undefined ? a : (b ?? null)) }],
  [
    'NULLIF',
    {
      arity: [2, 2],
      fn: ([a, b], c) =>
        a !== null && a !== undefined && b !== null && b !== undefined && compareValues(a, b, c) === 0 ? null : (a ?? null),
    },
  ],
  [
    'IIF',
    {
      arity: [3, 3],
      fn: ([c, a, b]) => {
        const n = c === null || c === undefined ? 0 : typeof c === 'string' ? numberOf(toNumeric(c)!) : numberOf(c);
        return (n !== 0 ? a : b) ?? null;
      },
    },
  ],
  ['TRIM', { arity: [1, 2], fn: trimmer('both') }],
  ['LTRIM', { arity: [1, 2], fn: trimmer('left') }],
  ['RTRIM', { arity: [1, 2], fn: trimmer('right') }],
  ['SUBSTR', { arity: [2, 3], fn: substr }],
  ['SUBSTRING', { arity: [2, 3], fn: substr }],
  [
    'REPLACE',
    {
      arity: [3, 3],
      fn: ([x, y, z]) => {
        const [s, find, by] = [toText(x ?? null), toText(y ?? null), toText(z ?? null)];
        if (s === null || find === null || by === null) return null;
        return find === '' ? s : s.split(find).join(by);
      },
    },
  ],
  [
    'INSTR',
    {
      arity: [2, 2],
      fn: ([x, y]) => {
        const [s, find] = [toText(x ?? null), toText(y ?? null)];
        if (s === null || find === null) return null;
        const at = s.indexOf(find);
        return at < 0 ? 0 : [...s.slice(0, at)].length + 1;
      },
    },
  ],
  ['ROUND', { arity: [1, 2], fn: round }],
  [
    'SIGN',
    {
      arity: [1, 1],
      fn: ([v]) => {
        if (v === null || v === undefined) return null;
        const n = typeof v === 'string' ? null : numberOf(v);
        return n === null || Number.isNaN(n) ? null : n > 0 ? 1 : n < 0 ? -1 : 0;
      },
    },
  ],
  [
    'TYPEOF',
    {
      arity: [1, 1],
      fn: ([v]) => (v === null || v === undefined ? 'null' : typeof v === 'string' ? 'text' : isReal(v) ? 'real' : 'integer'),
    },
  ],
  ['MIN', { arity: [2, 1000], fn: extreme(-1) }],
  ['MAX', { arity: [2, 1000], fn: extreme(1) }],
  ['UNICODE', { arity: [1, 1], fn: text1((s) => (s === '' ? null : s.codePointAt(0)!)) }],
]);
