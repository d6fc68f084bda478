import { TokenCursor } from './token-cursor';
import type { BinaryOp, Expr, SelectNode } from './sql-ast';

/**
 * SQLite's expression grammar by precedence climbing (lang_expr.html "Operators"), lowest first: OR, AND, NOT,
 * equality-level (= == <> != IS IN LIKE GLOB BETWEEN ISNULL NOTNULL), < <= > >=, ESCAPE, bitwise, + -, * / %, ||,
 * COLLATE, unary ~ + -. Runs of one operator are read iteratively: AND/OR chains (TypeORM writes a findBy of n
 * objects as an n-term OR) become balanced trees, so nothing downstream recurses deeper than log n; other chains
 * count against the depth limit, as in SQLite. Runs of NOT or unary minus collapse to at most two.
 */
const OR = 1;
const AND = 2;
const NOT = 3;
const EQUALITY = 4;
const RELATIONAL = 5;
const BITWISE = 7;
const ADDITIVE = 8;
const MULTIPLICATIVE = 9;
const CONCAT = 10;

const RELATIONAL_OPS = new Set(['<', '<=', '>', '>=']);
const BITWISE_OPS = new Set(['&', '|', '<<', '>>']);

export abstract class ExprParser extends TokenCursor {
  /** A sub-select, after its opening parenthesis (the statement parser's; expressions contain selects). */
  protected abstract subselect(): SelectNode;

  /** Whether a parenthesis here opens a sub-select. */
  protected startsSelect(offset = 0): boolean {
    return this.isWord('SELECT', offset) || this.isWord('WITH', offset) || this.isWord('VALUES', offset);
  }

  expr(min = OR): Expr {
    this.enter();
    try {
      let left = min <= NOT && this.isWord('NOT') && !this.isWord('EXISTS', 1) ? this.notPrefix() : this.unary();
      for (;;) {
        const next = this.binaryLevel();
        if (next === 0 || next < min) return left;
        if (next === OR || next === AND) left = this.chain(left, next);
        else left = this.infix(left, next);
      }
    } finally {
      this.leave();
    }
  }

  /** The precedence of the operator at the cursor, 0 when none continues the expression. */
  private binaryLevel(): number {
    const t = this.peek();
    if (t.t === 'op') {
      if (t.text === '=' || t.text === '==' || t.text === '!=' || t.text === '<>') return EQUALITY;
      if (RELATIONAL_OPS.has(t.text)) return RELATIONAL;
      if (BITWISE_OPS.has(t.text)) return BITWISE;
      if (t.text === '+' || t.text === '-') return ADDITIVE;
      if (t.text === '*' || t.text === '/' || t.text === '%') return MULTIPLICATIVE;
      if (t.text === '||' || t.text === '->' || t.text === '->>') return CONCAT;
      return 0;
    }
    if (t.t !== 'word') return 0;
    switch (t.upper) {
      case 'OR': return OR;
      case 'AND': return AND;
      case 'IS': case 'IN': case 'LIKE': case 'GLOB': case 'MATCH': case 'REGEXP': case 'BETWEEN': case 'ISNULL': case 'NOTNULL': return EQUALITY;
      case 'ILIKE': return this.refuse('the operator ILIKE', "SQLite has no ILIKE: write UPPER(x) LIKE UPPER(?) (TypeORM's ILike does), or LIKE, which ignores ASCII case.");
      case 'NOT': return ['IN', 'LIKE', 'GLOB', 'MATCH', 'REGEXP', 'BETWEEN', 'NULL'].some((w) => this.isWord(w, 1)) ? EQUALITY : 0;
      default: return 0;
    }
  }

  /** `a OR b OR c …` (or AND): every operand, then one balanced tree. */
  private chain(first: Expr, level: number): Expr {
    const op = level === OR ? 'OR' : 'AND';
    const operands = [first];
    while (this.acceptWord(op)) operands.push(this.expr(level + 1));
    return this.balanced(op, operands, 0, operands.length);
  }

  private balanced(op: 'AND' | 'OR', items: readonly Expr[], from: number, to: number): Expr {
    if (to - from === 1) return items[from]!;
    const mid = (from + to) >> 1;
    const left = this.balanced(op, items, from, mid);
    const right = this.balanced(op, items, mid, to);
    return this.node({ k: 'op', op, left, right }, [left, right]);
  }

