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
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export function isoToSqlite(value: string): string | null {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return null;
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

function toStorage(column: ColumnMapping, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  switch (column.kind) {
    case 'boolean': return value === true ? 1 : value === false ? 0 : null;
    case 'datetime': return typeof value === 'string' ? isoToSqlite(value) : null;
    case 'json': return JSON.stringify(value);
    case 'array': return Array.isArray(value) ? value.map(String).join(',') : String(value);
    case 'number': return typeof value === 'number' ? value : Number(value);
    default: return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}

export function resourceToRow(mapping: ResourceTableMapping, resource: Readonly<Record<string, unknown>>): Row {
  const row: Row = {};
  for (const column of mapping.columns) row[column.column] = toStorage(column, valueAt(resource, column.path));
  return row;
}
