import { PingOneDriverError } from '../errors';
import type { Affinity } from './sqlite-values';

/**
 * Name resolution with SQLite's rules: table, alias and column names match case-insensitively, an unqualified
 * column must belong to exactly one table in scope (inner scopes first, then the enclosing statement's, for
 * correlated sub-queries), ORDER BY / GROUP BY / HAVING may also name the select list's aliases. Nothing is guessed:
 * an unknown name is an error that lists what exists.
 */
export interface LocalColumn {
  readonly name: string;
  readonly affinity: Affinity;
  /** PingOne compares the attribute case-insensitively (username, email) */
  readonly caseInsensitive: boolean;
}

export interface ScopeTable {
  readonly alias: string;
  /** the table the alias reads ('(sub-query)' for derived tables) */
  readonly table: string;
  readonly columns: readonly LocalColumn[];
}

export const NO_INFO: LocalColumn = Object.freeze({ name: '', affinity: 'none', caseInsensitive: false });

export class NameScope {
  /** output aliases of the select list, visible to ORDER BY, GROUP BY and HAVING */
  outputs: ReadonlyMap<string, LocalColumn> = new Map();

  constructor(readonly tables: readonly ScopeTable[], readonly parent: NameScope | undefined) {}

  /** The column a reference means, with its canonical alias and name. */
  resolve(tableid: string | undefined, columnid: string, allowOutputs: boolean): { alias: string | undefined; column: LocalColumn } {
    if (tableid !== undefined) {
      for (let scope: NameScope | undefined = this; scope; scope = scope.parent) {
        const table = findByName(scope.tables, tableid, (t) => t.alias);
        if (!table) continue;
        if (columnid === '*') return { alias: table.alias, column: NO_INFO };
        const column = findByName(table.columns, columnid, (c) => c.name);
        if (!column) throw unknownColumn(`${tableid}.${columnid}`, [table]);
        return { alias: table.alias, column };
      }
      throw new PingOneDriverError('SQL_ERROR', `no such table or alias: ${tableid} (in ${tableid}.${columnid}). ` +
        `Tables and aliases in this statement: ${this.allTables().map((t) => t.alias === t.table ? t.table : `${t.table} AS ${t.alias}`).join(', ') || 'none'}.`);
    }
    if (columnid === '*') return { alias: undefined, column: NO_INFO };
    if (allowOutputs) {
      const output = findByName([...this.outputs.entries()], columnid, ([name]) => name);
      if (output) return { alias: undefined, column: { ...output[1], name: output[0] } };
    }
    for (let scope: NameScope | undefined = this; scope; scope = scope.parent) {
      const matches = scope.tables.flatMap((t) => {
        const c = findByName(t.columns, columnid, (x) => x.name);
        return c ? [{ alias: t.alias, column: c }] : [];
      });
      if (matches.length > 1) {
        throw new PingOneDriverError('SQL_ERROR', `ambiguous column name: ${columnid} (in ${matches.map((m) => m.alias).join(' and ')}). Qualify it, e.g. ${matches[0]!.alias}.${columnid}.`);
      }
      if (matches.length === 1) return matches[0]!;
    }
    throw unknownColumn(columnid, this.allTables());
  }

  private allTables(): ScopeTable[] {
    const out: ScopeTable[] = [];
    for (let scope: NameScope | undefined = this; scope; scope = scope.parent) out.push(...scope.tables);
    return out;
  }
}

function findByName<T>(items: readonly T[], name: string, key: (item: T) => string): T | undefined {
  const exact = items.find((item) => key(item) === name);
  if (exact) return exact;
  const lower = name.toLowerCase();
  const folded = items.filter((item) => key(item).toLowerCase() === lower);
  return folded.length === 1 ? folded[0] : undefined;
}

function unknownColumn(reference: string, tables: readonly ScopeTable[]): PingOneDriverError {
  const lists = tables.map((t) => `${t.alias === t.table ? t.table : `${t.alias} (${t.table})`}: ${t.columns.map((c) => c.name).join(', ')}`);
  return new PingOneDriverError('SQL_ERROR', `no such column: ${reference}. Raw SQL names columns by the entity's database column names; ` +
    `${lists.length > 0 ? `the tables in scope have ${lists.join('; ')}` : 'no table is in scope'}.`);
}

export function unknownTable(table: string, known: readonly string[]): PingOneDriverError {
  return new PingOneDriverError('SQL_ERROR', `no such table: ${table}. Tables of this DataSource: ${known.join(', ') || 'none'} ` +
    '(an entity\'s table name, e.g. @Entity(\'users\')).');
}
