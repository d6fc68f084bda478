import { TokenCursor } from './token-cursor';
import type { Expr, SelectNode } from './sql-ast';

/**
 * SQLite's primary expressions: literals, parameters, column references, calls (with DISTINCT, `*`, refusing FILTER
 * and OVER), CASE, CAST, EXISTS, parenthesized expressions and sub-queries. The operators around them are
 * expr-parser.ts's.
 */
export abstract class PrimaryParser extends TokenCursor {
  /** A whole expression (the operator parser's). */
  abstract expr(): Expr;

  /** A sub-select, after its opening parenthesis (the statement parser's; expressions contain selects). */
  protected abstract subselect(): SelectNode;

  /** Whether a parenthesis here opens a sub-select. */
  protected startsSelect(offset = 0): boolean {
    return this.isWord('SELECT', offset) || this.isWord('WITH', offset) || this.isWord('VALUES', offset);
  }

  /** A prefix NOT applied to the next primary (NOT EXISTS, NOT in an operand position). */
  protected abstract negated(e: Expr): Expr;

  protected primary(): Expr {
    const t = this.peek();
    switch (t.t) {
      case 'number': {
        this.next();
        if (t.real)
          return {
            k: 'lit',
            value: t.value,
            real: true,
            ...(this.sql.slice(t.start, t.end).replace(/_/g, '') === '9223372036854775808' ? { big: '9223372036854775808' } : {}),
          };
        return t.big ? { k: 'lit', value: t.value, big: t.big } : { k: 'lit', value: t.value };
      }
      case 'string':
        this.next();
        return { k: 'lit', value: t.text };
      case 'param': {
        this.next();
        const number = t.number === -1 ? this.maxParam + 1 : t.number;
        this.maxParam = Math.max(this.maxParam, number);
        return { k: 'param', index: number - 1 };
      }
      case 'op':
        if (t.text === '(') return this.parenthesized();
        if (t.text === '*') throw this.error('"*" is only a select-list item or COUNT(*)');
        throw this.error('expected an expression');
      case 'ident':
        return this.columnOrCall();
      case 'word':
        return this.keywordPrimary(t.upper);
      default:
        throw this.error('expected an expression');
    }
  }

  private keywordPrimary(word: string): Expr {
    switch (word) {
      case 'NULL':
        this.next();
        return { k: 'lit', value: null };
      case 'TRUE':
        this.next();
        return { k: 'lit', value: 1 };
      case 'FALSE':
        this.next();
        return { k: 'lit', value: 0 };
      case 'CURRENT_TIMESTAMP':
      case 'CURRENT_DATE':
      case 'CURRENT_TIME':
        this.next();
        return { k: 'func', name: word, args: [] };
      case 'CASE':
        return this.caseExpr();
      case 'CAST':
        return this.castExpr();
      case 'EXISTS': {
        this.next();
        this.expectOp('(', 'after EXISTS');
        return { k: 'exists', select: this.subselect() };
      }
      case 'NOT': {
        this.next(); // NOT EXISTS (…)
        return this.negated(this.primary());
      }
      case 'RAISE':
        return this.refuse('RAISE()', 'It belongs in triggers, which PingOne has none of.');
      case 'SELECT':
        return this.refuse('a sub-query without parentheses', 'Write (SELECT …).');
      default:
        if (!this.isName()) throw this.error('expected an expression');
        return this.columnOrCall();
    }
  }

  private parenthesized(): Expr {
    this.next();
    if (this.startsSelect()) return { k: 'subquery', select: this.subselect() };
    const e = this.expr();
    if (this.isOp(',')) this.refuse('a row value (a, b, …)', 'Compare each column on its own, joined with AND.');
    this.expectOp(')', 'closing the parenthesis');
    return e;
  }

  private caseExpr(): Expr {
    this.next();
    const subject = this.isWord('WHEN') ? undefined : this.expr();
    const whens: { when: Expr; then: Expr }[] = [];
    while (this.acceptWord('WHEN')) {
      const when = this.expr();
      this.expectWord('THEN', 'after CASE … WHEN …');
      whens.push({ when, then: this.expr() });
    }
    if (whens.length === 0) throw this.error('expected WHEN in CASE');
    const otherwise = this.acceptWord('ELSE') ? this.expr() : undefined;
    this.expectWord('END', 'closing CASE');
    const children = [...(subject ? [subject] : []), ...whens.flatMap((w) => [w.when, w.then]), ...(otherwise ? [otherwise] : [])];
    return this.node({ k: 'case', subject, whens, otherwise }, children);
  }

  private castExpr(): Expr {
    this.next();
    this.expectOp('(', 'after CAST');
    const e = this.expr();
    this.expectWord('AS', 'in CAST(… AS type)');
    const from = this.pos;
    while (this.isName() || this.peek().t === 'word') {
      if (this.isOp(')', 0)) break;
      this.next();
      if (this.acceptOp('(')) {
        while (!this.isOp(')') && this.peek().t !== 'eof') this.next();
        this.expectOp(')', 'closing the type size');
        break;
      }
    }
    const type = this.textOf(from, this.pos);
    if (type === '') throw this.error('expected a type name in CAST');
    this.expectOp(')', 'closing CAST');
    return this.node({ k: 'cast', expr: e, type }, [e]);
  }

  /** `col`, `t.col`, or `name(args)`. */
  private columnOrCall(): Expr {
    const first = this.name('in an expression');
    if (this.isOp('(')) return this.call(first);
    if (this.acceptOp('.')) {
      const second = this.name('after "."');
      if (this.isOp('.')) this.refuse('a schema-qualified name', 'Name the table and column only: PingOne has one schema.');
      return { k: 'col', table: first, column: second };
    }
    return { k: 'col', table: undefined, column: first };
  }

  private call(rawName: string): Expr {
    const name = rawName.toUpperCase();
    this.next(); // (
    let distinct: true | undefined;
    let star: true | undefined;
    const args: Expr[] = [];
    if (this.acceptOp('*')) {
      star = true;
    } else if (!this.isOp(')')) {
      if (this.acceptWord('DISTINCT')) distinct = true;
      else this.acceptWord('ALL');
      do args.push(this.expr());
      while (this.acceptOp(','));
      if (this.isWord('ORDER')) this.refuse(`ORDER BY inside ${name}()`, 'Order the rows in an inner SELECT instead.');
    }
    this.expectOp(')', `closing ${name}(`);
    if (this.isWord('FILTER')) this.refuse('an aggregate FILTER clause', 'Write the condition in a CASE inside the aggregate.');
    if (this.isWord('OVER')) this.refuse('window functions (OVER)', 'Aggregate with GROUP BY, or compute the window in code.');
    return this.node({ k: 'func', name, args, ...(distinct ? { distinct } : {}), ...(star ? { star } : {}) }, args);
  }
}
