import fc from 'fast-check';
import type { TableMapping } from '../../src';
import { columnNames } from '../../src/mapping/table-mapping';
import { parentOf } from '../../src/mapping/parent-key';
import type { GeneratedQuery } from './sql-generators';

/**
 * Generated SELECTs over the directory tables (roles and assignments, applications, sessions, audit activities…),
 * built from the rows both sides hold: each condition compares a column with one of its own values (or a value no
 * row has), so the filters PingOne is sent hit. A table PingOne lists per parent is joined to its parents' table,
 * with conditions on both, as a statement must bound the parents.
 */
type Part = { sql: string; params: unknown[] };
const part = (sql: string, params: unknown[] = []): Part => ({ sql, params });
const and = (parts: Part[], op: string): Part => ({
  sql: parts.map((p) => `(${p.sql})`).join(` ${op} `),
  params: parts.flatMap((p) => p.params),
});

export interface TableRows {
  readonly name: string;
  readonly mapping: TableMapping;
  readonly rows: readonly Record<string, unknown>[];
}

/** A column's values as the rows hold them, and one no row holds (of the same kind). */
function valuesOf(rows: readonly Record<string, unknown>[], column: string): unknown[] {
  const seen = [...new Set(rows.map((r) => r[column]).filter((v) => v !== null && v !== undefined))];
  const miss = seen.some((v) => typeof v === 'number' || typeof v === 'boolean') ? 7 : 'zz-no-row-has-this';
  return [...seen.slice(0, 12), miss];
}

function atom(alias: string, table: TableRows): fc.Arbitrary<Part> {
  const columns = columnNames(table.mapping).filter((c) => table.rows.some((r) => typeof r[c] !== 'object' || r[c] === null));
  return fc.constantFrom(...columns).chain((column) => {
    const ref = `${alias}."${column}"`;
    const values = valuesOf(table.rows, column);
    const texts = values.filter((v): v is string => typeof v === 'string');
    const options: fc.Arbitrary<Part>[] = [
      fc.constantFrom(...values).map((v) => part(`${ref} = ?`, [v])),
      fc.constantFrom(...values).map((v) => part(`${ref} <> ?`, [v])),
      fc
        .subarray(values, { minLength: 1, maxLength: Math.min(3, values.length) })
        .map((vs) => part(`${ref} IN (${vs.map(() => '?').join(', ')})`, vs)),
      fc.boolean().map((not) => part(`${ref} IS ${not ? 'NOT ' : ''}NULL`)),
      fc.tuple(fc.constantFrom(...values), fc.constantFrom('<', '>=')).map(([v, op]) => part(`${ref} ${op} ?`, [v])),
    ];
    if (texts.length > 0)
      options.push(
        fc.tuple(fc.constantFrom(...texts), fc.integer({ min: 1, max: 4 })).map(([t, n]) => part(`${ref} LIKE ?`, [`${t.slice(0, n)}%`])),
      );
    return fc.oneof(...options);
  });
}

function predicate(alias: string, table: TableRows): fc.Arbitrary<Part> {
  const one = atom(alias, table);
  return fc.oneof(
    { weight: 4, arbitrary: one },
    { weight: 2, arbitrary: fc.tuple(one, one).map((ps) => and(ps, 'AND')) },
    { weight: 1, arbitrary: fc.tuple(one, one).map((ps) => and(ps, 'OR')) },
    { weight: 1, arbitrary: one.map((p) => part(`NOT (${p.sql})`, p.params)) },
  );
}

/** SELECTs over one table (joined to its parents' table when PingOne lists it per parent). */
export function directoryQuery(table: TableRows, tables: ReadonlyMap<string, TableRows>): fc.Arbitrary<GeneratedQuery> {
  const parent = parentOf(table.mapping);
  const parentTable =
    parent && [...tables.values()].find((t) => t.mapping.kind === 'resource' && t.mapping.resource === parent.key.resource);
  const columns = columnNames(table.mapping)
    .map((c) => `t."${c}"`)
    .join(', ');
  if (!parent || !parentTable) {
    return fc.option(predicate('t', table), { nil: undefined }).map((where) => ({
      sql: `SELECT ${columns} FROM "${table.name}" t${where ? ` WHERE ${where.sql}` : ''}`,
      params: where?.params ?? [],
      ordered: false,
    }));
  }
  return fc
    .tuple(fc.option(predicate('p', parentTable), { nil: undefined }), fc.option(predicate('t', table), { nil: undefined }), fc.boolean())
    .map(([onParent, onChild, sub]) => {
      const where = [onParent, onChild].filter((p): p is Part => p !== undefined);
      const conditions = where.length > 0 ? and(where, 'AND') : undefined;
      const join = sub
        ? `FROM "${table.name}" t WHERE t."${parent.column.column}" IN (SELECT p."id" FROM "${parentTable.name}" p${onParent ? ` WHERE ${onParent.sql}` : ''})${onChild ? ` AND (${onChild.sql})` : ''}`
        : `FROM "${parentTable.name}" p JOIN "${table.name}" t ON t."${parent.column.column}" = p."id"${conditions ? ` WHERE ${conditions.sql}` : ''}`;
      const params = sub ? [...(onParent?.params ?? []), ...(onChild?.params ?? [])] : (conditions?.params ?? []);
      return { sql: `SELECT ${columns} ${join}`, params, ordered: false };
    });
}
