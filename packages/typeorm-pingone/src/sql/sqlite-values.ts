/**
 * SQLite's value semantics, as plain functions over the values local rows hold (strings, numbers, NULL).
 * TypeORM emits SQLite-dialect SQL for this driver and users compare our answers with SQLite's, so NULL, type
 * affinity, ordering and arithmetic follow https://www.sqlite.org/datatype3.html and lang_expr.html, not
 * JavaScript's coercions (which alasql's own operators use).
 *
 * Truth values are SQLite's: 1, 0 or null (NULL, "unknown").
 */
export type SqlValue = string | number | null;
export type Truth = 1 | 0 | null;

/** How a value's expression converts before a comparison: a column's declared affinity, or none (literals, params). */
export type Affinity = 'text' | 'numeric' | 'none';

const NUMERIC_TEXT = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;

/** Anything a row or a parameter can hold, as an SQL value (booleans bind as 1/0, as sql.js binds them). */
export function sqlValue(value: unknown): SqlValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return Number.isNaN(value) ? null : value;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString().replace('T', ' ').replace('Z', '');
  return String(value);
}

function applyAffinity(value: SqlValue, own: Affinity, other: Affinity): SqlValue {
  // lang_expr "Type Conversions Prior To Comparison": numeric affinity wins over text/none, text over none.
  if (value === null) return null;
  if (other === 'numeric' && own !== 'numeric' && typeof value === 'string' && NUMERIC_TEXT.test(value)) return Number(value);
  if (other === 'text' && own === 'none' && typeof value === 'number') return numberToText(value);
  return value;
}

/** A number as text, for TEXT affinity and `||` (JavaScript's shortest form; SQLite prints reals such as 2.0 as "2.0"). */
export function numberToText(value: number): string {
  return String(value);
}

/** SQLite's order of storage classes: NULL < numbers < text. Returns <0, 0, >0 (BINARY collation for text). */
export function compareValues(a: SqlValue, b: SqlValue): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return compareText(a, b);
}

const SURROGATES = /[\uD800-\uDFFF]/;

/** BINARY collation compares UTF-8 bytes, which is code-point order; JavaScript's `<` compares UTF-16 units. */
function compareText(a: string, b: string): number {
  if (a === b) return 0;
  if (!SURROGATES.test(a) && !SURROGATES.test(b)) return a < b ? -1 : 1;
  const ca = Array.from(a);
  const cb = Array.from(b);
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const d = ca[i]!.codePointAt(0)! - cb[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return ca.length - cb.length;
}

export interface CompareOptions {
  readonly left: Affinity;
  readonly right: Affinity;
  /** PingOne compares this attribute case-insensitively (username, email): so does the local re-check */
  readonly caseInsensitive: boolean;
}

const fold = (v: SqlValue, ci: boolean): SqlValue => (ci && typeof v === 'string' ? v.toLowerCase() : v);

export function compare(op: string, leftRaw: unknown, rightRaw: unknown, options: CompareOptions): Truth {
  let left = applyAffinity(sqlValue(leftRaw), options.left, options.right);
  let right = applyAffinity(sqlValue(rightRaw), options.right, options.left);
  if (left === null || right === null) return null;
  left = fold(left, options.caseInsensitive);
  right = fold(right, options.caseInsensitive);
  const c = compareValues(left, right);
  switch (op) {
    case '=': case '==': return c === 0 ? 1 : 0;
    case '<>': case '!=': return c !== 0 ? 1 : 0;
    case '<': return c < 0 ? 1 : 0;
    case '<=': return c <= 0 ? 1 : 0;
    case '>': return c > 0 ? 1 : 0;
    case '>=': return c >= 0 ? 1 : 0;
    default: throw new Error(`unknown comparison ${op}`);
  }
}

/** The truth value of any SQL value, as WHERE, ON, HAVING, CASE WHEN and the logical operators read it. */
export function truth(value: unknown): Truth {
  const v = sqlValue(value);
  if (v === null) return null;
  if (typeof v === 'number') return v !== 0 ? 1 : 0;
  const n = Number.parseFloat(v); // text reads as its numeric prefix ('abc' → 0, '2x' → 2)
  return Number.isNaN(n) || n === 0 ? 0 : 1;
}

export function and(a: unknown, b: unknown): Truth {
  const x = truth(a);
  const y = truth(b);
  if (x === 0 || y === 0) return 0;
  return x === null || y === null ? null : 1;
}

export function or(a: unknown, b: unknown): Truth {
  const x = truth(a);
  const y = truth(b);
  if (x === 1 || y === 1) return 1;
  return x === null || y === null ? null : 0;
}

export function not(a: unknown): Truth {
  const x = truth(a);
  return x === null ? null : x === 1 ? 0 : 1;
}

/** `x IN (list)`: 1 when found, NULL when not found but NULL was among the values (or x is NULL), else 0. */
export function inList(value: unknown, list: readonly unknown[], options: CompareOptions): Truth {
  if (sqlValue(value) === null) return list.length === 0 ? 0 : null;
  let sawNull = false;
  for (const item of list) {
    const r = compare('=', value, item, options);
    if (r === 1) return 1;
    if (r === null) sawNull = true;
  }
  return sawNull ? null : 0;
}

export function between(value: unknown, low: unknown, high: unknown, options: CompareOptions): Truth {
  return and(compare('>=', value, low, options), compare('<=', value, high, options));
}

/** SQLite's numeric reading of a value in arithmetic: text converts by its longest numeric prefix, else 0. */
export function toNumeric(value: SqlValue): number | null {
  if (value === null) return null;
  if (typeof value === 'number') return value;
  const match = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(value);
  return match ? Number(match[0]) : 0;
}

export function arithmetic(op: string, a: unknown, b: unknown): SqlValue {
  const x = toNumeric(sqlValue(a));
  const y = toNumeric(sqlValue(b));
  if (x === null || y === null) return null;
  const integers = Number.isInteger(x) && Number.isInteger(y);
  switch (op) {
    case '+': return x + y;
    case '-': return x - y;
    case '*': return x * y;
    case '/':
      if (y === 0) return null;
      return integers ? Math.trunc(x / y) : x / y;
    case '%': {
      const xi = Math.trunc(x);
      const yi = Math.trunc(y);
      if (yi === 0) return null;
      return integers ? xi % yi : Number(xi % yi);
    }
    default: throw new Error(`unknown operator ${op}`);
  }
}

export function negate(a: unknown): SqlValue {
  const x = toNumeric(sqlValue(a));
  return x === null ? null : x === 0 ? 0 : -x;
}

export function concat(a: unknown, b: unknown): SqlValue {
  const x = sqlValue(a);
  const y = sqlValue(b);
  if (x === null || y === null) return null;
  return `${typeof x === 'number' ? numberToText(x) : x}${typeof y === 'number' ? numberToText(y) : y}`;
}
