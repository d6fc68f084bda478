/**
 * TypeORM's SQLite dialect → what alasql parses (typeorm-driver-notes.md §8): alasql reads "x" as a string literal,
 * so identifiers become `x` (string literals in '…' are left alone), and SQLite's `LIMIT -1` ("no limit", emitted
 * for skip without take) becomes a large finite limit (alasql returns nothing above 2^32).
 */
export function toAlasqlDialect(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (ch === "'") {
      const end = closingQuote(sql, i, "'");
      out += sql.slice(i, end + 1);
      i = end + 1;
    } else if (ch === '"') {
      const end = closingQuote(sql, i, '"');
      out += '`' + sql.slice(i + 1, end).replace(/""/g, '"').replace(/`/g, '``') + '`';
      i = end + 1;
    } else {
      out += ch;
      i++;
    }
  }
  return out.replace(/\bLIMIT\s+-1\b/gi, 'LIMIT 2147483647');
}

/** Index of the quote closing the one at `start` (a doubled quote is an escaped one), or the last index. */
function closingQuote(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i;
    } else {
      i++;
    }
  }
  return sql.length - 1;
}
