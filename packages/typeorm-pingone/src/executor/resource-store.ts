import type { ResourceName } from '../mapping/attribute-catalog';
import { resourceToRow, type Row } from '../mapping/row-codec';
import { columnNames, type ResourceTableMapping, type TableMapping } from '../mapping/table-mapping';
import type { Resource } from './remote-directory';
import type { LocalColumn } from '../sql/name-scope';

/**
 * Rows fetched for one statement. Resources are kept by id (several aliases and strategies may fetch the same user;
 * PingOne is asked at most once), rows per table are the union of what every alias needed.
 */
export class ResourceStore {
  readonly #resources = new Map<ResourceName, Map<string, Resource>>();
  readonly #tableRows = new Map<string, Map<string, Row>>();
  readonly #aliasRows = new Map<string, Row[]>();

  known(resource: ResourceName, id: string): Resource | undefined {
    return this.#resources.get(resource)?.get(id);
  }

  remember(resource: ResourceName, items: Iterable<Resource>): void {
    const map = this.#resources.get(resource) ?? new Map<string, Resource>();
    for (const item of items) map.set(item.id, item);
    this.#resources.set(resource, map);
  }

  /** Rows of `items` for an alias (and its table); returns the new rows. */
  addResources(alias: string, mapping: ResourceTableMapping, items: Iterable<Resource>): Row[] {
    const rows = this.#rowsOf(mapping.table);
    const aliasRows = this.#aliasRows.get(alias) ?? [];
    const added: Row[] = [];
    for (const item of items) {
      const row = resourceToRow(mapping, item);
      rows.set(item.id, row);
      aliasRows.push(row);
      added.push(row);
    }
    this.#aliasRows.set(alias, aliasRows);
    return added;
  }

  addRows(alias: string, table: string, keyed: Iterable<[string, Row]>): void {
    const rows = this.#rowsOf(table);
    const aliasRows = this.#aliasRows.get(alias) ?? [];
    for (const [key, row] of keyed) {
      rows.set(key, row);
      aliasRows.push(row);
    }
    this.#aliasRows.set(alias, aliasRows);
  }

  /** Distinct non-null values of a column over the rows loaded for an alias. */
  values(alias: string, column: string): unknown[] {
    return [...new Set((this.#aliasRows.get(alias) ?? []).map((r) => r[column]).filter((v) => v !== null && v !== undefined))];
  }

  tableRows(table: string): Row[] {
    return [...(this.#tableRows.get(table)?.values() ?? [])];
  }

  touch(table: string): void {
    this.#rowsOf(table);
  }

  tables(): string[] {
    return [...this.#tableRows.keys()];
  }

  #rowsOf(table: string): Map<string, Row> {
    const rows = this.#tableRows.get(table) ?? new Map<string, Row>();
    this.#tableRows.set(table, rows);
    return rows;
  }
}

/** PingOne compares these user attributes case-insensitively (pingone-api.md §4): the local re-check does too. */
const CASE_INSENSITIVE = new Set(['username', 'email']);

/** One array per mapping: the SQL engine keeps each array's text for its cache keys (sql/statement-key.ts). */
const columnsByMapping = new WeakMap<TableMapping, readonly LocalColumn[]>();

/**
 * A table's columns as the local SQL engine sees them: the name raw SQL uses, SQLite's affinity for the column type
 * TypeORM declares (booleans, numbers and datetimes are NUMERIC, the rest TEXT), and PingOne's case rule.
 */
export function columnsOf(mapping: TableMapping): readonly LocalColumn[] {
  let columns = columnsByMapping.get(mapping);
  if (!columns) {
    columns = Object.freeze(
      mapping.kind === 'membership'
        ? columnNames(mapping).map((name): LocalColumn => ({ name, affinity: 'text', caseInsensitive: false }))
        : mapping.columns.map((c): LocalColumn => ({
            name: c.column,
            affinity: c.kind === 'boolean' || c.kind === 'number' || c.kind === 'datetime' ? 'numeric' : 'text',
            caseInsensitive: mapping.resource === 'users' && CASE_INSENSITIVE.has(c.attribute),
          })),
    );
    columnsByMapping.set(mapping, columns);
  }
  return columns;
}
