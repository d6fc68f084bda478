import { ExprParser } from './expr-parser';
import { tokenize } from './sql-lexer';
import { tooComplex, type SqlLimits } from './statement-limits';
import { selectNode, type SelectParts } from './select-node';
import type { Expr, FromItem, JoinMode, JoinTree, OrderTerm, OutputItem, SelectNode, SetItem, Statement, Upsert } from './sql-ast';

/** A statement read from its text: the tree, and what the caches and binder need to know about it. */
export interface ParsedStatement {
  readonly statement: Statement;
  /** how many positional parameters the text uses (the largest ?NNN or the count of ?) */
  readonly paramCount: number;
  /** tokens in the text, a measure of the tree's size for the parse cache */
  readonly tokenCount: number;
}

const CONTROL = new Set(['BEGIN', 'COMMIT', 'END', 'ROLLBACK', 'SAVEPOINT', 'RELEASE', 'PRAGMA']);
const OTHER = new Set(['CREATE', 'DROP', 'ALTER', 'ATTACH', 'DETACH', 'VACUUM', 'ANALYZE', 'REINDEX', 'REPLACE', 'SHOW', 'USE', 'DECLARE', 'SET', 'TRUNCATE', 'GRANT', 'MERGE', 'CALL', 'EXEC', 'EXECUTE', 'SOURCE', 'REQUIRE', 'PRINT', 'IF', 'WHILE', 'LOAD']);

/** Parses one SQLite statement (an optional trailing `;`). Checks the size limit before reading anything. */
export function parseStatement(sql: string, limits: SqlLimits): ParsedStatement {
  if (sql.length > limits.maxStatementLength) throw tooComplex(`${sql.length} characters of SQL`, limits.maxStatementLength, 'maxStatementLength');
  const tokens = tokenize(sql);
  const parser = new SqlParser(sql, tokens, limits);
  const statement = deepGuard(() => parser.statement(), limits);
  return { statement, paramCount: parser.paramCount, tokenCount: tokens.length };
}

/** A statement nested deeper than the JavaScript stack allows (with a raised depth limit) is refused the same way. */
export function deepGuard<T>(work: () => T, limits: SqlLimits): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof RangeError) throw tooComplex('the statement nests deeper than this process can read', limits.maxExpressionDepth, 'maxExpressionDepth');
    throw error;
  }
}

class SqlParser extends ExprParser {
  /** common table expressions in scope, innermost last */
  readonly #ctes: Map<string, SelectNode>[] = [];

  get paramCount(): number {
    return this.maxParam;
  }

