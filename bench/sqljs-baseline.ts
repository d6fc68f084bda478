import { DataSource } from 'typeorm';

/**
 * TypeORM on sql.js (real SQLite, in memory) with the same entities and the same rows the driver reads: the cost of
 * TypeORM's own query building and hydration, which no driver can go below.
 */
function sqliteType(type: unknown): string {
  const t = typeof type === 'function' ? (type as { name: string }).name.toLowerCase() : String(type).toLowerCase();
  if (t.includes('bool')) return 'boolean';
  if (t.includes('int') || t === 'number') return 'integer';
  if (t.includes('date') || t.includes('time')) return 'datetime';
  return 'varchar';
}

export async function sqljsWith(
  entities: (new (...args: never[]) => object)[],
  tables: ReadonlyMap<string, readonly Record<string, unknown>[]>,
): Promise<DataSource> {
  const ds = await new DataSource({ type: 'sqljs', entities, synchronize: false, logging: false }).initialize();
  const runner = ds.createQueryRunner();
  try {
    const created = new Set<string>();
    for (const metadata of ds.entityMetadatas) {
      if (created.has(metadata.tableName)) continue;
      created.add(metadata.tableName);
      const columns = metadata.columns.map(
        (c) => `"${c.databaseName}" ${sqliteType(c.type)}${c.isPrimary && metadata.primaryColumns.length === 1 ? ' PRIMARY KEY' : ''}`,
      );
      await runner.query(`CREATE TABLE "${metadata.tableName}" (${columns.join(', ')})`);
    }
    await runner.query('BEGIN');
    for (const [table, rows] of tables) {
      for (const row of rows) {
        const keys = Object.keys(row);
        await runner.query(
          `INSERT INTO "${table}" (${keys.map((k) => `"${k}"`).join(', ')}) VALUES (${keys.map(() => '?').join(', ')})`,
          keys.map((k) => row[k]),
        );
      }
    }
    await runner.query('COMMIT');
  } finally {
    await runner.release();
  }
  return ds;
}
