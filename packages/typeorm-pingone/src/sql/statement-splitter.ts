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
      for (const t of good) if (t.t === 'op' && t.text === ';') { push(from + t.start); start = from + t.end; }
      if (error.unterminated) return { statements, rest: buffer.slice(start) };
      const semicolon = buffer.indexOf(';', from + error.offset);
      if (semicolon < 0) return { statements, rest: buffer.slice(start) };
      push(semicolon);
      start = semicolon + 1;
      from = start;
      continue;
    }
    for (const t of tokens) if (t.t === 'op' && t.text === ';') { push(from + t.start); start = from + t.end; }
    return { statements, rest: buffer.slice(start) };
  }
}
