import { unfinished } from './sqlite-functions';
import type { TopLevel } from './local-expr';
import * as values from './sqlite-values';

/**
 * What the engine does after alasql has run a top-level SELECT: SQLite's DISTINCT (rows that differ only in hidden
 * order columns are one row; case-insensitive columns fold), ORDER BY, OFFSET/LIMIT, and values as SQLite returns them.
 * alasql would key DISTINCT rows in a plain object and sort NULL and 0 as ''.
 */
/** SQLite's ORDER BY (NULLs first ascending, numbers before text), then OFFSET/LIMIT; values as SQLite returns them. */
export function finishTopLevel(rows: Record<string, unknown>[], top: TopLevel): Record<string, unknown>[] {
  let out = rows;
  if (top.distinct) {
    const seen = new Set<string>();
    out = out.filter((row) => {
      const key = JSON.stringify(Object.entries(row).filter(([k]) => !top.hidden.includes(k)).map(([k, v]) => {
        const value = values.sqlValue(v);
        return top.folded.includes(k) && typeof value === 'string' ? value.toLowerCase() : value;
      }));
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }
  if (top.order.length > 0) {
    const keyed = out.map((row, index) => ({ row, index, keys: top.order.map((o) => {
      const v = values.sqlValue(row[o.key]);
      return o.caseInsensitive && typeof v === 'string' ? v.toLowerCase() : v;
    }) }));
    keyed.sort((a, b) => {
      for (const [i, term] of top.order.entries()) {
        const x = a.keys[i]!;
        const y = b.keys[i]!;
        if (term.nulls && (x === null) !== (y === null)) return (x === null) === (term.nulls === 'FIRST') ? -1 : 1;
        const c = values.compareValues(x, y);
        if (c !== 0) return term.descending ? -c : c;
      }
      return a.index - b.index;
    });
    out = keyed.map((k) => k.row);
  }
  if (top.offset > 0 || top.limit !== undefined) out = out.slice(top.offset, top.limit === undefined ? undefined : top.offset + top.limit);
  if (top.hidden.length === 0) {
    // alasql built every result row as a new object literal (never a source row): normalized in place, keeping its
    // hidden class for TypeORM's hydration, and only the values SQLite would return differently are written.
    for (const row of out) {
      for (const key in row) {
        const value = row[key];
        if (value === undefined || typeof value === 'boolean' || (typeof value === 'object' && value !== null)) row[key] = sqliteResult(value);
      }
    }
    return out;
  }
  const hidden = new Set(top.hidden);
  return out.map((row) => {
    const clean: Record<string, unknown> = {};
    for (const key in row) if (!hidden.has(key)) clean[key] = sqliteResult(row[key]);
    return clean;
  });
}

/** A value as SQLite returns it: NULL for a missing value, 1/0 for booleans, an aggregate's final value. */
function sqliteResult(value: unknown): unknown {
  return value === undefined ? null : typeof value === 'boolean' ? (value ? 1 : 0) : unfinished(value) ?? value;
}

