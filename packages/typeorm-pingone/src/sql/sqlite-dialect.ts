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

/**
 * The source text of each item of a statement's top-level select list: SQLite names an unaliased expression column
 * by exactly that text (`MIN("username")`, `COUNT(*)`). Undefined when the text isn't a plain SELECT.
 */
export function selectListItems(sql: string): string[] | undefined {
  const head = /^\s*SELECT\s+(?:DISTINCT\s+|ALL\s+)?/i.exec(sql);
  if (!head) return undefined;
  const items: string[] = [];
  let depth = 0;
  let start = head[0].length;
  let i = start;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (ch === "'" || ch === '"' || ch === '`') {
      i = closingQuote(sql, i, ch) + 1;
      continue;
    }
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (depth === 0 && ch === ',') {
      items.push(sql.slice(start, i).trim());
      start = i + 1;
    } else if (depth === 0 && /\s/.test(ch) && /^\s+FROM\b/i.test(sql.slice(i))) {
      break;
    }
    i++;
  }
  items.push(sql.slice(start, i).trim());
  return items;
}
