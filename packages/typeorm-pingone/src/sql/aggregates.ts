import { PingOneDriverError } from '../errors';
import { compareValues, valueKey, type Collation } from './sqlite-compare';
import { fitsInt64, integer, isReal, numberOf, real, toNumeric, toText, type SqlValue } from './sqlite-values';

/**
 * SQLite's aggregates (lang_aggfunc.html), one accumulator per group: NULLs are skipped; COUNT of nothing is 0,
 * SUM/AVG/MIN/MAX/GROUP_CONCAT of nothing NULL, TOTAL 0.0; SUM stays INTEGER while every input is an integer (and
 * fails on 64-bit overflow, as SQLite does), AVG and TOTAL are REAL; MIN/MAX and DISTINCT compare by the argument's
 * collation. DISTINCT keeps its seen values in a Set of keys, never in object properties.
 */
export interface Accumulator {
  /** one input row: the argument values (none for COUNT(*)) */
  add(args: readonly SqlValue[]): void;
  result(): SqlValue;
  /** MIN/MAX: whether the last add() set a new extreme (bare columns then come from that row) */
  readonly changed?: boolean;
}

export interface AggregateSpec {
  readonly name: string;
  readonly distinct: boolean;
  readonly star: boolean;
  readonly collation: Collation;
}

class Count implements Accumulator {
  #n = 0;
  constructor(private readonly star: boolean) {}
  add(args: readonly SqlValue[]): void {
    if (this.star || args[0] !== null) this.#n++;
  }
  result(): SqlValue {
    return this.#n;
  }
}

class Sum implements Accumulator {
  #count = 0;
  /** the exact integer sum while every input is an integer: a number while safe, then a bigint */
  #integer: number | bigint = 0;
  #real = 0;
  #approximate = false;
  constructor(private readonly kind: 'SUM' | 'AVG' | 'TOTAL') {}
  add([v]: readonly SqlValue[]): void {
    if (v === null || v === undefined) return;
    this.#count++;
    const n = typeof v === 'string' ? toNumeric(v)! : v;
    // text counts as an integer only when it is one entirely (' 6 '); '7x' and '6.0' make the sum REAL, as SQLite
    const integral = typeof v !== 'string' ? !isReal(v) : !isReal(n) && /^\s*[+-]?\d+\s*$/.test(v);
    if (integral && !this.#approximate) this.#integer = this.#addExact(n as number | bigint);
    else this.#approximate = true;
    this.#real += numberOf(n);
  }
  #addExact(n: number | bigint): number | bigint {
    const sum = this.#integer;
    if (typeof sum === 'number' && typeof n === 'number' && Number.isSafeInteger(sum + n)) return sum + n;
    const exact = BigInt(sum) + BigInt(n);
    if (!fitsInt64(exact)) {
      if (this.kind === 'SUM')
        throw new PingOneDriverError(
          'SQL_ERROR',
          "integer overflow in SUM() (SQLite's error): the sum exceeds 64 bits. Use TOTAL() for a REAL sum.",
        );
      this.#approximate = true;
    }
    return integer(exact);
  }
  result(): SqlValue {
    if (this.kind === 'TOTAL') return real(this.#real);
    if (this.#count === 0) return null;
    if (this.kind === 'AVG') return real(this.#approximate ? this.#real / this.#count : Number(this.#integer) / this.#count);
    return this.#approximate ? real(this.#real) : this.#integer;
  }
}

class Extreme implements Accumulator {
  #best: SqlValue = null;
  changed = false;
  constructor(
    private readonly sign: 1 | -1,
    private readonly collation: Collation,
  ) {}
  add([v]: readonly SqlValue[]): void {
    this.changed = false;
    if (v === null || v === undefined) return;
    if (this.#best === null || this.sign * compareValues(v, this.#best, this.collation) > 0) {
      this.#best = v;
      this.changed = true;
    }
  }
  result(): SqlValue {
    return this.#best;
  }
}

class Concat implements Accumulator {
  #text: string | null = null;
  add([v, separator]: readonly SqlValue[]): void {
    const s = toText(v ?? null);
    if (s === null) return;
    if (this.#text === null) this.#text = s;
    else this.#text += `${separator === undefined ? ',' : (toText(separator) ?? '')}${s}`;
  }
  result(): SqlValue {
    return this.#text;
  }
}

/** Lets each distinct first-argument value through once. */
class Distinct implements Accumulator {
  readonly #seen = new Set<string>();
  constructor(
    private readonly inner: Accumulator,
    private readonly collation: Collation,
  ) {}
  get changed(): boolean | undefined {
    return this.inner.changed;
  }
  add(args: readonly SqlValue[]): void {
    const v = args[0] ?? null;
    if (v === null) return;
    const key = valueKey(v, this.collation);
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    this.inner.add(args);
  }
  result(): SqlValue {
    return this.inner.result();
  }
}

export function accumulator(spec: AggregateSpec): Accumulator {
  let acc: Accumulator;
  switch (spec.name) {
    case 'COUNT':
      acc = new Count(spec.star);
      break;
    case 'SUM':
    case 'AVG':
    case 'TOTAL':
      acc = new Sum(spec.name);
      break;
    case 'MIN':
      acc = new Extreme(-1, spec.collation);
      break;
    case 'MAX':
      acc = new Extreme(1, spec.collation);
      break;
    case 'GROUP_CONCAT':
    case 'STRING_AGG':
      acc = new Concat();
      break;
    default:
      throw new Error(`unknown aggregate ${spec.name}`);
  }
  return spec.distinct ? new Distinct(acc, spec.collation) : acc;
}

/** How many arguments each aggregate takes: [min, max]. */
export const AGGREGATE_ARITY: Readonly<Record<string, readonly [number, number]>> = Object.freeze({
  COUNT: [0, 1],
  SUM: [1, 1],
  AVG: [1, 1],
  TOTAL: [1, 1],
  MIN: [1, 1],
  MAX: [1, 1],
  GROUP_CONCAT: [1, 2],
  STRING_AGG: [2, 2],
});
