const KEYWORDS = [
  'SELECT', 'FROM', 'WHERE', 'AND', 'OR', 'NOT', 'IN', 'IS', 'NULL', 'LIKE', 'BETWEEN', 'AS', 'DISTINCT', 'JOIN',
  'INNER', 'LEFT', 'ON', 'GROUP', 'BY', 'ORDER', 'ASC', 'DESC', 'HAVING', 'LIMIT', 'OFFSET', 'COUNT', 'SUM', 'MIN',
  'MAX', 'AVG', 'INSERT', 'INTO', 'VALUES', 'UPDATE', 'SET', 'DELETE', 'EXPLAIN', 'ANALYZE', 'TRUE', 'FALSE', 'CASE',
  'WHEN', 'THEN', 'ELSE', 'END', 'LOWER', 'UPPER',
];
const META = ['\\d', '\\x', '\\timing', '\\?', '\\q'];

/** What completion knows: every table and its columns. */
export type Catalog = ReadonlyMap<string, readonly string[]>;

/** Tables named after FROM/JOIN/UPDATE/INTO in `text`, by alias (a table is its own alias too). */
function tablesInUse(text: string, catalog: Catalog): Map<string, string> {
  const byAlias = new Map<string, string>();
  const reserved = new Set([...KEYWORDS, 'WHERE'].map((k) => k.toLowerCase()));
  for (const m of text.matchAll(/\b(?:FROM|JOIN|UPDATE|INTO)\s+"?([\w~]+)"?(?:\s+(?:AS\s+)?(\w+))?/gi)) {
    const table = m[1]!;
    if (!catalog.has(table)) continue;
    byAlias.set(table, table);
    if (m[2] && !reserved.has(m[2].toLowerCase())) byAlias.set(m[2], table);
  }
  return byAlias;
}

function matching(candidates: Iterable<string>, partial: string): string[] {
  const lower = partial.toLowerCase();
  return [...new Set([...candidates].filter((c) => c.toLowerCase().startsWith(lower)))].sort();
}

/**
 * readline completer: table names, column names (after `alias.` those of the alias's table; otherwise those of the
 * tables the statement names, or of every table), SQL keywords (in the case being typed) and meta commands.
 * `statement` is the text of the unfinished statement's earlier lines.
 */
export function complete(line: string, statement: string, catalog: Catalog): [string[], string] {
  const word = /[\w.\\~"]*$/.exec(line)?.[0] ?? '';
  if (word.startsWith('\\')) return [matching(META, word), word];
  // After \d, FROM, JOIN, UPDATE or INTO only a table fits.
  if (/^\s*\\d\s+\S*$/.test(line) || /\b(?:FROM|JOIN|UPDATE|INTO)\s+[\w~"]*$/i.test(line)) return [matching(catalog.keys(), word), word];
  const inUse = tablesInUse(`${statement} ${line}`, catalog);
  const dot = word.lastIndexOf('.');
  if (dot >= 0) {
    const alias = word.slice(0, dot).replace(/"/g, '');
    const table = inUse.get(alias) ?? (catalog.has(alias) ? alias : undefined);
    const columns = table ? catalog.get(table)! : [...catalog.values()].flat();
    return [matching(columns, word.slice(dot + 1)).map((c) => `${word.slice(0, dot + 1)}${c}`), word];
  }
  const tables = [...new Set(inUse.values())];
  const columns = (tables.length ? tables : [...catalog.keys()]).flatMap((t) => catalog.get(t) ?? []);
  const keywords = /^[a-z]/.test(word) ? KEYWORDS.map((k) => k.toLowerCase()) : KEYWORDS;
  return [matching([...columns, ...catalog.keys(), ...keywords], word), word];
}