  private binary(op: BinaryOp, left: Expr, right: Expr, escape?: Expr): Expr {
    return this.node({ k: 'op', op, left, right, ...(escape ? { escape } : {}) }, escape ? [left, right, escape] : [left, right]);
  }

  private infix(left: Expr, level: number): Expr {
    const t = this.next();
    if (t.t === 'op') {
      if (t.text === '->' || t.text === '->>') this.refuse(`the JSON operator ${t.text}`, 'Select the column and read the value in code.');
      if (t.text === '&' && this.isOp('&') && this.peek().start === t.end) {
        this.refuse("the operator && (PostgreSQL's array overlap, TypeORM's ArrayOverlap)",
          "SQLite has no arrays: a simple-array column is text, so test one value with LIKE '%value%' or read the rows and compare in code.");
      }
      const op = (t.text === '==' ? '=' : t.text === '!=' ? '<>' : t.text) as BinaryOp;
      return this.binary(op, left, this.expr(level + 1));
    }
    const word = t.t === 'word' ? t.upper : '';
    const not = word === 'NOT';
    const keyword = not ? (this.next() as { upper: string }).upper : word;
    switch (keyword) {
      case 'ISNULL': return this.node({ k: 'isnull', expr: left, not: false }, [left]);
      case 'NOTNULL': return this.node({ k: 'isnull', expr: left, not: true }, [left]);
      case 'NULL': return this.node({ k: 'isnull', expr: left, not: true }, [left]); // `x NOT NULL`
      case 'IS': return this.is(left);
      case 'IN': return this.inList(left, not);
      case 'BETWEEN': {
        const low = this.expr(RELATIONAL);
        this.expectWord('AND', 'in BETWEEN … AND …');
        const high = this.expr(RELATIONAL);
        return this.node({ k: 'between', expr: left, low, high, not }, [left, low, high]);
      }
      case 'LIKE': case 'GLOB': {
        const right = this.expr(RELATIONAL);
        const escape = this.acceptWord('ESCAPE') ? this.expr(BITWISE) : undefined;
        return this.binary(`${not ? 'NOT ' : ''}${keyword}` as BinaryOp, left, right, escape);
      }
      default: return this.refuse(`the operator ${keyword}`, keyword === 'REGEXP' || keyword === 'MATCH' ? 'SQLite has no built-in implementation of it; use LIKE.' : '');
    }
  }

  private is(left: Expr): Expr {
    let not = this.acceptWord('NOT');
    if (this.acceptWord('DISTINCT')) {
      this.expectWord('FROM', 'in IS [NOT] DISTINCT FROM');
      not = !not;
    }
    const right = this.expr(RELATIONAL);
    if (right.k === 'lit' && right.value === null) return this.node({ k: 'isnull', expr: left, not }, [left]);
    return this.binary(not ? 'IS NOT' : 'IS', left, right);
  }

  private inList(left: Expr, not: boolean): Expr {
    if (!this.isOp('(')) this.refuse('IN over a table name or a table-valued function', 'Write IN (SELECT column FROM table).');
    this.next();
    if (this.startsSelect()) {
      const sub: Expr = { k: 'subquery', select: this.subselect() };
      return this.node({ k: 'in', left, list: [sub], not, subquery: true }, [left]);
    }
    const list: Expr[] = [];
    if (!this.acceptOp(')')) {
      do list.push(this.expr()); while (this.acceptOp(','));
      this.expectOp(')', 'closing the IN list');
    }
    return this.node({ k: 'in', left, list, not }, [left, ...list]);
  }

  /** NOT … NOT x: an odd run is NOT x, an even one NOT NOT x (it still turns x into 1/0/NULL). */
  private notPrefix(): Expr {
    let count = 0;
    while (this.isWord('NOT') && !this.isWord('EXISTS', 1)) {
      this.next();
      count++;
    }
    let e = this.expr(EQUALITY);
    for (let i = 0; i < (count % 2 === 1 ? 1 : 2); i++) e = this.node({ k: 'not', expr: e }, [e]);
    return e;
  }

