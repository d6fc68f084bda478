import { numberOf, numericAffinity, real, Real, realToInteger, textToInteger, toNumeric, toText, isReal, type Affinity, type SqlValue, type Truth } from './sqlite-values';

/**
 * SQLite's operators on values (lang_expr.html): arithmetic stays INTEGER when both sides are integers (division
 * truncates, overflow turns REAL), any REAL makes the result REAL; text reads as its numeric prefix; `||` joins
 * text forms; bitwise operators work on 64-bit integers; CAST converts with SQLite's rules for each affinity.
 */
const INT64 = 9223372036854775807;

/** Whether a result is still a 64-bit integer (2^63 itself is not: SQLite turns it REAL). */
const inInt64 = (n: number) => n < 2 ** 63 && n >= -(2 ** 63);

export function arithmetic(op: string, a: SqlValue, b: SqlValue): SqlValue {
  const x = toNumeric(a);
  const y = toNumeric(b);
  if (x === null || y === null) return null;
  const integers = !isReal(x) && !isReal(y);
  const xv = numberOf(x);
  const yv = numberOf(y);
  if (op === '%') {
    // both sides as integers; the result is REAL when either side was
    const xi = realToInteger(xv);
    const yi = realToInteger(yv);
    if (yi === 0) return null;
    const r = xi % yi;
    return integers ? r : real(r === 0 ? 0 : r);
  }
  if (op === '/') {
    if (yv === 0) return null;
    if (integers) {
      if (xv === -INT64 - 1 && yv === -1) return real(INT64 + 1);
      return Math.trunc(xv / yv);
    }
    return real(xv / yv);
  }
  const r = op === '+' ? xv + yv : op === '-' ? xv - yv : xv * yv;
  // (beyond 2^53 JavaScript numbers round, as sql.js hands SQLite's integers back)
  if (integers && inInt64(r)) return r;
  return Number.isNaN(r) ? null : real(r);
}

export function negate(a: SqlValue): SqlValue {
  const x = toNumeric(a);
  if (x === null) return null;
  if (x instanceof Real) return real(-x.value === 0 ? 0 : -x.value);
  if (!Number.isInteger(x)) return -x;
  if (x === -INT64 - 1) return real(INT64 + 1);
  return x === 0 ? 0 : -x;
}

export function concat(a: SqlValue, b: SqlValue): SqlValue {
  const x = toText(a);
  const y = toText(b);
  return x === null || y === null ? null : x + y;
}

const toBig = (v: SqlValue): bigint | null => {
  const n = toNumeric(v);
  return n === null ? null : BigInt(realToInteger(numberOf(n)));
};

export function bitwise(op: string, a: SqlValue, b: SqlValue): SqlValue {
  const x = toBig(a);
  const y = toBig(b);
  if (x === null || y === null) return null;
  let r: bigint;
  switch (op) {
    case '&': r = x & y; break;
    case '|': r = x | y; break;
    case '<<': r = y >= 64n ? 0n : y <= -64n ? (x < 0n ? -1n : 0n) : y >= 0n ? x << y : x >> -y; break;
    default: r = y >= 64n ? (x < 0n ? -1n : 0n) : y <= -64n ? 0n : y >= 0n ? x >> y : x << -y; break;
  }
  return Number(BigInt.asIntN(64, r));
}

export function bitNot(a: SqlValue): SqlValue {
  const x = toBig(a);
  return x === null ? null : Number(BigInt.asIntN(64, ~x));
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
    case 'text': return toText(value);
    case 'integer':
      if (typeof value === 'string') return textToInteger(value);
      return realToInteger(numberOf(value));
    case 'real': {
      const n = typeof value === 'string' ? toNumeric(value)! : value;
      return real(numberOf(n));
    }
    case 'numeric': {
      if (typeof value === 'string') {
        const converted = numericAffinity(value);
        if (typeof converted !== 'string') return converted;
        const prefix = toNumeric(value)!;
        return prefix instanceof Real && inInt64(prefix.value) ? prefix.value : prefix;
      }
      return value instanceof Real && inInt64(value.value) ? value.value : value;
    }
    default: return value;
  }
}
