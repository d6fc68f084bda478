import { PingOneDriverError } from '../errors';

/**
 * SQLite's tokenizer (tokenize.c), for the text TypeORM and people write: whitespace and both comment forms are
 * skipped, '…' strings double their quote and have no backslash escape ('\' is one backslash), "…", `…` and […] are
 * identifiers, numbers are decimal (with `_` between digits) or 0x hex, parameters are `?` and `?NNN`. A NUL
 * character is refused, as SQLite ends the statement there. Every token keeps its place in the text: SQLite names an
 * unaliased result column by the exact text of its expression, and errors point at line and column.
 */
export type Token =
  /** a bare word: a keyword or an identifier, decided by the parser (`upper` for keyword tests) */
  | { readonly t: 'word'; readonly text: string; readonly upper: string; readonly start: number; readonly end: number }
  /** a quoted identifier: "…", `…` or […] */
  | { readonly t: 'ident'; readonly text: string; readonly start: number; readonly end: number }
  | { readonly t: 'string'; readonly text: string; readonly start: number; readonly end: number }
  /** `big`: the exact digits of an integer beyond JavaScript's safe integers (that still fits 64 bits) */
  | {
      readonly t: 'number';
      readonly value: number;
      readonly real: boolean;
      readonly big?: string;
      readonly start: number;
      readonly end: number;
    }
  /** a positional parameter: `?` (index -1: the next one) or `?NNN` (its 1-based number) */
  | { readonly t: 'param'; readonly number: number; readonly start: number; readonly end: number }
  | { readonly t: 'op'; readonly text: string; readonly start: number; readonly end: number }
  | { readonly t: 'eof'; readonly start: number; readonly end: number };

const OPERATORS = [
  '->>',
  '||',
  '==',
  '!=',
  '<>',
  '<=',
  '>=',
  '<<',
  '>>',
  '->',
  '=',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  '&',
  '|',
  '~',
  '(',
  ')',
  ',',
  '.',
  ';',
];

const isDigit = (c: number) => c >= 48 && c <= 57;
const isHex = (c: number) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
/** SQLite's identifier characters: ASCII letters, digits, `_`, `$`, and every non-ASCII character. */
const isIdStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 128;
const isIdPart = (c: number) => isIdStart(c) || isDigit(c) || c === 36;

