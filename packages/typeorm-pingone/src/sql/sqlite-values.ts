import { valueText } from '@typeorm-pingone/client';

/**
 * SQLite's values (datatype3.html, lang_expr.html): NULL, INTEGER, REAL and TEXT, kept apart as SQLite keeps them,
 * because answers depend on it (`1.0/2` is 0.5, `1/2` is 0; `CAST(100.0 AS TEXT)` is '100.0'). An INTEGER is a
 * JavaScript number while it is a safe integer and a bigint beyond (SQLite's integers have 64 bits); a number that is
 * not an integer is a REAL, and an integral REAL (100.0, 1e20) is boxed as `Real`, so it stays REAL through
 * arithmetic and text conversion. Rows and parameters hold JavaScript values and go through `sqlValue()` first.
 */
export class Real {
  constructor(readonly value: number) {}
}

export type SqlValue = null | number | bigint | string | Real;
export type Numeric = number | bigint | Real;
export type Truth = 1 | 0 | null;

/** How an expression converts before a comparison: a column's declared affinity, a CAST's, or none. */
export type Affinity = 'text' | 'numeric' | 'integer' | 'real' | 'none';

/** A REAL result: boxed when integral, so it is not mistaken for an INTEGER. */
export const real = (n: number): number | Real => (Number.isInteger(n) ? new Real(n) : n);

export const isReal = (v: SqlValue): boolean => v instanceof Real || (typeof v === 'number' && !Number.isInteger(v));

/** The number in a numeric value (a bigint rounded to the nearest double). */
export const numberOf = (v: Numeric): number => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : v.value);

export const INT64_MAX = 9223372036854775807n;
export const INT64_MIN = -9223372036854775808n;

/** An exact integer as SQLite's INTEGER: a number while safe, a bigint beyond. */
export const integer = (b: bigint): number | bigint => (b <= 9007199254740991n && b >= -9007199254740991n ? Number(b) : b);

/** Whether a result still fits SQLite's 64-bit INTEGER. */
export const fitsInt64 = (b: bigint): boolean => b <= INT64_MAX && b >= INT64_MIN;

/** Anything a row or a parameter holds, as an SQL value (booleans bind as 1/0, dates as TypeORM's SQLite text). */
export function sqlValue(value: unknown): SqlValue {
  if (value === undefined || value === null) return null;
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      if (Number.isNaN(value)) return null;
      // an integer JavaScript can't hold exactly was never one SQLite stored exactly either: 64-bit or REAL
      if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
        const b = BigInt(value);
        return fitsInt64(b) ? b : new Real(value);
      }
      return value;
    case 'boolean':
      return value ? 1 : 0;
    case 'bigint':
      return fitsInt64(value) ? integer(value) : new Real(Number(value));
    default:
      if (value instanceof Real) return value;
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString().replace('T', ' ').replace('Z', '');
      return valueText(value);
  }
}

/** A value as a query result: SQLite hands back numbers and text; an integral REAL is its number. */
export function resultValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof Real) return value.value;
  if (typeof value === 'bigint') return Number(value);
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
export function numberToText(v: Numeric): string {
  if (v instanceof Real) return realToText(v.value);
  if (typeof v === 'bigint') return v.toString();
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

/** The text of an integer literal (no point or exponent) whose value fits 64 bits, as an INTEGER; else undefined. */
function integerOfText(text: string): number | bigint | undefined {
  const t = text.trim().replace(/^\+/, '');
  if (!/^-?\d+$/.test(t)) return undefined;
  const big = BigInt(t);
  return fitsInt64(big) ? integer(big) : undefined;
}

/** A REAL read from text: an INTEGER when it is integral and fits 64 bits (`'3.0'` → 3, `'1e3'` → 1000). */
function realOrInteger(n: number): Numeric {
  if (Number.isInteger(n) && n >= -9223372036854775808 && n < 9223372036854775808) return integer(BigInt(n));
  return real(n);
}

/**
 * NUMERIC affinity on text: text that is entirely a well-formed number (spaces around allowed) becomes INTEGER (an
 * integer literal, or a real one that is integral and fits: `'3.0'` → 3) or REAL. Anything else is unchanged.
 */
export function numericAffinity(v: SqlValue): SqlValue {
  if (typeof v !== 'string' || !WELL_FORMED.test(v)) return v;
  return integerOfText(v) ?? realOrInteger(Number(v.trim()));
}

/** CAST(text AS NUMERIC): the text's longest numeric prefix, INTEGER when integral and in 64 bits (`'12abc'` → 12). */
export function textToNumeric(text: string): Numeric {
  const prefix = REAL_PREFIX.exec(text)?.[0];
  if (prefix === undefined) return 0;
  return integerOfText(prefix) ?? realOrInteger(Number(prefix.trim()));
}

/**
 * A value read as a number in arithmetic: text by its longest numeric prefix (`'12abc'` → 12, `'2e1'` → 20.0,
 * `'abc'` → 0), INTEGER when that prefix is an integer literal, else REAL.
 */
export function toNumeric(v: SqlValue): Numeric | null {
  if (v === null) return null;
  if (typeof v !== 'string') return v;
  const prefix = REAL_PREFIX.exec(v)?.[0];
  if (prefix === undefined) return 0;
  return integerOfText(prefix) ?? real(Number(prefix.trim()));
}

/** CAST(… AS INTEGER) of text, and text in `%`: the longest integer prefix (`'1e3'` → 1, `'0x10'` → 0), clamped. */
export function textToInteger(text: string): number | bigint {
  const prefix = INTEGER_PREFIX.exec(text)?.[0];
  if (prefix === undefined) return 0;
  const big = BigInt(prefix.trim().replace(/^\+/, ''));
  return integer(big > INT64_MAX ? INT64_MAX : big < INT64_MIN ? INT64_MIN : big);
}

/** A REAL converted to INTEGER: truncated toward zero, clamped to 64 bits. */
export function realToInteger(x: number): number | bigint {
  if (Number.isNaN(x)) return 0;
  // 2^63 is the least double above INT64_MAX (which a double can't hold): every x from there on clamps
  if (x >= 2 ** 63) return INT64_MAX;
  if (x <= -(2 ** 63)) return INT64_MIN;
  const t = Math.trunc(x);
  return Number.isSafeInteger(t) ? t : BigInt(t);
}

/** Any value as an INTEGER, as SQLite's integer-reading functions do (text by its integer prefix, REAL truncated). */
export function toInteger(v: SqlValue): number | bigint | null {
  if (v === null) return null;
  if (typeof v === 'string') return textToInteger(v);
  if (typeof v === 'bigint') return v;
  return realToInteger(numberOf(v));
}

/** The truth value of any SQL value, as WHERE, ON, HAVING, CASE WHEN and the logical operators read it. */
export function truth(value: SqlValue): Truth {
  if (value === null) return null;
  const n = typeof value === 'string' ? toNumeric(value)! : value;
  return numberOf(n) !== 0 ? 1 : 0;
}
