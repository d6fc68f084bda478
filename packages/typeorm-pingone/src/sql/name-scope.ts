import { PingOneDriverError } from '../errors';
import type { ExprInfo } from './bound-plan';
import type { Affinity } from './sqlite-values';

/**
 * Name resolution with SQLite's rules: table, alias and column names match case-insensitively, an unqualified
 * column must belong to exactly one source in scope (inner scopes first, then the enclosing statement's, for
 * correlated sub-queries). Nothing is guessed: an unknown name is an error that lists what exists.
 */
export interface LocalColumn {
  readonly name: string;
  readonly affinity: Affinity;
  /** PingOne compares the attribute case-insensitively (username, email) */
  readonly caseInsensitive: boolean;
}

export interface ScopeColumn {
  /** the name a reference resolves (`gp.name`) */
  readonly name: string;
  /** the name SQLite gives the column in a result, when it differs (a parenthesized join's repeated `name:1`) */
  readonly resultName?: string;
  /** the property (table rows) or index (derived rows) the value is read from */
  readonly key: string | number;
  readonly info: ExprInfo;
}

export interface ScopeSource {
  /** as declared: the alias, or the table's name ('' for an unaliased sub-query) */
  readonly alias: string;
  /** the table it reads, canonical ('(sub-query)' for derived tables) */
  readonly table: string;
  /** frame keys down to the source's row: ['a0'], or ['a3', 'a4'] inside a parenthesized join */
  readonly path: readonly string[];
  readonly columns: readonly ScopeColumn[];
}

export interface Resolved {
  readonly source: ScopeSource;
  readonly column: ScopeColumn;
  /** 0: this select's sources; n: the n-th enclosing select's */
  readonly level: number;
}

export class NameScope {
  /** set when a name resolves to an enclosing select: the select must be run again for each outer row */
  correlated = false;

  constructor(
    readonly sources: readonly ScopeSource[],
    readonly parent: NameScope | undefined,
  ) {}

  /** The source a qualifier names, in this scope or an enclosing one. */
  source(qualifier: string): { source: ScopeSource; level: number } | undefined {
    for (const [level, scope] of this.#levels()) {
      const source = findByName(scope.sources, qualifier, (s) => s.alias);
      if (source) return { source, level };
    }
    return undefined;
  }

  /** The column a reference means; undefined for an unqualified name no source has (it may be an output alias). */
  resolve(qualifier: string | undefined, name: string): Resolved | undefined {
    if (qualifier !== undefined) {
      const found = this.source(qualifier);
      if (!found) {
        throw new PingOneDriverError(
          'SQL_ERROR',
          `no such table or alias: ${qualifier} (in ${qualifier}.${name}). ` +
            `Tables and aliases in this statement: ${this.#allSources().map(describe).join(', ') || 'none'}.`,
        );
      }
      const column = findByName(found.source.columns, name, (c) => c.name);
      if (!column) throw unknownColumn(`${qualifier}.${name}`, [found.source]);
      return this.#mark({ source: found.source, column, level: found.level });
    }
    for (const [level, scope] of this.#levels()) {
      const matches: Resolved[] = [];
      for (const source of scope.sources) {
        const column = findByName(source.columns, name, (c) => c.name);
        if (column) matches.push({ source, column, level });
      }
      if (matches.length > 1) {
        throw new PingOneDriverError(
          'SQL_ERROR',
          `ambiguous column name: ${name} (in ${matches.map((m) => m.source.alias || '(sub-query)').join(' and ')}). Qualify it, e.g. ${matches[0].source.alias}.${name}.`,
        );
      }
      if (matches.length === 1) return this.#mark(matches[0]);
    }
    return undefined;
  }

  unknown(name: string): PingOneDriverError {
    return unknownColumn(name, this.#allSources());
  }

  /** A name found in an enclosing select makes this select, and each between, correlated. */
  #mark(resolved: Resolved): Resolved {
    for (const [level, scope] of this.#levels()) {
      if (level >= resolved.level) break;
      scope.correlated = true;
    }
    return resolved;
  }

  /** This scope and each enclosing one, with its level (0: this select's). */
  *#levels(level = 0): Generator<readonly [number, NameScope], void, undefined> {
    yield [level, this];
    if (this.parent) yield* this.parent.#levels(level + 1);
  }

  #allSources(): ScopeSource[] {
    const out: ScopeSource[] = [];
    for (const [, scope] of this.#levels()) out.push(...scope.sources);
    return out;
  }
}

const describe = (s: ScopeSource) => (s.alias === s.table ? s.table : `${s.table} AS ${s.alias || '(unnamed)'}`);

/** An exact match, else the one case-insensitive match. */
export function findByName<T>(items: readonly T[], name: string, key: (item: T) => string): T | undefined {
  const exact = items.find((item) => key(item) === name);
  if (exact) return exact;
  const lower = name.toLowerCase();
  const folded = items.filter((item) => key(item).toLowerCase() === lower);
  return folded.length === 1 ? folded[0] : undefined;
}

function unknownColumn(reference: string, sources: readonly ScopeSource[]): PingOneDriverError {
  const lists = sources.map(
    (s) => `${s.alias === s.table ? s.table : `${s.alias || '(sub-query)'} (${s.table})`}: ${s.columns.map((c) => c.name).join(', ')}`,
  );
  return new PingOneDriverError(
    'SQL_ERROR',
    `no such column: ${reference}. Raw SQL names columns by the entity's database column names; ` +
      `${lists.length > 0 ? `the tables in scope have ${lists.join('; ')}` : 'no table is in scope'}.`,
  );
}

export function unknownTable(table: string, known: readonly string[]): PingOneDriverError {
  return new PingOneDriverError(
    'SQL_ERROR',
    `no such table: ${table}. Tables of this DataSource: ${known.join(', ') || 'none'} ` +
      "(an entity's table name, e.g. @Entity('users')).",
  );
}

/**
 * SQLite's names for the columns of a sub-query or parenthesized join (sqlite3ColumnsFromExprList): a name already
 * taken (case-insensitively) becomes `name:1`, `name:2`, … So `SELECT gp.name … JOIN (groups g JOIN populations gp …)`
 * names its column `name:1`, as SQLite does.
 */
export function sqliteColumnNames(names: readonly string[]): string[] {
  const taken = new Set<string>();
  return names.map((base) => {
    let name = base;
    let n = 0;
    while (taken.has(name.toLowerCase())) name = `${base}:${++n}`;
    taken.add(name.toLowerCase());
    return name;
  });
}
