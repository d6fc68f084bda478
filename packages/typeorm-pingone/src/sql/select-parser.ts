import { ExprParser } from './expr-parser';
import { selectNode, type SelectParts } from './select-node';
import type { Expr, FromItem, JoinMode, JoinTree, OrderTerm, OutputItem, SelectNode } from './sql-ast';

/**
 * SQLite's SELECT: WITH (non-recursive), the select list, FROM with joins (comma, INNER, LEFT, CROSS and
 * parenthesized joins; derived tables; common table expressions resolved before tables), WHERE, GROUP BY, HAVING,
 * ORDER BY and LIMIT/OFFSET, refusing what the driver does not run by the name the user wrote it with.
 */
export abstract class SelectParser extends ExprParser {
  /** common table expressions in scope, innermost last */
  readonly #ctes: Map<string, SelectNode>[] = [];

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

  protected select(): SelectNode {
    const scoped = this.with();
    try {
      if (this.isWord('VALUES')) this.refuse('VALUES as a query', 'Select from the tables instead.');
      const parts = this.core();
      if (['UNION', 'EXCEPT', 'INTERSECT'].some((w) => this.isWord(w))) {
        this.refuse(
          `${(this.peek() as { upper: string }).upper} (compound SELECT)`,
          'Run the SELECTs separately and combine the results in code, or use OR / IN in one WHERE.',
        );
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
    if (this.isWord('RECURSIVE'))
      this.refuse(
        'WITH RECURSIVE (a recursive common table expression)',
        'Only non-recursive WITH runs: read the rows and recurse in code.',
      );
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
  protected alias(): string {
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
    if (this.isWord('RIGHT') || this.isWord('FULL'))
      this.refuse(`${(this.peek() as { upper: string }).upper} JOIN`, 'Write it as a LEFT JOIN with the tables swapped, or an INNER JOIN.');
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
    if (this.isOp('('))
      this.refuse(`the table-valued function ${name}()`, 'Select from the tables users, groups, populations or memberships.');
    const alias = this.tableAlias();
    if (this.isWord('INDEXED') || (this.isWord('NOT') && this.isWord('INDEXED', 1)))
      this.refuse('INDEXED BY', 'PingOne has no indexes to choose from.');
    const cte = this.#cte(name);
    const item: FromItem = cte ? { k: 'derived', select: cte, alias: alias ?? name } : { k: 'table', table: name, alias: alias ?? name };
    return { k: 'item', item };
  }

  #cte(name: string): SelectNode | undefined {
    const key = name.toLowerCase();
    for (let i = this.#ctes.length - 1; i >= 0; i--) {
      const hit = this.#ctes[i].get(key);
      if (hit) return hit;
    }
    return undefined;
  }

  private tableAlias(): string | undefined {
    if (this.acceptWord('AS')) return this.alias();
    if (this.isName() || this.peek().t === 'string') return this.alias();
    return undefined;
  }

  protected list<T>(item: () => T): T[] {
    const out = [item()];
    while (this.acceptOp(',')) out.push(item());
    return out;
  }

  /** `a, b, c)` after an opening parenthesis. */
  protected columnList(): string[] {
    const columns = this.list(() => this.name('in a column list'));
    this.expectOp(')', 'closing the column list');
    return columns;
  }
}
