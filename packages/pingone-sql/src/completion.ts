import { SqlSyntaxError, tokenize, type Token } from 'typeorm-pingone';

const KEYWORDS = [
  'SELECT',
  'FROM',
  'WHERE',
  'AND',
  'OR',
  'NOT',
  'IN',
  'IS',
  'NULL',
  'LIKE',
  'BETWEEN',
  'AS',
  'DISTINCT',
  'JOIN',
  'INNER',
  'LEFT',
  'CROSS',
  'ON',
  'GROUP',
  'BY',
  'ORDER',
  'ASC',
  'DESC',
  'HAVING',
  'LIMIT',
  'OFFSET',
  'COUNT',
  'SUM',
  'MIN',
  'MAX',
  'AVG',
  'INSERT',
  'INTO',
  'VALUES',
  'UPDATE',
  'SET',
  'DELETE',
  'EXPLAIN',
  'ANALYZE',
  'TRUE',
  'FALSE',
  'CASE',
  'WHEN',
  'THEN',
  'ELSE',
  'END',
  'LOWER',
  'UPPER',
  'EXISTS',
  'UNION',
  'COLLATE',
  'NOCASE',
];
export const META_COMMANDS = ['\\d', '\\dt', '\\l', '\\conninfo', '\\x', '\\timing', '\\pset', '\\?', '\\q'];
/** Words after which a table name comes. */
const TABLE_BEFORE = new Set(['FROM', 'JOIN', 'UPDATE', 'INTO']);
/** Words that end a FROM list (a comma after them separates something else). */
const CLAUSES = new Set(['WHERE', 'GROUP', 'ORDER', 'HAVING', 'LIMIT', 'ON', 'SET', 'VALUES', 'UNION', 'SELECT', 'USING']);
/** Words that can't be a table's alias. */
const NOT_ALIAS = new Set([...KEYWORDS, 'NATURAL', 'OUTER', 'RIGHT', 'FULL', 'USING', 'RETURNING', 'WINDOW'].map((k) => k.toUpperCase()));

/** What completion knows: every table and its columns. */
export type Catalog = ReadonlyMap<string, readonly string[]>;

type Named = Token & { t: 'word' | 'ident' };
const isName = (t: Token | undefined): t is Named => t !== undefined && (t.t === 'word' || t.t === 'ident');
const isWord = (t: Token | undefined, ...words: string[]) => t?.t === 'word' && words.includes(t.upper);
const isOp = (t: Token | undefined, op: string) => t?.t === 'op' && t.text === op;

/** The tokens of `text` without the end marker; undefined when it can't be read (an unclosed string literal, say). */
function tokensOf(text: string): Token[] | undefined {
  try {
    return tokenize(text).filter((t) => t.t !== 'eof');
  } catch {
    return undefined;
  }
}

/** The tokens of the statement the cursor is in: from after the last `;` before it to the first `;` after it. */
function currentStatement(tokens: readonly Token[], cursor: number): Token[] {
  let from = 0;
  let to = tokens.length;
  tokens.forEach((t, i) => {
    if (!isOp(t, ';')) return;
    if (t.end <= cursor) from = i + 1;
    else if (i < to) to = i;
  });
  return tokens.slice(from, to);
}

/** A catalog table by the name as written: exact, else the one case-insensitive match. */
function tableNamed(name: string, catalog: Catalog): string | undefined {
  if (catalog.has(name)) return name;
  const lower = name.toLowerCase();
  const found = [...catalog.keys()].filter((t) => t.toLowerCase() === lower);
  return found.length === 1 ? found[0] : undefined;
}

/** The tables a statement names after FROM/JOIN/UPDATE/INTO (and in FROM's comma list), by alias; a table is its own alias too. */
export function tablesInUse(tokens: readonly Token[], catalog: Catalog): Map<string, string> {
  const byAlias = new Map<string, string>();
  let inFrom = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.t === 'word' && CLAUSES.has(t.upper)) inFrom = false;
    const startsTable = (t.t === 'word' && TABLE_BEFORE.has(t.upper)) || (inFrom && isOp(t, ','));
    if (!startsTable) continue;
    if (isWord(t, 'FROM', 'JOIN')) inFrom = true;
    const name = tokens[i + 1];
    const table = isName(name) ? tableNamed(name.text, catalog) : undefined;
    if (!table) continue;
    byAlias.set(table, table);
    let j = i + 2;
    if (isWord(tokens[j], 'AS')) j++;
    const alias = tokens[j];
    if (isName(alias) && !(alias.t === 'word' && NOT_ALIAS.has(alias.upper))) byAlias.set(alias.text, table);
  }
  return byAlias;
}

function matching(candidates: Iterable<string>, partial: string): string[] {
  const lower = partial.toLowerCase();
  return [...new Set([...candidates].filter((c) => c.toLowerCase().startsWith(lower)))].sort();
}

/** Meta commands: the command itself, then (after \d and \dt) a table name, (after \pset) a setting. */
function completeMeta(line: string, catalog: Catalog): [string[], string] {
  const parts = line.trimStart().split(/\s+/);
  const word = parts[parts.length - 1] ?? '';
  if (parts.length === 1) return [matching(META_COMMANDS, word), word];
  if (parts.length === 2 && (parts[0] === '\\d' || parts[0] === '\\dt')) return [matching(catalog.keys(), word), word];
  if (parts.length === 2 && parts[0] === '\\pset') return [matching(['null'], word), word];
  return [[], word];
}

