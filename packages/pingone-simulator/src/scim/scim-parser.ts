import { ScimFilterSyntaxError } from './scim-errors';
import { SCIM_OPERATORS, type ScimExpression, type ScimLiteral, type ScimOperator } from './scim-expression';

// Bounds keep hostile input from costing more than a few milliseconds or overflowing the stack.
const MAX_LENGTH = 10_000;
const MAX_DEPTH = 64;

type Token =
  | { readonly type: 'punct'; readonly text: '(' | ')' | '[' | ']'; readonly at: number }
  | { readonly type: 'string'; readonly value: string; readonly at: number }
  | { readonly type: 'word'; readonly text: string; readonly at: number }
  | { readonly type: 'end'; readonly at: number };

const WORD = /[A-Za-z0-9_.$:+-]/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++;
    } else if (ch === '(' || ch === ')' || ch === '[' || ch === ']') {
      tokens.push({ type: 'punct', text: ch, at: i++ });
    } else if (ch === '"') {
      const start = i++;
      let raw = '"';
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\') raw += text[i++];
        if (i < text.length) raw += text[i++];
      }
      if (i >= text.length) throw new ScimFilterSyntaxError('unterminated string literal (missing closing ")', start);
      raw += text[i++];
      try {
        tokens.push({ type: 'string', value: JSON.parse(raw) as string, at: start });
      } catch {
        throw new ScimFilterSyntaxError('invalid escape sequence in string literal (use \\" \\\\ \\n \\uXXXX)', start);
      }
    } else if (WORD.test(ch)) {
      const start = i;
      while (i < text.length && WORD.test(text[i])) i++;
      tokens.push({ type: 'word', text: text.slice(start, i), at: start });
    } else {
      throw new ScimFilterSyntaxError(`unexpected character '${ch}'`, i);
    }
  }
  tokens.push({ type: 'end', at: text.length });
  return tokens;
}

const ATTRIBUTE = /^[A-Za-z_$][\w$-]*(\.[A-Za-z_$][\w$-]*)*$/;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

class Parser {
  #pos = 0;
  #depth = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): ScimExpression {
    const expression = this.#or();
    const next = this.#peek();
    if (next.type !== 'end') throw new ScimFilterSyntaxError(`unexpected ${describe(next)} after a complete filter`, next.at);
    return expression;
  }

  #peek(): Token {
    return this.tokens[this.#pos];
  }

  #next(): Token {
    return this.tokens[this.#pos++];
  }

  #keyword(token: Token, word: string): boolean {
    return token.type === 'word' && token.text.toLowerCase() === word;
  }

  #or(): ScimExpression {
    let left = this.#and();
    while (this.#keyword(this.#peek(), 'or')) {
      this.#next();
      left = Object.freeze({ kind: 'or' as const, left, right: this.#and() });
    }
    return left;
  }

  #and(): ScimExpression {
    let left = this.#unary();
    while (this.#keyword(this.#peek(), 'and')) {
      this.#next();
      left = Object.freeze({ kind: 'and' as const, left, right: this.#unary() });
    }
    return left;
  }

  #unary(): ScimExpression {
    if (++this.#depth > MAX_DEPTH) throw new ScimFilterSyntaxError(`filter nested deeper than ${MAX_DEPTH} levels`, this.#peek().at);
    try {
      const token = this.#peek();
      if (this.#keyword(token, 'not')) {
        this.#next();
        this.#expect('(');
        const expression = this.#or();
        this.#expect(')');
        return Object.freeze({ kind: 'not', expression });
      }
      if (token.type === 'punct' && token.text === '(') {
        this.#next();
        const expression = this.#or();
        this.#expect(')');
        return expression;
      }
      return this.#attributeExpression();
    } finally {
      this.#depth--;
    }
  }

  #attributeExpression(): ScimExpression {
    const token = this.#next();
    if (token.type !== 'word' || !ATTRIBUTE.test(token.text)) {
      throw new ScimFilterSyntaxError(`expected an attribute name, found ${describe(token)}`, token.at);
    }
    const attribute = token.text;
    const next = this.#peek();
    if (next.type === 'punct' && next.text === '[') {
      this.#next();
      const filter = this.#or();
      this.#expect(']');
      return Object.freeze({ kind: 'valuePath', attribute, filter });
    }
    const op = this.#next();
    if (op.type === 'word' && op.text.toLowerCase() === 'pr') return Object.freeze({ kind: 'present', attribute });
    const operator = op.type === 'word' ? (op.text.toLowerCase() as ScimOperator) : undefined;
    if (!operator || !SCIM_OPERATORS.includes(operator)) {
      throw new ScimFilterSyntaxError(
        `expected an operator (${SCIM_OPERATORS.join(', ')}, pr) after '${attribute}', found ${describe(op)}`,
        op.at,
      );
    }
    return Object.freeze({ kind: 'compare', attribute, operator, value: this.#literal() });
  }

  #literal(): ScimLiteral {
    const token = this.#next();
    if (token.type === 'string') return token.value;
    if (token.type === 'word') {
      const lower = token.text.toLowerCase();
      if (lower === 'true') return true;
      if (lower === 'false') return false;
      if (lower === 'null') return null;
      if (NUMBER.test(token.text)) return Number(token.text);
    }
    throw new ScimFilterSyntaxError(`expected a value ("string", number, true, false or null), found ${describe(token)}`, token.at);
  }

  #expect(text: '(' | ')' | ']'): void {
    const token = this.#next();
    if (token.type !== 'punct' || token.text !== text)
      throw new ScimFilterSyntaxError(`expected '${text}', found ${describe(token)}`, token.at);
  }
}

function describe(token: Token): string {
  switch (token.type) {
    case 'end':
      return 'the end of the filter';
    case 'string':
      return `the string ${JSON.stringify(token.value)}`;
    default:
      return `'${token.text}'`;
  }
}

export function parseScimFilter(text: string): ScimExpression {
  if (text.length > MAX_LENGTH) throw new ScimFilterSyntaxError(`filter longer than ${MAX_LENGTH} characters`, MAX_LENGTH);
  if (text.trim() === '') throw new ScimFilterSyntaxError('the filter is empty', 0);
  return new Parser(tokenize(text)).parse();
}
