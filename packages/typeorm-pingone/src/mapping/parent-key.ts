import { DIRECTORY_ENDPOINTS, type ParentKey } from '@typeorm-pingone/client';
import { isCoreResource } from './attribute-catalog';
import type { ColumnMapping, TableMapping } from './table-mapping';

/**
 * The parent PingOne lists a table under (a user's sessions, an application's grants), with the column holding its
 * id; undefined for tables PingOne lists whole. A statement reading such a table must bound its parents (a planner
 * rule: executor/child-loader.ts).
 */
export function parentOf(mapping: TableMapping): { key: ParentKey; column: ColumnMapping } | undefined {
  if (mapping.kind !== 'resource' || isCoreResource(mapping.resource)) return undefined;
  const key = DIRECTORY_ENDPOINTS[mapping.resource].parent;
  const column = key && mapping.columns.find((c) => c.attribute === key.attribute);
  return key && column ? { key, column } : undefined;
}

/** Whether a load can start at this table: not one PingOne lists per parent, unless its parents are named. */
export function canLead(mapping: TableMapping, pinnedColumns: ReadonlySet<string>): boolean {
  const parent = parentOf(mapping);
  return parent === undefined || pinnedColumns.has(parent.column.column);
}