  /** Prefix ~ + -: runs of one operator collapse (two minuses still read text as a number, so they stay two). */
  private unary(): Expr {
    const ops: ('-' | '+' | '~')[] = [];
    for (;;) {
      const t = this.peek();
      if (t.t !== 'op' || (t.text !== '-' && t.text !== '+' && t.text !== '~')) break;
      this.next();
      const op = t.text;
      const n = ops.length;
      if (op === '+' && ops[n - 1] === '+') continue;
      if (op !== '+' && ops[n - 1] === op && ops[n - 2] === op) { ops.pop(); continue; }
      ops.push(op);
    }
    let e = this.postfix();
    for (let i = ops.length - 1; i >= 0; i--) {
      // -5 is the literal -5 (the planner compares it as a value); -'5' and - -5 stay operations
      if (ops[i] === '-' && e.k === 'lit' && typeof e.value === 'number' && i === ops.length - 1 && e.value !== 0) e = negatedLiteral(e);
      else e = this.node({ k: 'unary', op: ops[i]!, expr: e }, [e]);
    }
    return e;
  }

  /** A primary expression and its COLLATE suffixes. */
  private postfix(): Expr {
    let e = this.primary();
    while (this.acceptWord('COLLATE')) {
      const collation = this.name('after COLLATE');
      e = this.node({ k: 'collate', expr: e, collation: collation.toUpperCase() }, [e]);
    }
    return e;
  }

  private primary(): Expr {
    const t = this.peek();
    switch (t.t) {
      case 'number': {
        this.next();
        if (t.real) return { k: 'lit', value: t.value, real: true, ...(this.sql.slice(t.start, t.end).replace(/_/g, '') === '9223372036854775808' ? { big: '9223372036854775808' } : {}) };
        return t.big ? { k: 'lit', value: t.value, big: t.big } : { k: 'lit', value: t.value };
      }
      case 'string': this.next(); return { k: 'lit', value: t.text };
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
      case 'ident': return this.columnOrCall();
      case 'word': return this.keywordPrimary(t.upper);
      default: throw this.error('expected an expression');
    }
  }

  private keywordPrimary(word: string): Expr {
    switch (word) {
      case 'NULL': this.next(); return { k: 'lit', value: null };
      case 'TRUE': this.next(); return { k: 'lit', value: 1 };
      case 'FALSE': this.next(); return { k: 'lit', value: 0 };
      case 'CURRENT_TIMESTAMP': case 'CURRENT_DATE': case 'CURRENT_TIME': this.next(); return { k: 'func', name: word, args: [] };
      case 'CASE': return this.caseExpr();
      case 'CAST': return this.castExpr();
      case 'EXISTS': {
        this.next();
        this.expectOp('(', 'after EXISTS');
        return { k: 'exists', select: this.subselect() };
      }
      case 'NOT': {
        this.next(); // NOT EXISTS (…)
        const e = this.primary();
        return this.node({ k: 'not', expr: e }, [e]);
      }
      case 'RAISE': return this.refuse('RAISE()', 'It belongs in triggers, which PingOne has none of.');
      case 'SELECT': return this.refuse('a sub-query without parentheses', 'Write (SELECT …).');
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
      do args.push(this.expr()); while (this.acceptOp(','));
      if (this.isWord('ORDER')) this.refuse(`ORDER BY inside ${name}()`, 'Order the rows in an inner SELECT instead.');
    }
    this.expectOp(')', `closing ${name}(`);
    if (this.isWord('FILTER')) this.refuse('an aggregate FILTER clause', 'Write the condition in a CASE inside the aggregate.');
    if (this.isWord('OVER')) this.refuse('window functions (OVER)', 'Aggregate with GROUP BY, or compute the window in code.');
    return this.node({ k: 'func', name, args, ...(distinct ? { distinct } : {}), ...(star ? { star } : {}) }, args);
  }
}

/** `-literal` as one literal (the planner compares it as a value); -9223372036854775808 is SQLite's smallest INTEGER. */
function negatedLiteral(e: Expr & { k: 'lit' }): Expr {
  const value = -(e.value as number);
  if (e.big === '9223372036854775808') return { k: 'lit', value, big: '-9223372036854775808' };
  if (e.real) return { k: 'lit', value, real: true };
  return e.big ? { k: 'lit', value, big: e.big.startsWith('-') ? e.big.slice(1) : `-${e.big}` } : { k: 'lit', value };
}