  statement(): Statement {
    let statement: Statement;
    if (this.acceptWord('EXPLAIN')) {
      if (this.acceptWord('QUERY', 'PLAN')) this.refuse('EXPLAIN QUERY PLAN', 'Write EXPLAIN SELECT … for the PingOne request plan, or EXPLAIN ANALYZE SELECT … to run it and see each request.');
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
      case 'COMMIT': case 'END':
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

  protected subselect(): SelectNode {
    this.enter();
    try {
      const select = this.select();
      this.expectOp(')', 'closing the sub-query');
      return select;
    } finally {
      this.leave();
    }
  }

  private select(): SelectNode {
    const scoped = this.with();
    try {
      if (this.isWord('VALUES')) this.refuse('VALUES as a query', 'Select from the tables instead.');
      const parts = this.core();
      if (['UNION', 'EXCEPT', 'INTERSECT'].some((w) => this.isWord(w))) {
        this.refuse(`${(this.peek() as { upper: string }).upper} (compound SELECT)`, 'Run the SELECTs separately and combine the results in code, or use OR / IN in one WHERE.');
      }
      const order = this.acceptWord('ORDER', 'BY') ? this.list(() => this.orderTerm()) : [];
      let limitExpr: Expr | undefined;
      let offsetExpr: Expr | undefined;
      if (this.acceptWord('LIMIT')) {
        limitExpr = this.expr();
        if (this.acceptWord('OFFSET')) offsetExpr = this.expr();
        else if (this.acceptOp(',')) [offsetExpr, limitExpr] = [limitExpr, this.expr()]; // LIMIT offset, count
      }
      return selectNode({ ...parts, order, limitExpr, offsetExpr });
    } finally {
      if (scoped) this.#ctes.pop();
    }
  }

  /** `WITH name [(columns)] AS (select), …`: names that FROM resolves before tables. */
  private with(): boolean {
    if (!this.acceptWord('WITH')) return false;
    if (this.isWord('RECURSIVE')) this.refuse('WITH RECURSIVE (a recursive common table expression)', 'Only non-recursive WITH runs: read the rows and recurse in code.');
    const scope = new Map<string, SelectNode>();
    this.#ctes.push(scope);
    do {
      const name = this.name('of a common table expression');
      const columns = this.acceptOp('(') ? this.columnList() : undefined;
      this.expectWord('AS', 'in WITH name AS (…)');
      this.acceptWord('NOT');
      this.acceptWord('MATERIALIZED');
      this.expectOp('(', 'before the WITH query');
      let body = this.subselect();
      if (columns) {
        if (columns.length !== body.outputs.length || body.outputs.some((o) => o.expr.k === 'star')) {
          throw this.error(`table ${name} has ${body.outputs.length} values for ${columns.length} columns`);
        }
        body = { ...body, outputs: body.outputs.map((o, i) => ({ ...o, as: columns[i] })) };
      }
      scope.set(name.toLowerCase(), body);
    } while (this.acceptOp(','));
    return true;
  }

  private core(): Omit<SelectParts, 'order' | 'limitExpr' | 'offsetExpr'> {
    this.expectWord('SELECT', 'to start a query');
    const distinct = this.acceptWord('DISTINCT');
    if (!distinct) this.acceptWord('ALL');
    const outputs = this.list(() => this.resultColumn());
    if (this.isWord('INTO')) this.refuse('SELECT … INTO (writing results to a file or a table)', 'Select the rows and write them in code.');
    const source = this.acceptWord('FROM') ? this.joinClause() : undefined;
    const where = this.acceptWord('WHERE') ? this.expr() : undefined;
    const groupBy = this.acceptWord('GROUP', 'BY') ? this.list(() => this.expr()) : [];
    const having = this.acceptWord('HAVING') ? this.expr() : undefined;
    if (this.isWord('WINDOW')) this.refuse('WINDOW (window functions)');
    return { outputs, source, where, groupBy, having, distinct };
  }

  private resultColumn(): OutputItem {
    const from = this.pos;
    if (this.acceptOp('*')) return { expr: { k: 'star', table: undefined }, as: undefined, text: '*' };
    if (this.isName() && this.isOp('.', 1) && this.isOp('*', 2)) {
      const table = this.name('before .*');
      this.pos += 2;
      return { expr: { k: 'star', table }, as: undefined, text: this.textOf(from, this.pos) };
    }
    const expr = this.expr();
    const text = this.textOf(from, this.pos);
    let as: string | undefined;
    if (this.acceptWord('AS')) as = this.alias();
    else if (this.isName() || this.peek().t === 'string') as = this.alias();
    return { expr, as, text };
  }

  /** An alias: a name, or (as SQLite allows) a string literal. */
  private alias(): string {
    const t = this.peek();
    if (t.t === 'string') {
      this.next();
      return t.text;
    }
    return this.name('as an alias');
  }

  private orderTerm(): OrderTerm {
    const expr = this.expr();
    const descending = this.acceptWord('DESC');
    if (!descending) this.acceptWord('ASC');
    let nulls: OrderTerm['nulls'];
    if (this.acceptWord('NULLS')) {
      if (this.acceptWord('FIRST')) nulls = 'FIRST';
      else if (this.acceptWord('LAST')) nulls = 'LAST';
      else throw this.error('expected FIRST or LAST after NULLS');
    }
    return { expr, descending, nulls };
  }

  private joinClause(): JoinTree {
    let tree = this.tableOrSubquery();
    for (;;) {
      let mode: JoinMode;
      if (this.acceptOp(',')) mode = 'CROSS';
      else {
        const joined = this.joinOperator();
        if (!joined) return tree;
        mode = joined;
      }
      const right = this.tableOrSubquery();
      let on: Expr | undefined;
      if (this.acceptWord('ON')) on = this.expr();
      else if (this.isWord('USING')) this.refuse('JOIN … USING', 'Write the ON condition (a.col = b.col).');
      tree = { k: 'join', left: tree, right, mode: mode === 'CROSS' && on ? 'INNER' : mode, on };
    }
  }

  private joinOperator(): JoinMode | undefined {
    if (this.isWord('NATURAL')) this.refuse('NATURAL JOIN', 'Write the ON condition (a.col = b.col).');
    if (this.isWord('RIGHT') || this.isWord('FULL')) this.refuse(`${(this.peek() as { upper: string }).upper} JOIN`, 'Write it as a LEFT JOIN with the tables swapped, or an INNER JOIN.');
    if (this.acceptWord('JOIN')) return 'INNER';
    if (this.acceptWord('INNER', 'JOIN')) return 'INNER';
    if (this.acceptWord('CROSS', 'JOIN')) return 'CROSS';
    if (this.acceptWord('LEFT', 'OUTER', 'JOIN') || this.acceptWord('LEFT', 'JOIN')) return 'LEFT';
    return undefined;
  }

  private tableOrSubquery(): JoinTree {
    if (this.acceptOp('(')) {
      if (this.startsSelect()) {
        const select = this.subselect();
        return { k: 'item', item: { k: 'derived', select, alias: this.tableAlias() ?? '' } };
      }
      this.enter();
      try {
        const tree = this.joinClause();
        this.expectOp(')', 'closing the parenthesized join');
        return tree;
      } finally {
        this.leave();
      }
    }
    const name = this.name('of a table');
    if (this.isOp('.')) this.refuse('a schema-qualified table name', 'Name the table only: PingOne has one schema.');
    if (this.isOp('(')) this.refuse(`the table-valued function ${name}()`, 'Select from the tables users, groups, populations or memberships.');
    const alias = this.tableAlias();
    if (this.isWord('INDEXED') || (this.isWord('NOT') && this.isWord('INDEXED', 1))) this.refuse('INDEXED BY', 'PingOne has no indexes to choose from.');
    const cte = this.#cte(name);
    const item: FromItem = cte ? { k: 'derived', select: cte, alias: alias ?? name } : { k: 'table', table: name, alias: alias ?? name };
    return { k: 'item', item };
  }

  #cte(name: string): SelectNode | undefined {
    const key = name.toLowerCase();
    for (let i = this.#ctes.length - 1; i >= 0; i--) {
      const hit = this.#ctes[i]!.get(key);
      if (hit) return hit;
    }
    return undefined;
  }

  private tableAlias(): string | undefined {
    if (this.acceptWord('AS')) return this.alias();
    if (this.isName() || this.peek().t === 'string') return this.alias();
    return undefined;
  }

  private list<T>(item: () => T): T[] {
    const out = [item()];
    while (this.acceptOp(',')) out.push(item());
    return out;
  }

  /** `a, b, c)` after an opening parenthesis. */
  private columnList(): string[] {
    const columns = this.list(() => this.name('in a column list'));
    this.expectOp(')', 'closing the column list');
    return columns;
  }

  /** `[AS alias]` after the table of UPDATE / DELETE: SQLite requires AS there. */
  private writeAlias(): string | undefined {
    return this.acceptWord('AS') ? this.name('as an alias') : undefined;
  }

  private insert(): Statement {
    this.expectWord('INSERT', '');
    if (this.acceptWord('OR')) this.refuse(`INSERT OR ${this.name('after INSERT OR').toUpperCase()}`, 'PingOne has no conflict resolution: use repository.upsert() on the unique key, or check first.');
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
