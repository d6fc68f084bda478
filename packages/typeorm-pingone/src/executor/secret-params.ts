import { parseSql } from '../sql/alasql-engine';
import type { Expr } from '../sql/sql-ast';
import type { TableMapping } from '../mapping/table-mapping';

/**
 * Parameters with write-only secrets (a user's password) replaced, for the TypeORM logger: TypeORM logs every query
 * with its parameters, and a password must never reach a log line.
 */
export function redactSecretParams(sql: string, params: readonly unknown[], mappings: ReadonlyMap<string, TableMapping> | undefined): unknown[] {
  if (!mappings || params.length === 0 || !/^\s*(INSERT|UPDATE)\b/i.test(sql)) return [...params];
  let statement;
  try {
    statement = parseSql(sql).statement;
  } catch {
    return params.map(() => '[REDACTED: unparsable statement]');
  }
  if (statement.kind !== 'insert' && statement.kind !== 'update') return [...params];
  const mapping = mappings.get(statement.table);
  if (mapping?.kind !== 'resource') return [...params];
  const secret = (column: string) => mapping.byColumn.get(column)?.writeOnly === true;
  const indexes = new Set<number>();
  const mark = (e: Expr | undefined) => { if (e?.k === 'param') indexes.add(e.index); };
  if (statement.kind === 'insert') {
    statement.columns.forEach((c, i) => { if (secret(c)) statement.rows.forEach((row) => mark(row[i])); });
  } else {
    statement.set.forEach((s) => { if (secret(s.column)) mark(s.value); });
  }
  return params.map((p, i) => (indexes.has(i) && p !== null ? '[REDACTED]' : p));
}
