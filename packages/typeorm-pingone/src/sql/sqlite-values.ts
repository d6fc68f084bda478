/**
 * SQLite's values (datatype3.html, lang_expr.html): NULL, INTEGER, REAL and TEXT, kept apart as SQLite keeps them,
 * because answers depend on it (`1.0/2` is 0.5, `1/2` is 0; `CAST(100.0 AS TEXT)` is '100.0'). A JavaScript number
 * that is not an integer is a REAL; an integral REAL (100.0) is boxed as `Real`, so it stays REAL through
 * arithmetic and text conversion. Rows and parameters hold JavaScript values and go through `sqlValue()` first.
 */
export class Real {
  constructor(readonly value: number) {}
}

export type SqlValue = null | number | string | Real;
export type Truth = 1 | 0 | null;

/** How an expression converts before a comparison: a column's declared affinity, a CAST's, or none. */
export type Affinity = 'text' | 'numeric' | 'integer' | 'real' | 'none';

/** A REAL result: boxed when integral, so it is not mistaken for an INTEGER. */
export const real = (n: number): number | Real => (Number.isInteger(n) ? new Real(n) : n);

export const isReal = (v: SqlValue): boolean => v instanceof Real || (typeof v === 'number' && !Number.isInteger(v));

/** The number in a numeric value. */
export const numberOf = (v: number | Real): number => (typeof v === 'number' ? v : v.value);

const INT64_MAX = 9223372036854775807;

/** Anything a row or a parameter holds, as an SQL value (booleans bind as 1/0, dates as TypeORM's SQLite text). */
export function sqlValue(value: unknown): SqlValue {
  if (value === undefined || value === null) return null;
  switch (typeof value) {
    case 'string': return value;
    case 'number': return Number.isNaN(value) ? null : value;
    case 'boolean': return value ? 1 : 0;
    case 'bigint': return Number(value);
    default:
      if (value instanceof Real) return value;
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString().replace('T', ' ').replace('Z', '');
      return String(value);
  }
}

/** A value as a query result: SQLite hands back numbers and text; an integral REAL is its number. */
export function resultValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof Real) return value.value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

/** SQLite's text for a REAL (printf "%!.15g"): 15 significant digits, at least one after the point: 100.0, 1.0e+21. */
export function realToText(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? '' : x > 0 ? 'Inf' : '-Inf';
  const [mantissa, exp] = x.toExponential(14).split('e') as [string, string];
  const exponent = Number(exp);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const trim = (s: string) => {
    const t = s.replace(/0+$/, '');
    return t.endsWith('.') ? `${t}0` : t;
  };
  if (exponent < -4 || exponent >= 15) {
    const e = Math.abs(exponent);
    return `${negative && x !== 0 ? '-' : ''}${trim(`${digits[0]}.${digits.slice(1)}`)}e${exponent < 0 ? '-' : '+'}${e < 10 ? `0${e}` : e}`;
  }
  const text = exponent >= 0 ? `${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}` : `0.${'0'.repeat(-exponent - 1)}${digits}`;
  return `${negative && x !== 0 ? '-' : ''}${trim(text)}`;
}

/** A number as SQLite writes it as text: INTEGER as digits, REAL by realToText. */
export function numberToText(v: number | Real): string {
  if (v instanceof Real) return realToText(v.value);
  return Number.isInteger(v) ? String(v) : realToText(v);
}

/** A value as text (TEXT affinity, `||`, text functions); NULL stays NULL. */
export function toText(v: SqlValue): string | null {
  if (v === null || typeof v === 'string') return v;
  return numberToText(v);
}

const WELL_FORMED = /^[ \t\n\f\r]*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?[ \t\n\f\r]*$/;
const REAL_PREFIX = /^[ \t\n\f\r]*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/;
const INTEGER_PREFIX = /^[ \t\n\f\r]*[+-]?\d+/;

/** Whether text is an integer literal (no point or exponent) whose value fits 64 bits. */
function integerText(text: string): boolean {
  const t = text.trim();
  if (!/^[+-]?\d+$/.test(t)) return false;
  const big = BigInt(t);
  return big <= 9223372036854775807n && big >= -9223372036854775808n;
}

/**
 * NUMERIC affinity: text that is entirely a well-formed number (spaces around allowed) becomes INTEGER, or REAL;
 * a REAL that is integral becomes INTEGER (`'3.0'` → 3). Anything else is unchanged.
 */
export function numericAffinity(v: SqlValue): SqlValue {
  if (typeof v === 'string') {
    if (!WELL_FORMED.test(v)) return v;
    if (integerText(v)) return Number(v.trim());
    const n = Number(v.trim());
    return Number.isInteger(n) && Math.abs(n) <= INT64_MAX ? n : real(n);
  }
  if (v instanceof Real && Math.abs(v.value) <= INT64_MAX) return v.value;
  return v;
}

/**
 * A value read as a number in arithmetic: text by its longest numeric prefix (`'12abc'` → 12, `'2e1'` → 20.0,
 * `'abc'` → 0), INTEGER when that prefix is an integer literal, else REAL.
 */
export function toNumeric(v: SqlValue): number | Real | null {
  if (v === null) return null;
  if (typeof v !== 'string') return v;
  const prefix = REAL_PREFIX.exec(v)?.[0];
  if (prefix === undefined) return 0;
  if (integerText(prefix)) return Number(prefix.trim());
  return real(Number(prefix.trim()));
}

/** CAST(… AS INTEGER) of text: the longest integer prefix (`'1e3'` → 1, `'0x10'` → 0). */
export function textToInteger(text: string): number {
  const prefix = INTEGER_PREFIX.exec(text)?.[0];
  if (prefix === undefined) return 0;
  const big = BigInt(prefix.trim());
  return big > 9223372036854775807n ? INT64_MAX : big < -9223372036854775808n ? -INT64_MAX - 1 : Number(big);
}

/** A REAL converted to INTEGER: truncated toward zero, clamped to 64 bits. */
export function realToInteger(x: number): number {
  if (Number.isNaN(x)) return 0;
  if (x >= INT64_MAX) return INT64_MAX;
  if (x <= -INT64_MAX - 1) return -INT64_MAX - 1;
  return Math.trunc(x);
}

/** The truth value of any SQL value, as WHERE, ON, HAVING, CASE WHEN and the logical operators read it. */
export function truth(value: SqlValue): Truth {
  if (value === null) return null;
  if (typeof value === 'string') {
    const n = toNumeric(value)!;
    return numberOf(n) !== 0 ? 1 : 0;
  }
  return numberOf(value) !== 0 ? 1 : 0;
}
