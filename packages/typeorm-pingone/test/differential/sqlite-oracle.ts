import { DataSource } from 'typeorm';
import type { EntitySchema } from 'typeorm';

/**
 * The oracle: TypeORM's sqljs driver (real SQLite) with the same entities, loaded with the same rows the driver
 * reads from PingOne. username and email are declared COLLATE NOCASE: PingOne compares them case-insensitively, and
 * so does the driver (the documented rule), so the oracle states that difference instead of skipping it.
 */

type EntityTarget = (new (...args: never[]) => object) | EntitySchema<any>;

const CASE_INSENSITIVE = new Set(['users.username', 'users.email']);

function sqliteType(type: unknown): string {
  const t = typeof type === 'function' ? (type as { name: string }).name.toLowerCase() : String(type).toLowerCase();
  if (t.includes('bool')) return 'boolean';
  if (t.includes('int') || t === 'number') return 'integer';
  if (t.includes('date') || t.includes('time')) return 'datetime';
  return 'varchar';
}

export async function startOracle(
  entities: readonly EntityTarget[],
  tables: ReadonlyMap<string, readonly Record<string, unknown>[]>,
): Promise<DataSource> {
  const ds = new DataSource({ type: 'sqljs', entities: [...entities], synchronize: false, logging: false });
  await ds.initialize();
  const runner = ds.createQueryRunner();
  try {
    const created = new Set<string>();
    for (const metadata of ds.entityMetadatas) {
      if (created.has(metadata.tableName)) continue;
      created.add(metadata.tableName);
      const columns = metadata.columns.map((c) => {
        const collate = CASE_INSENSITIVE.has(`${metadata.tableName}.${c.databaseName}`) ? ' COLLATE NOCASE' : '';
        return `"${c.databaseName}" ${sqliteType(c.type)}${collate}${c.isPrimary && metadata.primaryColumns.length === 1 ? ' PRIMARY KEY' : ''}`;
      });
      await runner.query(`CREATE TABLE "${metadata.tableName}" (${columns.join(', ')})`);
    }
    for (const [table, rows] of tables) {
      for (const row of rows) {
        const keys = Object.keys(row);
        await runner.query(
          `INSERT INTO "${table}" (${keys.map((k) => `"${k}"`).join(', ')}) VALUES (${keys.map(() => '?').join(', ')})`,
          keys.map((k) => row[k]),
        );
      }
    }
  } finally {
    await runner.release();
  }
  return ds;
}
