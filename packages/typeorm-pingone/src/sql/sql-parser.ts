import { SelectParser } from './select-parser';
import { tokenize } from './sql-lexer';
import { tooComplex, type SqlLimits } from './statement-limits';
import { PingOneDriverError } from '../errors';
import type { SetItem, Statement, Upsert } from './sql-ast';

/** A statement read from its text: the tree, and what the caches and binder need to know about it. */
export interface ParsedStatement {
  readonly statement: Statement;
  /** how many positional parameters the text uses (the largest ?NNN or the count of ?) */
  readonly paramCount: number;
  /** tokens in the text, a measure of the tree's size for the parse cache */
  readonly tokenCount: number;
}

const CONTROL = new Set(['BEGIN', 'COMMIT', 'END', 'ROLLBACK', 'SAVEPOINT', 'RELEASE', 'PRAGMA']);
const OTHER = new Set([
  'CREATE',
  'DROP',
  'ALTER',
  'ATTACH',
  'DETACH',
  'VACUUM',
  'ANALYZE',
  'REINDEX',
  'REPLACE',
  'SHOW',
  'USE',
  'DECLARE',
  'SET',
  'TRUNCATE',
  'GRANT',
  'MERGE',
  'CALL',
  'EXEC',
  'EXECUTE',
  'SOURCE',
  'REQUIRE',
  'PRINT',
  'IF',
  'WHILE',
  'LOAD',
]);

/** Parses one SQLite statement (an optional trailing `;`). Checks the size limit before reading anything. */
export function parseStatement(sql: string, limits: SqlLimits): ParsedStatement {
  if (sql.length > limits.maxStatementLength)
    throw tooComplex(`${sql.length} characters of SQL`, limits.maxStatementLength, 'maxStatementLength');
  const tokens = tokenize(sql);
  const parser = new SqlParser(sql, tokens, limits);
  const statement = deepGuard(() => parser.statement(), limits);
  return { statement, paramCount: parser.paramCount, tokenCount: tokens.length };
}

/**
 * A statement nested deeper than the JavaScript stack allows (possible only with a raised depth limit: the default
 * stays well inside node's default stack) is refused too, saying that the stack, not the option, was the limit.
 */
export function deepGuard<T>(work: () => T, limits: SqlLimits): T {
  try {
    return work();
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new PingOneDriverError(
      'STATEMENT_TOO_COMPLEX',
      `The statement is too complex: it nests deeper than this process's JavaScript stack can read, below sqlLimits.maxExpressionDepth (${limits.maxExpressionDepth}). ` +
        'Nothing was run and no request was sent. Nest less (split the statement, or write long AND/OR chains without parentheses around each term), ' +
        'or start node with a larger stack (node --stack-size=…) if this depth is intended.',
      { cause: error },
    );
  }
}

class SqlParser extends SelectParser {
  get paramCount(): number {
    return this.maxParam;
  }

  statement(): Statement {
    let statement: Statement;
    if (this.acceptWord('EXPLAIN')) {
      if (this.acceptWord('QUERY', 'PLAN'))
        this.refuse(
          'EXPLAIN QUERY PLAN',
          'Write EXPLAIN SELECT … for the PingOne request plan, or EXPLAIN ANALYZE SELECT … to run it and see each request.',
        );
      const analyze = this.acceptWord('ANALYZE');
      statement = { kind: 'explain', analyze, statement: this.plain() };
    } else {
      statement = this.plain();
    }
    this.acceptOp(';');
    if (this.peek().t !== 'eof') {
      throw this.error('expected the end of the statement', 'Send statements one at a time (one per query() call).');
    }
    return statement;
  }

  private plain(): Statement {
    const t = this.peek();
    const word = t.t === 'word' ? t.upper : '';
    if (word === 'SELECT' || word === 'WITH' || word === 'VALUES') return { kind: 'select', select: this.select() };
    if (word === 'INSERT') return this.insert();
    if (word === 'UPDATE') return this.update();
    if (word === 'DELETE') return this.delete();
    if (CONTROL.has(word)) return this.control(word);
    if (OTHER.has(word)) {
      // a statement PingOne has no counterpart for is refused by its keyword: its rest is tokens only
      while (this.peek().t !== 'eof' && !this.isOp(';')) this.next();
      return { kind: 'other', keyword: word };
    }
    throw this.error('expected SELECT, INSERT, UPDATE, DELETE or EXPLAIN');
  }

  /** BEGIN / COMMIT / END / ROLLBACK [TO [SAVEPOINT] x] / SAVEPOINT x / RELEASE [SAVEPOINT] x / PRAGMA …, as SQLite reads them. */
  private control(word: string): Statement {
    this.next();
    switch (word) {
      case 'BEGIN':
        if (!this.acceptWord('DEFERRED') && !this.acceptWord('IMMEDIATE')) this.acceptWord('EXCLUSIVE');
        this.acceptWord('TRANSACTION');
        return { kind: 'control', keyword: 'BEGIN' };
      case 'COMMIT':
      case 'END':
        this.acceptWord('TRANSACTION');
        return { kind: 'control', keyword: 'COMMIT' };
      case 'ROLLBACK':
        this.acceptWord('TRANSACTION');
        if (!this.acceptWord('TO')) return { kind: 'control', keyword: 'ROLLBACK' };
        this.acceptWord('SAVEPOINT');
        this.name('of a savepoint');
        return { kind: 'control', keyword: 'ROLLBACK TO' };
      case 'SAVEPOINT':
        this.name('of a savepoint');
        return { kind: 'control', keyword: 'SAVEPOINT' };
      case 'RELEASE':
        this.acceptWord('SAVEPOINT');
        this.name('of a savepoint');
        return { kind: 'control', keyword: 'RELEASE' };
      default:
        // PRAGMA name [= value | (value)]: read as tokens, nothing to run against PingOne
        while (this.peek().t !== 'eof' && !this.isOp(';')) this.next();
        return { kind: 'control', keyword: 'PRAGMA' };
    }
  }

