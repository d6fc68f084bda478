import { PrimaryParser } from './primary-parser';
import type { BinaryOp, Expr } from './sql-ast';

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

export abstract class ExprParser extends PrimaryParser {
  protected negated(e: Expr): Expr {
    return this.node({ k: 'not', expr: e }, [e]);
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
      case 'OR':
        return OR;
      case 'AND':
        return AND;
      case 'IS':
      case 'IN':
      case 'LIKE':
      case 'GLOB':
      case 'MATCH':
      case 'REGEXP':
      case 'BETWEEN':
      case 'ISNULL':
      case 'NOTNULL':
        return EQUALITY;
      case 'ILIKE':
        return this.refuse(
          'the operator ILIKE',
          "SQLite has no ILIKE: write UPPER(x) LIKE UPPER(?) (TypeORM's ILike does), or LIKE, which ignores ASCII case.",
        );
      case 'NOT':
        return ['IN', 'LIKE', 'GLOB', 'MATCH', 'REGEXP', 'BETWEEN', 'NULL'].some((w) => this.isWord(w, 1)) ? EQUALITY : 0;
      default:
        return 0;
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
    if (to - from === 1) return items[from];
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
        this.refuse(
          "the operator && (PostgreSQL's array overlap, TypeORM's ArrayOverlap)",
          "SQLite has no arrays: a simple-array column is text, so test one value with LIKE '%value%' or read the rows and compare in code.",
        );
      }
      const op = (t.text === '==' ? '=' : t.text === '!=' ? '<>' : t.text) as BinaryOp;
      return this.binary(op, left, this.expr(level + 1));
    }
    const word = t.t === 'word' ? t.upper : '';
    const not = word === 'NOT';
    const keyword = not ? (this.next() as { upper: string }).upper : word;
    switch (keyword) {
      case 'ISNULL':
        return this.node({ k: 'isnull', expr: left, not: false }, [left]);
      case 'NOTNULL':
        return this.node({ k: 'isnull', expr: left, not: true }, [left]);
      case 'NULL':
        return this.node({ k: 'isnull', expr: left, not: true }, [left]); // `x NOT NULL`
      case 'IS':
        return this.is(left);
      case 'IN':
        return this.inList(left, not);
      case 'BETWEEN': {
        const low = this.expr(RELATIONAL);
        this.expectWord('AND', 'in BETWEEN … AND …');
        const high = this.expr(RELATIONAL);
        return this.node({ k: 'between', expr: left, low, high, not }, [left, low, high]);
      }
      case 'LIKE':
      case 'GLOB': {
        const right = this.expr(RELATIONAL);
        const escape = this.acceptWord('ESCAPE') ? this.expr(BITWISE) : undefined;
        return this.binary(`${not ? 'NOT ' : ''}${keyword}` as BinaryOp, left, right, escape);
      }
      default:
        return this.refuse(
          `the operator ${keyword}`,
          keyword === 'REGEXP' || keyword === 'MATCH' ? 'SQLite has no built-in implementation of it; use LIKE.' : '',
        );
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
      do list.push(this.expr());
      while (this.acceptOp(','));
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
      if (op !== '+' && ops[n - 1] === op && ops[n - 2] === op) {
        ops.pop();
        continue;
      }
      ops.push(op);
    }
    let e = this.postfix();
    for (let i = ops.length - 1; i >= 0; i--) {
      // -5 is the literal -5 (the planner compares it as a value); -'5' and - -5 stay operations
      if (ops[i] === '-' && e.k === 'lit' && typeof e.value === 'number' && i === ops.length - 1 && e.value !== 0) e = negatedLiteral(e);
      else e = this.node({ k: 'unary', op: ops[i], expr: e }, [e]);
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
}

/** `-literal` as one literal (the planner compares it as a value); -9223372036854775808 is SQLite's smallest INTEGER. */
function negatedLiteral(e: Expr & { k: 'lit' }): Expr {
  const value = -(e.value as number);
  if (e.big === '9223372036854775808') return { k: 'lit', value, big: '-9223372036854775808' };
  if (e.real) return { k: 'lit', value, real: true };
  return e.big ? { k: 'lit', value, big: e.big.startsWith('-') ? e.big.slice(1) : `-${e.big}` } : { k: 'lit', value };
}
