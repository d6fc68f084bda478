import { valueText } from '@typeorm-pingone/client';
import { PingOneDriverError } from '../errors';
import { DIRECTORY_REQUIRED } from './directory-catalog';
import type { ColumnMapping, ResourceTableMapping } from './table-mapping';

/**
 * The reverse of row-codec: values TypeORM binds (SQLite storage form) → PingOne JSON values, nested by attribute
 * path. `null` stays `null` (PingOne: "explicit null clears").
 */
export function storageToApi(column: ColumnMapping, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (column.kind) {
    case 'boolean':
      return value === 1 || value === true || value === '1';
    case 'datetime': {
      const text = valueText(value);
      const date = new Date(/Z$|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
      return Number.isNaN(date.getTime()) ? text : date.toISOString();
    }
    case 'json':
      try {
        return typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
      } catch {
        throw new PingOneDriverError('SQL_ERROR', `Column '${column.column}' holds JSON, but the value is not valid JSON.`);
      }
    case 'array':
      return typeof value === 'string' ? (value === '' ? [] : value.split(',')) : value;
    case 'number':
      return typeof value === 'number' ? value : Number(value);
    default:
      return valueText(value);
  }
}

/** Sets a value at a dotted path, creating the nested objects on the way. */
export function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let current = target;
  for (const key of path.slice(0, -1)) {
    const next = current[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) current[key] = {};
    current = current[key] as Record<string, unknown>;
  }
  current[path[path.length - 1]] = value;
}

export interface AttributeChanges {
  /** nested PingOne JSON of the writable attributes given */
  readonly body: Record<string, unknown>;
  /** attribute path → API value, for routing (enabled, population.id go to their own endpoints) */
  readonly flat: ReadonlyMap<string, unknown>;
}

/**
 * Column values (TypeORM's storage form) → PingOne attributes. A read-only attribute given a value is an error before
 * any request; the id column is skipped.
 */
export function columnsToAttributes(
  mapping: ResourceTableMapping,
  values: ReadonlyMap<string, unknown>,
  operation: 'create' | 'update',
): AttributeChanges {
  const body: Record<string, unknown> = {};
  const flat = new Map<string, unknown>();
  for (const [columnName, raw] of values) {
    const column = mapping.byColumn.get(columnName);
    if (!column) throw new PingOneDriverError('MAPPING_ERROR', `Column '${columnName}' is not mapped on table '${mapping.table}'.`);
    if (column.attribute === 'id') continue;
    const value = storageToApi(column, raw);
    if (value === null && !column.nullable && !column.readOnly) {
      throw new PingOneDriverError(
        'VALIDATION_ERROR',
        `${column.property} is declared nullable: false, but the ${operation} gives it no value; nothing was sent. Set ${column.property}, or declare the column nullable: true.`,
      );
    }
    if (column.readOnly) {
      // TypeORM sends NULL for columns an entity leaves unset (and, after an insert, re-saves them as NULL);
      // PingOne keeps its value then. Any other value would be silently lost, so it is refused.
      if (value === null) continue;
      throw new PingOneDriverError(
        'READ_ONLY_ATTRIBUTE',
        `${mapping.table}.${column.attribute} is read-only in PingOne (PingOne sets it). Remove the value from the ${operation}; nothing was sent.`,
      );
    }
    if (operation === 'create' && value === null) continue; // unset attributes are simply not sent
    flat.set(column.attribute, value);
    setPath(body, column.path, value);
  }
  requireAttributes(mapping, flat, operation);
  return { body, flat };
}

/** What PingOne refuses a resource without (pingone-api.md §3.4–3.6): checked before the request. */
const REQUIRED: Readonly<Partial<Record<ResourceTableMapping['resource'], readonly string[]>>> = {
  users: ['username'],
  groups: ['name'],
  populations: ['name'],
  ...DIRECTORY_REQUIRED,
};

function requireAttributes(mapping: ResourceTableMapping, flat: ReadonlyMap<string, unknown>, operation: 'create' | 'update'): void {
  for (const attribute of REQUIRED[mapping.resource] ?? []) requireAttribute(mapping, flat, operation, attribute);
}

function requireAttribute(
  mapping: ResourceTableMapping,
  flat: ReadonlyMap<string, unknown>,
  operation: 'create' | 'update',
  attribute: string,
): void {
  const value = flat.get(attribute);
  const missing =
    operation === 'create'
      ? typeof value !== 'string' || value.trim() === ''
      : flat.has(attribute) && (value === null || (typeof value === 'string' && value.trim() === ''));
  if (!missing) return;
  const column = mapping.columns.find((c) => c.attribute === attribute);
  throw new PingOneDriverError(
    'VALIDATION_ERROR',
    `PingOne ${mapping.resource} require '${attribute}', and this ${operation} ${operation === 'create' ? 'gives none' : 'clears it'}; nothing was sent. ` +
      (column ? `Set ${column.property}.` : `Map a column to '${attribute}' (e.g. @Column() ${attribute}: string) and set it.`),
  );
}