  /** `[AS alias]` after the table of UPDATE / DELETE: SQLite requires AS there. */
  private writeAlias(): string | undefined {
    return this.acceptWord('AS') ? this.name('as an alias') : undefined;
  }

  private insert(): Statement {
    this.expectWord('INSERT', '');
    if (this.acceptWord('OR'))
      this.refuse(
        `INSERT OR ${this.name('after INSERT OR').toUpperCase()}`,
        'PingOne has no conflict resolution: use repository.upsert() on the unique key, or check first.',
      );
    this.expectWord('INTO', 'after INSERT');
    const table = this.name('after INSERT INTO');
    if (this.isOp('.')) this.refuse('a schema-qualified table name', 'Name the table only: PingOne has one schema.');
    this.writeAlias();
    const columns = this.acceptOp('(') ? this.columnList() : [];
    if (this.isWord('DEFAULT')) this.refuse('INSERT … DEFAULT VALUES', 'List the columns and their values.');
    if (this.startsSelect() && !this.isWord('VALUES')) this.refuse('INSERT … SELECT', 'Read the rows, then insert them with VALUES.');
    this.expectWord('VALUES', 'in INSERT … VALUES');
    const rows = this.list(() => {
      this.expectOp('(', 'before a row of VALUES');
      const row = this.list(() => this.expr());
      this.expectOp(')', 'closing a row of VALUES');
      return row;
    });
    const upsert = this.upsertClause();
    this.refuseReturning();
    return { kind: 'insert', table, columns, rows, upsert };
  }

  /** `ON CONFLICT [(columns)] DO NOTHING | DO UPDATE SET …`, as repository.upsert() writes it. */
  private upsertClause(): Upsert | undefined {
    if (!this.acceptWord('ON', 'CONFLICT')) return undefined;
    const target = this.acceptOp('(') ? this.columnList() : [];
    if (this.isWord('WHERE')) this.refuse('ON CONFLICT (…) WHERE (a partial index target)');
    this.expectWord('DO', 'in ON CONFLICT … DO');
    let set: SetItem[] | undefined;
    if (!this.acceptWord('NOTHING')) {
      this.expectWord('UPDATE', 'in ON CONFLICT … DO UPDATE');
      this.expectWord('SET', 'in DO UPDATE SET');
      set = this.setItems();
      if (this.isWord('WHERE')) this.refuse('DO UPDATE … WHERE', 'Filter the rows before the upsert.');
    }
    if (this.isWord('ON')) this.refuse('several ON CONFLICT clauses');
    return { target, set };
  }

  private setItems(): SetItem[] {
    return this.list(() => {
      if (this.isOp('(')) this.refuse('SET (a, b) = (…)', 'Set each column on its own.');
      const column = this.name('in SET');
      if (this.isOp('.')) this.refuse('a qualified column in SET', 'Name the column only.');
      this.expectOp('=', 'in SET column = value');
      return { column, value: this.expr() };
    });
  }

  private refuseReturning(): void {
    if (this.isWord('RETURNING')) this.refuse('RETURNING', 'Read the rows again after the write.');
  }

  private update(): Statement {
    this.expectWord('UPDATE', '');
    if (this.acceptWord('OR')) this.refuse(`UPDATE OR ${this.name('after UPDATE OR').toUpperCase()}`);
    const table = this.name('after UPDATE');
    if (this.isOp('.')) this.refuse('a schema-qualified table name', 'Name the table only: PingOne has one schema.');
    const alias = this.writeAlias();
    this.expectWord('SET', 'in UPDATE … SET');
    const set = this.setItems();
    if (this.isWord('FROM')) this.refuse('UPDATE … FROM', 'Use a sub-query in the WHERE.');
    const where = this.acceptWord('WHERE') ? this.expr() : undefined;
    this.refuseReturning();
    if (this.isWord('ORDER') || this.isWord('LIMIT')) this.refuse('UPDATE … ORDER BY / LIMIT', 'Select the ids first, then update them.');
    return { kind: 'update', table, alias, set, where };
  }

  private delete(): Statement {
    this.expectWord('DELETE', '');
    this.expectWord('FROM', 'after DELETE');
    const table = this.name('after DELETE FROM');
    if (this.isOp('.')) this.refuse('a schema-qualified table name', 'Name the table only: PingOne has one schema.');
    const alias = this.writeAlias();
    const where = this.acceptWord('WHERE') ? this.expr() : undefined;
    this.refuseReturning();
    if (this.isWord('ORDER') || this.isWord('LIMIT')) this.refuse('DELETE … ORDER BY / LIMIT', 'Select the ids first, then delete them.');
    return { kind: 'delete', table, alias, where };
  }
}