/**
 * readline completer: what fits where the cursor is, among names that start with what is typed so far. The text is
 * read with the driver's own lexer (comments, quoted names and string literals as the driver reads them): after
 * FROM/JOIN/UPDATE/INTO (or a comma of FROM's list) only tables; after `x.` the columns of the table `x` stands for
 * (every table's, while no FROM says yet); elsewhere the columns of the tables the statement names (every table's
 * before it names one), table names and SQL keywords (in the case being typed). Inside a string literal nothing.
 * `statement`: the unfinished statement's earlier lines; `rest`: the line after the cursor (an alias may be named there).
 */
export function complete(line: string, statement: string, catalog: Catalog, rest = ''): [string[], string] {
  if (statement.trim() === '' && line.trimStart().startsWith('\\')) return completeMeta(line, catalog);
  const before = statement === '' ? line : `${statement}\n${line}`;
  let tokens = tokensOf(before);
  let quoted: { partial: string; quote: string; start: number } | undefined;
  if (!tokens) {
    // an identifier being typed in quotes ("gro): complete it; an open string literal: nothing fits
    let open: SqlSyntaxError | undefined;
    try {
      tokenize(before);
    } catch (error) {
      if (error instanceof SqlSyntaxError && error.unterminated) open = error;
    }
    const quote = open ? before[open.offset] : undefined;
    if (!open || (quote !== '"' && quote !== '`')) return [[], ''];
    tokens = tokensOf(before.slice(0, open.offset));
    if (!tokens) return [[], ''];
    quoted = { partial: before.slice(open.offset + 1), quote, start: open.offset };
  }
  const cursor = before.length;
  // inside a comment nothing fits: a letter typed here would start no token
  const probe = quoted ? undefined : tokensOf(`${before}x`);
  if (probe && !probe.some((t) => t.end === cursor + 1)) return [[], ''];
  const mine = currentStatement(tokens, cursor);
  // the word under the cursor: a name token ending exactly at the cursor (`FROM u`), else nothing yet (`FROM `)
  const last = mine[mine.length - 1];
  const typing = !quoted && isName(last) && last.end === cursor ? last : undefined;
  // the tables and aliases of the whole statement (the rest of the line may name them), but not the word being typed
  const scanned = quoted ? `${before.slice(0, quoted.start)} ${rest}` : `${before}${rest}`;
  const whole = (tokensOf(scanned) ?? tokens).filter((t) => t.start !== (typing?.start ?? -1));
  const inUse = tablesInUse(currentStatement(whole, quoted ? quoted.start : cursor), catalog);
  const partial = quoted ? quoted.partial : typing ? before.slice(typing.start, typing.end) : '';
  const prior = typing ? mine.slice(0, -1) : mine;
  const wrap = (names: string[]) => (quoted ? names.map((n) => `${quoted.quote}${n}${quoted.quote}`) : names);
  const word = quoted ? `${quoted.quote}${partial}` : partial;
  const prev = prior[prior.length - 1];
  // x.col: the columns of the table x stands for
  if (isOp(prev, '.') && isName(prior[prior.length - 2])) {
    const qualifier = prior[prior.length - 2] as Named;
    const table = inUse.get(qualifier.text) ?? tableNamed(qualifier.text, catalog);
    const columns = table ? catalog.get(table)! : [...new Set([...catalog.values()].flat())];
    const typed = before.slice(qualifier.start, prev.end);
    return [wrap(matching(columns, partial)).map((c) => `${typed}${c}`), `${typed}${word}`];
  }
  const fromList = isOp(prev, ',') && inFromList(prior);
  if ((prev?.t === 'word' && TABLE_BEFORE.has(prev.upper)) || fromList) return [wrap(matching(catalog.keys(), partial)), word];
  const tables = [...new Set(inUse.values())];
  const columns = (tables.length > 0 ? tables : [...catalog.keys()]).flatMap((t) => catalog.get(t) ?? []);
  if (quoted) return [wrap(matching([...columns, ...catalog.keys()], partial)), word];
  const keywords = /^[a-z]/.test(partial) ? KEYWORDS.map((k) => k.toLowerCase()) : KEYWORDS;
  const aliases = [...inUse.keys()].filter((a) => !catalog.has(a));
  return [matching([...columns, ...catalog.keys(), ...aliases, ...keywords], partial), word];
}

/** Whether the last comma of `tokens` separates FROM's items (no clause keyword since the last FROM). */
function inFromList(tokens: readonly Token[]): boolean {
  let depth = 0;
  for (let i = tokens.length - 1; i >= 0; i--) {
    const t = tokens[i];
    if (isOp(t, ')')) depth++;
    else if (isOp(t, '(')) depth--;
    if (depth < 0) return false;
    if (depth > 0 || t.t !== 'word') continue;
    if (t.upper === 'FROM') return true;
    if (CLAUSES.has(t.upper)) return false;
  }
  return false;
}
