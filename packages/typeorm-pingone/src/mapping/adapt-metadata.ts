import type { EntityMetadata } from 'typeorm';
import type { TableMapping } from './table-mapping';

/**
 * Tells TypeORM what PingOne sets itself, so that its persistence never sends it: read-only attributes are not
 * updatable (a re-save of a loaded entity whose `updatedAt` PingOne has since changed sends only what the app
 * changed), and @CreateDateColumn / @UpdateDateColumn are neither inserted nor updated (TypeORM's SQLite dialect
 * would write `datetime('now')` and `CURRENT_TIMESTAMP`). TypeORM then re-reads them after each save, so the
 * entity holds PingOne's timestamps.
 */
export function adaptEntityMetadata(entities: readonly EntityMetadata[], mappings: ReadonlyMap<string, TableMapping>): void {
  for (const entity of entities) {
    const mapping = mappings.get(entity.tablePath);
    if (mapping?.kind !== 'resource') continue;
    for (const column of entity.columns) {
      const mapped = mapping.byColumn.get(column.databaseName);
      if (column.isCreateDate || column.isUpdateDate) {
        column.isInsert = false;
        column.isUpdate = false;
      } else if (mapped?.readOnly && !column.isPrimary) {
        column.isUpdate = false;
      }
    }
    // UpdateQueryBuilder appends `"<updateDate>" = CURRENT_TIMESTAMP` to every UPDATE while this is set; PingOne
    // stamps updatedAt itself. The column keeps isUpdateDate, which is what makes TypeORM re-read it after a save.
    entity.updateDateColumn = undefined;
  }
}
