import alasql from 'alasql';
import { PingOneDriverError } from '../errors';
import { normalizeStatement } from './normalize-ast';
import type { Statement } from './sql-ast';
import { toAlasqlDialect } from './sqlite-dialect';

/**
 * The only module that imports alasql. Statements are parsed once per SQL text (a bounded cache: TypeORM inlines
 * numbers, so texts vary) and every SELECT runs in a fresh, private alasql database holding just the rows fetched
 * for it, so concurrent queries never see each other's rows.
 */
export interface ParsedSql {
  readonly sql: string;
  readonly statement: Statement;
}

export interface LocalTable {
  readonly columns: readonly string[];
  readonly rows: readonly Record<string, unknown>[];
}

const CACHE_LIMIT = 500;
const cache = new Map<string, ParsedSql>();
let databaseCounter = 0;

export function parseSql(sql: string): ParsedSql {
  const hit = cache.get(sql);
  if (hit) {
    cache.delete(sql); // refresh its place: the cache evicts the least recently used text
    cache.set(sql, hit);
    return hit;
  }
  const rewritten = toAlasqlDialect(sql);
  let parsed: ParsedSql;
  try {
    const ast = alasql.parse(rewritten);
    if (ast.statements.length !== 1) throw new Error(`expected one statement, found ${ast.statements.length}`);
    parsed = Object.freeze({ sql: rewritten, statement: normalizeStatement(ast.statements[0]!, rewritten) });
  } catch (error) {
    if (error instanceof PingOneDriverError) throw error;
    throw new PingOneDriverError('SQL_ERROR', `The SQL could not be parsed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}. ` +
      'The driver understands the SQLite dialect TypeORM emits; simplify hand-written SQL (standard SELECT with JOIN, WHERE, GROUP BY, ORDER BY, LIMIT).', { cause: error });
  }
  cache.set(sql, parsed);
  if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  return parsed;
}

/** Runs a parsed SELECT over the given tables in a private database and returns its rows. */
export function runLocal(parsed: ParsedSql, params: readonly unknown[], tables: ReadonlyMap<string, LocalTable>): Record<string, unknown>[] {
  const id = `pingone_${++databaseCounter}`;
  const db = new alasql.Database(id);
  try {
    for (const [name, table] of tables) {
      db.exec(`CREATE TABLE \`${name.replace(/`/g, '``')}\` (${table.columns.map((c) => `\`${c.replace(/`/g, '``')}\``).join(', ')})`);
      const target = db.tables[name] as { data: unknown[] };
      // Fresh objects: alasql may annotate rows, and the fetched rows are shared with other tables of the plan.
      target.data = table.rows.map((row) => ({ ...row }));
    }
    const result = db.exec<unknown>(parsed.sql, [...params]);
    return Array.isArray(result) ? (result as Record<string, unknown>[]) : [];
  } catch (error) {
    if (error instanceof PingOneDriverError) throw error;
    throw new PingOneDriverError('SQL_ERROR', `Running the query locally failed: ${error instanceof Error ? error.message : String(error)}. ` +
      'This construct is outside what the driver supports; rewrite it with plain comparisons, joins and aggregates.', { cause: error });
  } finally {
    delete (alasql.databases as Record<string, unknown>)[id];
  }
}
