import { PingOneDriverError } from '../errors';
import { syntaxError, type Token } from './sql-lexer';
import { tooComplex, type SqlLimits } from './statement-limits';
import type { Expr } from './sql-ast';

/**
 * Words that are never a bare identifier here (SQLite lets most keywords fall back to identifiers; TypeORM quotes
 * every name, so only these need deciding): a bare word among them ends an expression, a select item or a table.
 */
const RESERVED = new Set([
  'ALL',
  'AND',
  'AS',
  'BETWEEN',
  'BY',
  'CASE',
  'CAST',
  'COLLATE',
  'CROSS',
  'DEFAULT',
  'DELETE',
  'DISTINCT',
  'ELSE',
  'END',
  'ESCAPE',
  'EXCEPT',
  'EXISTS',
  'FROM',
  'FULL',
  'GLOB',
  'GROUP',
  'HAVING',
  'IN',
  'INDEXED',
  'INNER',
  'INSERT',
  'INTERSECT',
  'INTO',
  'IS',
  'ISNULL',
  'JOIN',
  'LEFT',
  'LIKE',
  'LIMIT',
  'MATCH',
  'NATURAL',
  'NOT',
  'NOTNULL',
  'NULL',
  'OFFSET',
  'ON',
  'OR',
  'ORDER',
  'OUTER',
  'REGEXP',
  'RETURNING',
  'RIGHT',
  'SELECT',
  'SET',
  'THEN',
  'UNION',
  'UPDATE',
  'USING',
  'VALUES',
  'WHEN',
  'WHERE',
  'WINDOW',
  'WITH',
]);

/**
 * The token stream of one statement, with the limits it is read under: recursion depth is counted as the parser
 * descends (parentheses, sub-queries, function arguments) and the depth of every expression node as it is built.
 */
export class TokenCursor {
  protected pos = 0;
  #level = 0;
  readonly #depths = new WeakMap<object, number>();
  /** the largest 1-based parameter number seen, and the last `?`'s number (SQLite numbers `?` after the largest) */
  protected maxParam = 0;

  constructor(
    protected readonly sql: string,
    protected readonly tokens: readonly Token[],
    protected readonly limits: SqlLimits,
  ) {}

  protected peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)];
  }

  protected next(): Token {
    const token = this.peek();
    if (token.t !== 'eof') this.pos++;
    return token;
  }

  /** Whether the next token is the keyword (a bare word, any case). */
  protected isWord(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.t === 'word' && t.upper === word;
  }

  protected isOp(op: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.t === 'op' && t.text === op;
  }

  protected acceptWord(...words: string[]): boolean {
    if (!words.every((w, i) => this.isWord(w, i))) return false;
    this.pos += words.length;
    return true;
  }

  protected acceptOp(op: string): boolean {
    if (!this.isOp(op)) return false;
    this.pos++;
    return true;
  }

  protected expectWord(word: string, context: string): void {
    if (!this.acceptWord(word)) throw this.error(`expected ${word} ${context}`);
  }

  protected expectOp(op: string, context: string): void {
    if (!this.acceptOp(op)) throw this.error(`expected "${op}" ${context}`);
  }

  /** Whether the next token can be a name (a quoted identifier, or a bare word that is not reserved). */
  protected isName(offset = 0): boolean {
    const t = this.peek(offset);
    return t.t === 'ident' || (t.t === 'word' && !RESERVED.has(t.upper));
  }

  protected name(context: string): string {
    const t = this.peek();
    if (t.t === 'ident' || (t.t === 'word' && !RESERVED.has(t.upper))) {
      this.pos++;
      return t.text;
    }
    throw this.error(`expected a name ${context}`);
  }

  protected error(what: string, fix = ''): PingOneDriverError {
    const t = this.peek();
    const found = t.t === 'eof' ? 'the end of the statement' : `"${this.sql.slice(t.start, Math.min(t.end, t.start + 40))}"`;
    return syntaxError(this.sql, t.start, `${what}, found ${t.t === 'string' ? 'a string literal' : found}`, fix);
  }

  /** Refuses a construct the driver does not run, by the name the user knows it by. */
  protected refuse(construct: string, hint = ''): never {
    throw new PingOneDriverError(
      'UNSUPPORTED_STATEMENT',
      `The statement uses ${construct}, which the driver does not run.${hint ? ` ${hint}` : ''} ` +
        'It runs SQLite-dialect SELECT (joins, WHERE, GROUP BY/HAVING, ORDER BY, LIMIT/OFFSET, CASE, CAST, sub-queries, WITH, aggregates), INSERT … VALUES, UPDATE and DELETE.',
    );
  }

  /** Descends one level (parentheses, a sub-query, arguments): refused past the depth limit. */
  protected enter(): void {
    if (++this.#level > this.limits.maxExpressionDepth)
      throw tooComplex(
        `expressions nest more than ${this.limits.maxExpressionDepth} deep`,
        this.limits.maxExpressionDepth,
        'maxExpressionDepth',
      );
  }

  protected leave(): void {
    this.#level--;
  }

  /** Records a new node's depth (1 + its deepest child) and refuses trees deeper than the limit. */
  protected node<T extends Expr>(e: T, children: readonly Expr[]): T {
    let depth = 1;
    for (const c of children) depth = Math.max(depth, (this.#depths.get(c) ?? 1) + 1);
    if (depth > this.limits.maxExpressionDepth)
      throw tooComplex(`an expression ${depth} operators deep`, this.limits.maxExpressionDepth, 'maxExpressionDepth');
    this.#depths.set(e, depth);
    return e;
  }

  /** The text of tokens [from, to) as written: SQLite's name for an unaliased expression column. */
  protected textOf(from: number, to: number): string {
    if (to <= from) return '';
    return this.sql.slice(this.tokens[from].start, this.tokens[to - 1].end);
  }
}
