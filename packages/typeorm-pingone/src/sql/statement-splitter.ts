import { SqlSyntaxError, tokenize } from './sql-lexer';

/**
 * Where statements end in a script or a shell buffer, by the lexer that reads them (a `;` inside a string, a quoted
 * name or a comment ends nothing). A text that stops inside a string or quoted name is unfinished; after any other
 * lexing error the broken statement runs to the next `;` so that its error can be shown.
 */
export function splitStatements(buffer: string): { statements: string[]; rest: string } {
  const statements: string[] = [];
  let start = 0;
  const push = (end: number) => {
    const text = buffer.slice(start, end).trim();
    if (text) statements.push(text);
  };
  let from = 0;
  for (;;) {
    const tail = buffer.slice(from);
    let tokens;
    try {
      tokens = tokenize(tail);
    } catch (error) {
      if (!(error instanceof SqlSyntaxError)) throw error;
      // the statements before the error are whole
      const good = tokenize(tail.slice(0, error.offset));
      for (const t of good)
        if (t.t === 'op' && t.text === ';') {
          push(from + t.start);
          start = from + t.end;
        }
      if (error.unterminated) return { statements, rest: buffer.slice(start) };
      const semicolon = buffer.indexOf(';', from + error.offset);
      if (semicolon < 0) return { statements, rest: buffer.slice(start) };
      push(semicolon);
      start = semicolon + 1;
      from = start;
      continue;
    }
    for (const t of tokens)
      if (t.t === 'op' && t.text === ';') {
        push(from + t.start);
        start = from + t.end;
      }
    return { statements, rest: buffer.slice(start) };
  }
}

/**
 * The text with every '…' string (and "…", which SQLite reads as a string where no column has that name) replaced
 * by `replacement`, found by the same lexer that reads statements: comments and doubled quotes are understood.
 * Text the lexer can't read past (an unclosed quote) is replaced from there to the end. For redacting secrets in
 * what is stored or shown, never to decide anything about running a statement.
 */
export function replaceLiterals(sql: string, replacement: string): string {
  let tokens;
  let cut = sql.length;
  try {
    tokens = tokenize(sql);
  } catch (error) {
    if (!(error instanceof SqlSyntaxError)) throw error;
    cut = error.offset;
    tokens = tokenize(sql.slice(0, cut));
  }
  let out = '';
  let at = 0;
  for (const t of tokens) {
    if (t.t === 'string' || (t.t === 'ident' && sql[t.start] === '"')) {
      out += sql.slice(at, t.start) + replacement;
      at = t.end;
    }
  }
  return cut < sql.length ? `${out}${sql.slice(at, cut)}${replacement}` : out + sql.slice(at);
}
