import type { LocalColumn } from './name-scope';

/**
 * Cache keys of the SQL engine (sql-engine.ts): what a bound statement depends on. The binder's work depends only
 * on the statement's text, its parameters and the tables' names and columns; a database only on the tables.
 */
type Tables = ReadonlyMap<string, readonly LocalColumn[] | { readonly columns: readonly LocalColumn[] }>;

/** The text of a table's columns, once per columns array (the driver keeps one per mapping, resource-store.ts). */
const columnsText = new WeakMap<readonly LocalColumn[], string>();

/** Every table's name and columns, as text. */
export function tablesKey(tables: Tables): string {
  let out = '';
  for (const [name, table] of tables) {
    const columns = 'columns' in table ? table.columns : table;
    let text = columnsText.get(columns);
    if (text === undefined) {
      text = JSON.stringify(columns);
      columnsText.set(columns, text);
    }
    out += `${JSON.stringify(name)}:${text};`;
  }
  return out;
}

/** The key of a statement bound to tables, or undefined when a parameter isn't a plain primitive (its text could stand for another value). */
export function statementKey(sql: string, params: readonly unknown[], tables: Tables): string | undefined {
  const parts: string[] = [];
  for (const p of params) {
    if (p === null || p === undefined || typeof p === 'string' || typeof p === 'number' || typeof p === 'boolean' || typeof p === 'bigint')
      parts.push(`${p === null ? 'null' : typeof p}:${String(p)}`);
    else return undefined;
  }
  return JSON.stringify([sql, tablesKey(tables), parts]);
}