/** Line and column (1-based) of an offset, for messages. */
export function positionOf(sql: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < sql.length; i++) {
    if (sql.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * A short excerpt of the text around an offset, safe to show: one line, at most 60 characters, and the contents of
 * string literals replaced by `…` (a statement may carry a password or another secret as a literal).
 */
export function excerptAt(sql: string, offset: number): string {
  const from = Math.max(0, offset - 25);
  return maskLiterals(sql)
    .slice(from, offset + 35)
    .replace(/[\r\n\t]+/g, ' ');
}

/** The text with every '…' literal's contents replaced by `…` padded to the same length (offsets stay valid). */
function maskLiterals(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
    if (ch === "'") {
      let j = i + 1;
      while (j < sql.length && !(sql[j] === "'" && sql[j + 1] !== "'")) j += sql[j] === "'" ? 2 : 1;
      const inner = Math.max(0, Math.min(j, sql.length) - i - 1);
      out += `'${'…'.padEnd(inner, ' ').slice(0, inner)}${j < sql.length ? "'" : ''}`;
      i = j + 1;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

/** A statement that could not be read, with where (`offset`) and whether the text just ended too early. */
export class SqlSyntaxError extends PingOneDriverError {
  constructor(
    message: string,
    readonly offset: number,
    readonly unterminated: boolean,
  ) {
    super('SQL_ERROR', message);
  }
}

export function syntaxError(sql: string, offset: number, what: string, fix = '', unterminated = false): SqlSyntaxError {
  const { line, column } = positionOf(sql, offset);
  return new SqlSyntaxError(
    `The SQL could not be parsed at line ${line}, column ${column}, near "${excerptAt(sql, offset)}": ${what}.` +
      (fix
        ? ` ${fix}`
        : ' The driver reads the SQLite dialect TypeORM emits: SELECT with JOIN, WHERE, GROUP BY, ORDER BY, LIMIT; INSERT … VALUES; UPDATE; DELETE.'),
    offset,
    unterminated,
  );
}

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  const n = sql.length;
  // anywhere, in a literal too: SQLite reads a statement only up to a NUL and refuses what it cut
  const nul = sql.indexOf('\u0000');
  if (nul >= 0) {
    throw syntaxError(
      sql,
      nul,
      'the text contains a NUL character (U+0000), where SQLite ends the statement and refuses it',
      'Remove it; pass a value that contains one as a ? parameter.',
    );
  }
  let i = 0;
  while (i < n) {
    const c = sql.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11) {
      i++;
      continue;
    }
    if (c === 45 && sql.charCodeAt(i + 1) === 45) {
      // -- comment to the end of the line
      const end = sql.indexOf('\n', i + 2);
      i = end < 0 ? n : end + 1;
      continue;
    }
    if (c === 47 && sql.charCodeAt(i + 1) === 42) {
      // /* comment */ (unterminated: to the end, as SQLite)
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
      continue;
    }
    const start = i;
    if (c === 39) {
      // 'string'
      const { text, end } = quoted(sql, i, "'");
      tokens.push({ t: 'string', text, start, end });
      i = end;
    } else if (c === 34 || c === 96) {
      // "identifier" `identifier`
      const { text, end } = quoted(sql, i, sql[i]);
      tokens.push({ t: 'ident', text, start, end });
      i = end;
    } else if (c === 91) {
      // [identifier]
      const close = sql.indexOf(']', i + 1);
      if (close < 0) throw syntaxError(sql, i, 'a [ identifier is never closed', '', true);
      tokens.push({ t: 'ident', text: sql.slice(i + 1, close), start, end: close + 1 });
      i = close + 1;
    } else if (isDigit(c) || (c === 46 && isDigit(sql.charCodeAt(i + 1)))) {
      const token = number(sql, i);
      tokens.push(token);
      i = token.end;
    } else if (isIdStart(c)) {
      let j = i + 1;
      while (j < n && isIdPart(sql.charCodeAt(j))) j++;
      const text = sql.slice(i, j);
      if ((text === 'x' || text === 'X') && sql.charCodeAt(j) === 39) {
        throw syntaxError(sql, i, "BLOB literals (x'…') have no PingOne counterpart", 'Compare text values instead.');
      }
      tokens.push({ t: 'word', text, upper: text.toUpperCase(), start, end: j });
      i = j;
    } else if (c === 63) {
      // ? or ?NNN
      let j = i + 1;
      while (j < n && isDigit(sql.charCodeAt(j))) j++;
      const digits = sql.slice(i + 1, j);
      const number = digits === '' ? -1 : Number(digits);
      if (digits !== '' && (number < 1 || number > 32766)) throw syntaxError(sql, i, `parameter ?${digits} is out of range (1 to 32766)`);
      tokens.push({ t: 'param', number, start, end: j });
      i = j;
    } else if (c === 58 || c === 64 || c === 36) {
      // :name @name $name
      throw syntaxError(
        sql,
        i,
        `the named parameter ${sql.slice(i, i + 20).split(/[^\w:@$]/)[0]}`,
        'Use positional ? parameters (TypeORM binds :name parameters as ? itself).',
      );
    } else {
      const op = OPERATORS.find((o) => sql.startsWith(o, i));
      if (!op) throw syntaxError(sql, i, `unrecognized token "${String.fromCodePoint(sql.codePointAt(i)!)}"`);
      tokens.push({ t: 'op', text: op, start, end: i + op.length });
      i += op.length;
    }
  }
  tokens.push({ t: 'eof', start: n, end: n });
  return tokens;
}

/** A quoted string or identifier starting at `start`; a doubled quote is one quote character. */
function quoted(sql: string, start: number, quote: string): { text: string; end: number } {
  let text = '';
  let i = start + 1;
  for (;;) {
    const close = sql.indexOf(quote, i);
    if (close < 0)
      throw syntaxError(sql, start, quote === "'" ? 'a string literal is never closed' : `a ${quote} identifier is never closed`, '', true);
    text += sql.slice(i, close);
    if (sql[close + 1] === quote) {
      text += quote;
      i = close + 2;
    } else {
      return { text, end: close + 1 };
    }
  }
}

/** A numeric literal: SQLite reads `_` between digits, 0x hex (an integer), and a decimal point or exponent as REAL. */
function number(sql: string, start: number): Token & { t: 'number' } {
  const n = sql.length;
  let i = start;
  if (sql.charCodeAt(i) === 48 && (sql[i + 1] === 'x' || sql[i + 1] === 'X') && isHex(sql.charCodeAt(i + 2))) {
    i += 2;
    while (i < n && (isHex(sql.charCodeAt(i)) || (sql[i] === '_' && isHex(sql.charCodeAt(i + 1)) && isHex(sql.charCodeAt(i - 1))))) i++;
    if (i < n && isIdPart(sql.charCodeAt(i))) throw syntaxError(sql, start, `unrecognized token "${sql.slice(start, i + 1)}"`);
    const hex = sql.slice(start + 2, i).replace(/_/g, '');
    // SQLite reads hex literals as 64-bit two's complement integers
    const big = BigInt.asIntN(64, BigInt(`0x${hex.length > 16 ? hex.slice(-16) : hex}`));
    if (hex.replace(/^0+/, '').length > 16) throw syntaxError(sql, start, `hex literal too big: ${sql.slice(start, i)}`);
    const value = Number(big);
    return { t: 'number', value, real: false, ...(Number.isSafeInteger(value) ? {} : { big: big.toString() }), start, end: i };
  }
  let real = false;
  const digits = () => {
    while (i < n && (isDigit(sql.charCodeAt(i)) || (sql[i] === '_' && isDigit(sql.charCodeAt(i - 1)) && isDigit(sql.charCodeAt(i + 1)))))
      i++;
  };
  digits();
  if (sql[i] === '.') {
    real = true;
    i++;
    digits();
  }
  if (
    (sql[i] === 'e' || sql[i] === 'E') &&
    (isDigit(sql.charCodeAt(i + 1)) || ((sql[i + 1] === '+' || sql[i + 1] === '-') && isDigit(sql.charCodeAt(i + 2))))
  ) {
    real = true;
    i += 2;
    digits();
  }
  if (i < n && isIdPart(sql.charCodeAt(i))) throw syntaxError(sql, start, `unrecognized token "${sql.slice(start, i + 1)}"`);
  const text = sql.slice(start, i).replace(/_/g, '');
  const value = Number(text);
  if (!real && !Number.isSafeInteger(value)) {
    // an integer literal beyond 64 bits is a REAL in SQLite; below, its exact digits are kept
    if (BigInt(text) > 9223372036854775807n) real = true;
    else return { t: 'number', value, real, big: BigInt(text).toString(), start, end: i };
  }
  return { t: 'number', value, real, start, end: i };
}
