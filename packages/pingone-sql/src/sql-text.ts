/**
 * Just enough SQL lexing for the shell: where statements end, the top-level WHERE of an UPDATE/DELETE, and the
 * select list. Quotes ('…', "…", `…`, […]) and parentheses are skipped; comments (-- …) run to the end of the line.
 */

/** Calls `visit(i, depth)` for every character outside quotes and comments. */
function scan(sql: string, visit: (i: number, depth: number) => boolean | void): void {
  let depth = 0;
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i]!;
    const close = ch === "'" ? "'" : ch === '"' ? '"' : ch === '`' ? '`' : ch === '[' ? ']' : undefined;
    if (close) {
      i = sql.indexOf(close, i + 1);
      if (i < 0) return;
      continue;
    }
    if (ch === '-' && sql[i + 1] === '-') {
      i = sql.indexOf('\n', i);
      if (i < 0) return;
      continue;
    }
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (visit(i, depth) === true) return;
  }
}

/** Complete statements (without their `;`) and the unfinished rest of `buffer`. */
export function splitStatements(buffer: string): { statements: string[]; rest: string } {
  const statements: string[] = [];
  let start = 0;
  scan(buffer, (i) => {
    if (buffer[i] === ';') {
      const text = buffer.slice(start, i).trim();
      if (text) statements.push(text);
      start = i + 1;
    }
  });
  return { statements, rest: buffer.slice(start) };
}

/** Position of the first top-level keyword (whole word, any case), or -1. */
export function keywordAt(sql: string, keyword: string): number {
  let found = -1;
  const word = new RegExp(`^${keyword}\\b`, 'i');
  scan(sql, (i, depth) => {
    if (depth === 0 && !/[\w$]/.test(sql[i - 1] ?? ' ') && word.test(sql.slice(i))) {
      found = i;
      return true;
    }
    return false;
  });
  return found;
}

/** Splits at top-level commas. */
export function splitList(sql: string): string[] {
  const parts: string[] = [];
  let start = 0;
  scan(sql, (i, depth) => {
    if (depth === 0 && sql[i] === ',') {
      parts.push(sql.slice(start, i));
      start = i + 1;
    }
  });
  parts.push(sql.slice(start));
  return parts;
}

export interface DestructiveStatement {
  readonly verb: 'UPDATE' | 'DELETE';
  readonly table: string;
  /** the SELECT COUNT(*) over the same table, alias and WHERE */
  readonly countSql: string;
}

/** An UPDATE or DELETE, with the query that counts the rows it will touch; undefined for anything else. */
export function destructiveStatement(sql: string): DestructiveStatement | undefined {
  const verb = /^\s*(UPDATE|DELETE)\b/i.exec(sql)?.[1]?.toUpperCase() as 'UPDATE' | 'DELETE' | undefined;
  if (!verb) return undefined;
  const at = keywordAt(sql, 'WHERE');
  const head = at < 0 ? sql : sql.slice(0, at);
  const where = at < 0 ? '' : ` ${sql.slice(at).trim()}`;
  const target = verb === 'DELETE'
    ? /^\s*DELETE\s+FROM\s+("[^"]+"|[\w~]+)(?:\s+(?:AS\s+)?(\w+))?\s*$/i.exec(head)
    : /^\s*UPDATE\s+("[^"]+"|[\w~]+)(?:\s+(?!SET\b)(?:AS\s+)?(\w+))?\s+SET\s/i.exec(head);
  if (!target) return undefined;
  const table = target[1]!;
  return { verb, table: table.replace(/^"|"$/g, ''), countSql: `SELECT COUNT(*) AS n FROM ${table}${target[2] ? ` ${target[2]}` : ''}${where}` };
}

/** The name a select-list item gets in the result row (`a.username` → `username`), or undefined for `*` and aliased items. */
function outputName(item: string): string | undefined {
  const text = item.trim();
  if (/\*$/.test(text) || /\sAS\s+\S+$/i.test(text)) return undefined;
  // Only plain column references: an expression's name (`COUNT(*)`) is no identifier to suffix.
  return /^(?:"?[A-Za-z_][\w$~]*"?\.)?"?([A-Za-z_][\w$]*)"?$/.exec(text)?.[1];
}

/**
 * A SELECT whose result columns would share a name (`SELECT a.username, b.username …`) rewritten so each keeps its
 * own: `username`, `username_1`. Rows are objects, so without this the second column overwrites the first.
 */
export function aliasDuplicateColumns(sql: string): string {
  const select = /^\s*(?:EXPLAIN(?:\s+ANALYZE)?\s+)?SELECT\s+(?:DISTINCT\s+)?/i.exec(sql);
  if (!select || /^\s*EXPLAIN/i.test(sql)) return sql;
  const from = keywordAt(sql, 'FROM');
  if (from < 0) return sql;
  const items = splitList(sql.slice(select[0].length, from));
  const seen = new Map<string, number>();
  let changed = false;
  const explicit = new Set(items.map((i) => /\sAS\s+"?([\w$]+)"?\s*$/i.exec(i)?.[1]).filter((n): n is string => n !== undefined));
  const rewritten = items.map((item) => {
    const name = outputName(item);
    if (name === undefined) return item;
    const count = seen.get(name) ?? 0;
    seen.set(name, count + 1);
    if (count === 0) return item;
    let n = count;
    while (explicit.has(`${name}_${n}`) || seen.has(`${name}_${n}`)) n++;
    seen.set(`${name}_${n}`, 1);
    changed = true;
    return `${item.trimEnd()} AS ${name}_${n} `;
  });
  return changed ? `${sql.slice(0, select[0].length)}${rewritten.join(',')}${sql.slice(from)}` : sql;
}
