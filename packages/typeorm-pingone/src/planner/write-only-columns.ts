import { PingOneDriverError } from '../errors';
import type { TableMapping } from '../mapping/table-mapping';
import { walkExpr, type Expr, type FromItem, type SelectNode } from '../sql/sql-ast';
import { subqueriesIn } from './alias-constraints';

type Source = { readonly k: 'table'; readonly mapping: TableMapping | undefined } | { readonly k: 'derived'; readonly select: SelectNode };

function sourcesOf(select: SelectNode, mappingOf: (table: string) => TableMapping | undefined): Map<string, Source> {
  const items: FromItem[] = [...select.from, ...select.joins.map((j) => j.source)];
  return new Map(
    items.map(
      (item) =>
        [item.alias, item.k === 'table' ? { k: 'table', mapping: mappingOf(item.table) } : { k: 'derived', select: item.select }] as const,
    ),
  );
}

/** The write-only column a column reference reads (through derived tables and output aliases), if any. */
function writeOnlyColumn(
  col: Extract<Expr, { k: 'col' }>,
  select: SelectNode,
  mappingOf: (table: string) => TableMapping | undefined,
  depth = 0,
): string | undefined {
  if (depth > 16) return undefined;
  const sources = sourcesOf(select, mappingOf);
  const candidates = col.table !== undefined ? [col.table] : [...sources.keys()];
  for (const alias of candidates) {
    const source = sources.get(alias);
    if (!source) continue;
    if (source.k === 'table') {
      const column = source.mapping?.kind === 'resource' ? source.mapping.byColumn.get(col.column) : undefined;
      if (column?.writeOnly) return `${source.mapping!.table}.${col.column}`;
      continue;
    }
    const output = source.select.outputs.find((o) => (o.as ?? (o.expr.k === 'col' ? o.expr.column : undefined)) === col.column);
    if (output?.expr.k === 'col') {
      const found = writeOnlyColumn(output.expr, source.select, mappingOf, depth + 1);
      if (found) return found;
    }
  }
  // ORDER BY may name an output of this SELECT by its alias.
  if (col.table === undefined) {
    const output = select.outputs.find((o) => o.as === col.column);
    if (output?.expr.k === 'col' && output.expr !== col) return writeOnlyColumn(output.expr, select, mappingOf, depth + 1);
  }
  return undefined;
}

function columnsIn(expr: Expr | undefined): Extract<Expr, { k: 'col' }>[] {
  const out: Extract<Expr, { k: 'col' }>[] = [];
  walkExpr(expr, (e) => {
    if (e.k === 'col') out.push(e);
  });
  return out;
}

function subselects(select: SelectNode): SelectNode[] {
  const derived = [...select.from, ...select.joins.map((j) => j.source)].flatMap((i) => (i.k === 'derived' ? [i.select] : []));
  return [...derived, ...select.nested, ...subqueriesIn(select.where), ...select.joins.flatMap((j) => subqueriesIn(j.on))];
}

/**
 * A user's `password` is write-only: PingOne takes it and never returns it, so every row reads it as NULL (by
 * design). Filtering, joining, grouping or ordering on it would silently match nothing or order nothing, so such a
 * statement is refused before any request, with the way PingOne checks a password instead. Selecting it is fine.
 */
export function refuseWriteOnlyUse(select: SelectNode, mappingOf: (table: string) => TableMapping | undefined, depth = 0): void {
  if (depth > 16) return;
  const uses: [string, Expr | undefined][] = [
    ['WHERE', select.where],
    ...select.joins.map((j): [string, Expr | undefined] => ['JOIN … ON', j.on]),
    ...select.orderBy.map((e): [string, Expr] => ['ORDER BY', e]),
    ...select.groupBy.map((e): [string, Expr] => ['GROUP BY', e]),
    ['HAVING', select.having],
  ];
  for (const [clause, expr] of uses) {
    for (const col of columnsIn(expr)) {
      const column = writeOnlyColumn(col, select, mappingOf);
      if (column) {
        throw new PingOneDriverError(
          'UNSUPPORTED_STATEMENT',
          `${clause} on ${column}: it holds the user's password, which PingOne takes but never returns, so it reads as NULL in every row ` +
            `and ${clause === 'WHERE' || clause === 'JOIN … ON' ? 'a condition on it would match no row' : 'it orders or groups nothing'}; nothing was sent. ` +
            "To check a user's password, ask PingOne: await dataSource.pingone.users.checkPassword(userId, password) " +
            '(POST /users/{id}/password, password.check) answers { matches }.',
        );
      }
    }
  }
  for (const inner of subselects(select)) refuseWriteOnlyUse(inner, mappingOf, depth + 1);
}
