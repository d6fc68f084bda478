import type { LocalColumn } from './name-scope';

/**
 * The pieces sqlite-binder.ts builds with: the nodes it puts into alasql's tree in place of alasql's own expressions,
 * and what the engine applies after alasql has run (ORDER BY, paging, DISTINCT).
 */
export interface Bound {
  readonly node: unknown;
  /** what the expression is when it is a plain column: its affinity and case rule */
  readonly info: LocalColumn;
}

/** An expression alasql compiles through us: its JavaScript comes from `emit`, its name from the original text. */
export class LocalExpr {
  as: string | undefined;

  constructor(private readonly text: string, private readonly parts: readonly unknown[], private readonly emit: (js: string[], context: string) => string) {}

  toJS(context: string, tableid: string, defcols: unknown): string {
    return this.emit(this.parts.map((p) => (p as { toJS(c: string, t: string, d: unknown): string }).toJS(context, tableid, defcols)), context);
  }

  toString(): string {
    return this.text;
  }

  findAggregator(query: unknown): void {
    for (const p of this.parts) (p as { findAggregator?: (q: unknown) => void }).findAggregator?.(query);
  }

  toType(): string {
    return 'unknown';
  }
}

export interface OrderTerm {
  readonly key: string;
  readonly descending: boolean;
  readonly nulls: 'FIRST' | 'LAST' | undefined;
  /** a column PingOne compares case-insensitively orders that way too (as SQLite's COLLATE NOCASE) */
  readonly caseInsensitive: boolean;
}

/** What the engine applies after alasql: ordering, paging and the hidden order columns to drop. */
export interface TopLevel {
  readonly order: readonly OrderTerm[];
  readonly hidden: readonly string[];
  readonly limit: number | undefined;
  readonly offset: number;
  /** SELECT DISTINCT, applied by the engine (alasql keys rows by value in a plain object: `__proto__` vanished) */
  readonly distinct: boolean;
  /** output columns PingOne compares case-insensitively: DISTINCT folds them */
  readonly folded: readonly string[];
}

export const text = (node: unknown): string => {
  try {
    return String((node as { toString(): string }).toString());
  } catch {
    return '?';
  }
};

export const opts = (a: LocalColumn, b: LocalColumn) => JSON.stringify({ left: a.affinity, right: b.affinity, caseInsensitive: a.caseInsensitive || b.caseInsensitive });

