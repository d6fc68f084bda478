import { numberOf, numericAffinity, Real, toText, type Affinity, type SqlValue, type Truth } from './sqlite-values';

/**
 * Comparison with SQLite's rules (datatype3.html §4.2, §7): affinity conversions before comparing, storage classes
 * in order (NULL < numbers < text), and text by a collation. `PINGONE` is the rule of the attributes PingOne
 * compares case-insensitively (username, email): the local re-check folds case as PingOne does, so it never drops a
 * row PingOne returned; the differential tests give those columns COLLATE NOCASE in SQLite.
 */
export type Collation = 'BINARY' | 'NOCASE' | 'RTRIM' | 'PINGONE';

export const COLLATIONS: ReadonlySet<string> = new Set(['BINARY', 'NOCASE', 'RTRIM']);

const asciiLower = (s: string) => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

/** The text a collation compares: equal keys compare equal. */
export function collationKey(text: string, collation: Collation): string {
  switch (collation) {
    case 'NOCASE':
      return asciiLower(text);
    case 'RTRIM':
      return text.replace(/ +$/, '');
    case 'PINGONE':
      return text.toLowerCase();
    default:
      return text;
  }
}

const SURROGATES = /[\uD800-\uDFFF]/;

/** BINARY compares UTF-8 bytes, which is code-point order; JavaScript's `<` compares UTF-16 units. */
function compareText(a: string, b: string): number {
  if (a === b) return 0;
  if (!SURROGATES.test(a) && !SURROGATES.test(b)) return a < b ? -1 : 1;
  const ca = Array.from(a);
  const cb = Array.from(b);
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const d = ca[i].codePointAt(0)! - cb[i].codePointAt(0)!;
    if (d !== 0) return d;
  }
  return ca.length - cb.length;
}

/** SQLite's order of values: NULL < numbers < text; <0, 0 or >0. */
export function compareValues(a: SqlValue, b: SqlValue, collation: Collation = 'BINARY'): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  const at = typeof a === 'string';
  const bt = typeof b === 'string';
  if (!at && !bt) {
    // a bigint and a number compare exactly (JavaScript compares them by value)
    const x = a instanceof Real ? a.value : a;
    const y = b instanceof Real ? b.value : b;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (!at) return -1;
  if (!bt) return 1;
  return collation === 'BINARY' ? compareText(a, b) : compareText(collationKey(a, collation), collationKey(b, collation));
}

const numericClass = (a: Affinity) => a === 'integer' || a === 'real' || a === 'numeric';

/** One side of a comparison, converted by the affinities of both sides. */
export function forComparison(v: SqlValue, own: Affinity, other: Affinity): SqlValue {
  if (v === null) return null;
  if (numericClass(other) && !numericClass(own)) return numericAffinity(v);
  if (other === 'text' && own === 'none' && typeof v !== 'string') return toText(v);
  return v;
}

export interface CompareSpec {
  readonly left: Affinity;
  readonly right: Affinity;
  readonly collation: Collation;
}

export function compare(op: string, leftRaw: SqlValue, rightRaw: SqlValue, spec: CompareSpec): Truth {
  const left = forComparison(leftRaw, spec.left, spec.right);
  const right = forComparison(rightRaw, spec.right, spec.left);
  if (left === null || right === null) {
    if (op === 'IS') return left === right ? 1 : 0;
    if (op === 'IS NOT') return left === right ? 0 : 1;
    return null;
  }
  const c = compareValues(left, right, spec.collation);
  switch (op) {
    case '=':
    case 'IS':
      return c === 0 ? 1 : 0;
    case '<>':
    case 'IS NOT':
      return c !== 0 ? 1 : 0;
    case '<':
      return c < 0 ? 1 : 0;
    case '<=':
      return c <= 0 ? 1 : 0;
    case '>':
      return c > 0 ? 1 : 0;
    case '>=':
      return c >= 0 ? 1 : 0;
    default:
      throw new Error(`unknown comparison ${op}`);
  }
}

/**
 * A key that two values share exactly when they are equal for GROUP BY, DISTINCT and an equi-join's index (1 and
 * 1.0 are one group, '1' and 1 are not; text by its collation). Keys go into Maps only, never object properties.
 */
export function valueKey(v: SqlValue, collation: Collation): string {
  if (v === null) return 'N';
  if (typeof v === 'string') return `s${collation === 'BINARY' ? v : collationKey(v, collation)}`;
  if (typeof v === 'bigint') return `n${v}`;
  const n = numberOf(v);
  // an integral number's key is its exact digits, so 2^60 and 2^60.0 share one
  return Number.isInteger(n) && !Number.isSafeInteger(n) && Number.isFinite(n) ? `n${BigInt(n)}` : `n${n === 0 ? 0 : n}`;
}
