import { PingOneDriverError } from '../errors';
import { TreeMapper } from './canonical-tree';
import { compileExpr, type CompileContext } from './expr-compiler';
import { findByName, NameScope, unknownTable, type LocalColumn, type ScopeSource } from './name-scope';
import type { BindEnv } from './select-binder';
import type { Expr, FromItem, Statement } from './sql-ast';

/**
 * INSERT, UPDATE and DELETE checked against the tables before any request: the table, every column written or
 * compared, every name in the WHERE and the values (a column in VALUES is SQLite's "no such column"). Returns the
 * statement with canonical table and column names, as the write executor reads it.
 */
type Write = Extract<Statement, { kind: 'insert' | 'update' | 'delete' }>;

export function bindWrite(s: Write, env: BindEnv): Write {
  const tables = [...env.tables.keys()];
  const table = findByName(tables, s.table, (n) => n);
  if (table === undefined) throw unknownTable(s.table, tables);
  const columns = env.tables.get(table)!;
  const columnName = (name: string) => {
    const c = findByName(columns, name, (x) => x.name);
    if (!c)
      throw new PingOneDriverError('SQL_ERROR', `no such column: ${name} (table ${table} has ${columns.map((x) => x.name).join(', ')}).`);
    return c.name;
  };
  const source = (alias: string): ScopeSource => ({
    alias,
    table,
    path: ['a0'],
    columns: columns.map((c: LocalColumn) => ({
      name: c.name,
      key: c.name,
      info: { affinity: c.affinity, collation: { name: c.caseInsensitive ? 'PINGONE' : 'BINARY', explicit: false } },
    })),
  });
  const resolved = new Map<Expr, { table: string; column: string }>();
  const ctx = (scope: NameScope, clause: string): CompileContext => ({
    scope,
    clause,
    aggregates: undefined,
    inAggregate: false,
    aliases: undefined,
    subqueries: env.subqueries,
    onColumn: (node, r) => {
      resolved.set(node, { table: r.source.alias, column: r.column.name });
      env.onColumn?.(node, r);
    },
  });
  const mapper = new TreeMapper({ columns: resolved, tables: new Map<FromItem, string>() });

  if (s.kind === 'insert') {
    const names = s.columns.length > 0 ? s.columns.map(columnName) : columns.map((c) => c.name);
    const empty = new NameScope([], undefined);
    for (const row of s.rows) {
      if (row.length !== names.length)
        throw new PingOneDriverError(
          'SQL_ERROR',
          `${row.length} values for ${names.length} columns (SQLite's error): give one value per column of the INSERT.`,
        );
      for (const value of row) compileExpr(value, ctx(empty, 'VALUES'));
    }
    let upsert = s.upsert;
    if (upsert) {
      const scope = new NameScope([source(s.table), { ...source('excluded'), path: ['a1'] }], undefined);
      const set = upsert.set?.map((item) => {
        compileExpr(item.value, ctx(scope, 'DO UPDATE SET'));
        return { column: columnName(item.column), value: item.value };
      });
      upsert = { target: upsert.target.map(columnName), set };
    }
    return { ...s, table, columns: names, upsert };
  }
  const scope = new NameScope([source(s.alias ?? s.table)], undefined);
  if (s.where) compileExpr(s.where, ctx(scope, 'WHERE'));
  const where = s.where && mapper.expr(s.where);
  if (s.kind === 'update') {
    const set = s.set.map((item) => {
      compileExpr(item.value, ctx(scope, 'SET'));
      return { column: columnName(item.column), value: mapper.expr(item.value) };
    });
    return { ...s, table, set, where };
  }
  return { ...s, table, where };
}
