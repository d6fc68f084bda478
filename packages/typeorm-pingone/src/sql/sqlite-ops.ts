import {
  fitsInt64,
  integer,
  isReal,
  numberOf,
  numericAffinity,
  real,
  Real,
  realToInteger,
  textToInteger,
  textToNumeric,
  toInteger,
  toNumeric,
  toText,
  type Affinity,
  type Numeric,
  type SqlValue,
  type Truth,
} from './sqlite-values';

/**
 * SQLite's operators on values (lang_expr.html, vdbe.c's arithmetic): arithmetic stays INTEGER when both sides are
 * integers (exactly, in 64 bits: division truncates, overflow turns REAL), any REAL makes the result REAL; text reads
 * as its numeric prefix; `%` with a REAL side takes both sides as integers (text by its integer prefix) and answers
 * REAL; `||` joins text forms; bitwise operators work on 64-bit integers; CAST converts by the type's affinity.
 */
const exact = (v: number | bigint): bigint => (typeof v === 'bigint' ? v : BigInt(v));

function integerArithmetic(op: string, x: number | bigint, y: number | bigint): SqlValue {
  if (typeof x === 'number' && typeof y === 'number') {
    if (op === '/') return y === 0 ? null : Math.trunc(x / y);
    if (op === '%') return y === 0 ? null : x % y;
    const r = op === '+' ? x + y : op === '-' ? x - y : x * y;
    if (Number.isSafeInteger(r)) return r;
  }
  const a = exact(x);
  const b = exact(y);
  if ((op === '/' || op === '%') && b === 0n) return null;
  // -2^63 / -1 overflows: SQLite answers REAL; % by -1 is 0
  if (op === '%') return integer(b === -1n ? 0n : a % b);
  const r = op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : a / b;
  if (fitsInt64(r)) return integer(r);
  const xa = Number(a);
  const yb = Number(b);
  return real(op === '+' ? xa + yb : op === '-' ? xa - yb : op === '*' ? xa * yb : xa / yb);
}

export function arithmetic(op: string, a: SqlValue, b: SqlValue): SqlValue {
  const x = toNumeric(a);
  const y = toNumeric(b);
  if (x === null || y === null) return null;
  if (!isReal(x) && !isReal(y)) return integerArithmetic(op, x as number | bigint, y as number | bigint);
  if (op === '%') {
    // both sides as integers: text by its integer prefix ('1e1' is 1 here), REAL truncated; the answer is REAL
    const dividend = toInteger(a)!;
    const divisor = toInteger(b)!;
    if (divisor === 0 || divisor === 0n) return null;
    return real(numberOf(integerArithmetic('%', dividend, divisor === -1 || divisor === -1n ? 1 : divisor) as Numeric));
  }
  const xv = numberOf(x);
  const yv = numberOf(y);
  if (op === '/' && yv === 0) return null;
  const r = op === '+' ? xv + yv : op === '-' ? xv - yv : op === '*' ? xv * yv : xv / yv;
  return Number.isNaN(r) ? null : real(r);
}

export function negate(a: SqlValue): SqlValue {
  const x = toNumeric(a);
  if (x === null) return null;
  if (x instanceof Real) return real(-x.value === 0 ? 0 : -x.value);
  if (typeof x === 'number' && !Number.isInteger(x)) return -x;
  const r = -exact(x);
  return fitsInt64(r) ? integer(r) : real(Number(r));
}

export function concat(a: SqlValue, b: SqlValue): SqlValue {
  const x = toText(a);
  const y = toText(b);
  return x === null || y === null ? null : x + y;
}

const toBig = (v: SqlValue): bigint | null => {
  const n = toInteger(v);
  return n === null ? null : exact(n);
};

export function bitwise(op: string, a: SqlValue, b: SqlValue): SqlValue {
  const x = toBig(a);
  const y = toBig(b);
  if (x === null || y === null) return null;
  let r: bigint;
  switch (op) {
    case '&':
      r = x & y;
      break;
    case '|':
      r = x | y;
      break;
    case '<<':
      r = y >= 64n ? 0n : y <= -64n ? (x < 0n ? -1n : 0n) : y >= 0n ? x << y : x >> -y;
      break;
    default:
      r = y >= 64n ? (x < 0n ? -1n : 0n) : y <= -64n ? 0n : y >= 0n ? x >> y : x << -y;
      break;
  }
  return integer(BigInt.asIntN(64, r));
}

export function bitNot(a: SqlValue): SqlValue {
  const x = toBig(a);
  return x === null ? null : integer(BigInt.asIntN(64, ~x));
}

export function not(t: Truth): Truth {
  return t === null ? null : t === 1 ? 0 : 1;
}

/** SQLite's affinity of a declared type name (datatype3.html §3.1). */
export function affinityOfType(type: string): Affinity | 'blob' {
  const t = type.toUpperCase();
  if (t.includes('INT')) return 'integer';
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return 'text';
  if (t.includes('BLOB') || t.trim() === '') return 'blob';
  if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB')) return 'real';
  return 'numeric';
}

/** CAST(value AS type) by the type's affinity. */
export function cast(value: SqlValue, affinity: Affinity): SqlValue {
  if (value === null) return null;
  switch (affinity) {
    case 'text':
      return toText(value);
    case 'integer':
      if (typeof value === 'string') return textToInteger(value);
      if (typeof value === 'bigint') return value;
      return realToInteger(numberOf(value));
    case 'real':
      return real(numberOf(typeof value === 'string' ? toNumeric(value)! : value));
    case 'numeric':
      // text becomes a number (INTEGER when integral and in 64 bits); a REAL or INTEGER stays as it is
      if (typeof value === 'string') {
        const whole = numericAffinity(value);
        return typeof whole === 'string' ? textToNumeric(value) : whole;
      }
      return value;
    default:
      return value;
  }
}
