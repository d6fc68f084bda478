import { valueText } from '@typeorm-pingone/client';
import type { ColumnMapping, ResourceTableMapping } from './table-mapping';

/**
 * PingOne JSON ↔ the values TypeORM's SQLite dialect stores and compares: booleans as 1/0, dates as UTC
 * `YYYY-MM-DD HH:mm:ss.SSS`, simple-json as JSON text, simple-array as comma-joined text. Rows in this form hydrate
 * through TypeORM unchanged and compare correctly with the parameters TypeORM binds.
 */
export type Row = Record<string, unknown>;

function valueAt(resource: Readonly<Record<string, unknown>>, path: readonly string[]): unknown {
  let current: unknown = resource;
  for (const key of path) {
    // a path through an array reads its first element (an audit activity's `resources.id`: the first resource)
    if (Array.isArray(current)) current = current[0];
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** PingOne's own form (`2024-01-31T12:00:00.123Z`, ms optional): no Date needed when every field is in range. */
const CANONICAL = /^(\d{4}-(\d\d)-(\d\d))T(([01]\d|2[0-3]):[0-5]\d:[0-5]\d)(?:\.(\d{1,3}))?Z$/;

export function isoToSqlite(value: string): string | null {
  const m = CANONICAL.exec(value);
  // Days past 28 go through Date, which rolls an impossible date (Feb 30) over the way TypeORM's own values would.
  if (m && m[2] >= '01' && m[2] <= '12' && m[3] >= '01' && m[3] <= '28') return `${m[1]} ${m[4]}.${(m[6] ?? '').padEnd(3, '0')}`;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return null;
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

function toStorage(column: ColumnMapping, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  switch (column.kind) {
    case 'boolean':
      return value === true ? 1 : value === false ? 0 : null;
    case 'datetime':
      return typeof value === 'string' ? isoToSqlite(value) : null;
    case 'json':
      return JSON.stringify(value);
    case 'array':
      return Array.isArray(value) ? value.map(valueText).join(',') : valueText(value);
    case 'number':
      return typeof value === 'number' ? value : Number(value);
    default:
      return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : valueText(value);
  }
}

type RowBuilder = (resource: Readonly<Record<string, unknown>>) => Row;
const builders = new WeakMap<ResourceTableMapping, RowBuilder>();

/**
 * A row builder compiled once per table: one object literal with every column, so V8 gives all rows of a table
 * one hidden class (adding ~32 keys one by one left them in dictionary mode). Each column's path is read inline and
 * the common cases of its conversion are inlined too (a string column holding a string, a boolean, a PingOne
 * timestamp); anything else goes through `toStorage`, so the result is always exactly `toStorage(column, valueAt(…))`.
 * The generated code holds only property names as JSON string literals and column indices; no value is ever part of it.
 */
function compile(mapping: ResourceTableMapping): RowBuilder {
  const columns = mapping.columns;
  // A literal `"__proto__": v` would set the prototype instead of a key: such a table keeps the generic loop.
  if (columns.some((c) => c.column === '__proto__' || c.path.includes('__proto__'))) {
    return (resource) => {
      const row: Row = {};
      for (const column of columns)
        Object.defineProperty(row, column.column, {
          value: toStorage(column, valueAt(resource, column.path)),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      return row;
    };
  }
  const reads = columns.map((c, i) => {
    // valueAt, unrolled: a missing or non-object step reads as undefined
    let code = `var v${i} = r[${JSON.stringify(c.path[0])}];`;
    // a path through an array reads its first element (valueAt)
    for (const key of c.path.slice(1))
      code += ` if (Array.isArray(v${i})) v${i} = v${i}[0]; v${i} = typeof v${i} === "object" && v${i} !== null ? v${i}[${JSON.stringify(key)}] : undefined;`;
    return code;
  });
  const convert = (c: ColumnMapping, i: number) => {
    const v = `v${i}`;
    const slow = `store(columns[${i}], ${v})`;
    switch (c.kind) {
      case 'boolean':
        return `(${v} === true ? 1 : ${v} === false ? 0 : null)`;
      case 'datetime':
        return `(typeof ${v} === "string" ? iso(${v}) : null)`;
      case 'number':
        return `(typeof ${v} === "number" ? ${v} : ${v} === undefined || ${v} === null ? null : ${slow})`;
      case 'json':
      case 'array':
        return `(${v} === undefined || ${v} === null ? null : ${slow})`;
      default:
        return `(typeof ${v} === "string" ? ${v} : ${v} === undefined || ${v} === null ? null : ${slow})`;
    }
  };
  // Rows come from a constructor, not an object literal: V8 may pretenure a literal's allocation site (allocate
  // every later object straight into the old generation) when one scavenge happens to find nearly all its recent
  // objects alive, as it does mid-page; stream() then leaves each page's rows as old-generation garbage (~95 MB
  // instead of ~13 MB over 100k users, bench/memory.ts, in about half the runs). The constructor's prototype is
  // Object.prototype, so a row is a plain object like the literal was.
  const body = `function Row(${columns.map((_, i) => `a${i}`).join(', ')}) { ${columns.map((c, i) => `this[${JSON.stringify(c.column)}] = a${i};`).join(' ')} }
Row.prototype = Object.prototype;
return function row(r) { ${reads.join(' ')} return new Row(${columns.map((c, i) => convert(c, i)).join(', ')}); };`;
  // eslint-disable-next-line no-new-func, @typescript-eslint/no-implied-eval -- deliberate (see above): the body holds only fixed text, indexes and column names as JSON string literals, never a value from a row
  const factory = new Function('store', 'columns', 'iso', body) as (
    store: typeof toStorage,
    columns: readonly ColumnMapping[],
    iso: typeof isoToSqlite,
  ) => RowBuilder;
  return factory(toStorage, columns, isoToSqlite);
}

export function resourceToRow(mapping: ResourceTableMapping, resource: Readonly<Record<string, unknown>>): Row {
  let build = builders.get(mapping);
  if (!build) {
    build = compile(mapping);
    builders.set(mapping, build);
  }
  return build(resource);
}
