import 'reflect-metadata';
import { startSimulator, type RunningSimulator } from '@typeorm-pingone/simulator';
import type { DataSource } from 'typeorm';
import { Group, PingOneDataSource, Population, User } from '../../src';
import { columnsOf } from '../../src/executor/resource-store';
import { parseSql, runLocal, type LocalTable } from '../../src/sql/sql-engine';
import { differentialSeed } from './directory-fixture';
import { startOracle } from './sqlite-oracle';
import { inSimulatorMode } from '../helpers/simulator-mode';
import { unknownFilterShapes } from '../helpers/filter-census';

/**
 * Both sides of the differential tests over one directory: the driver on the simulator, and SQLite (TypeORM's sqljs
 * driver) loaded with the rows the driver reads. `local` runs a SELECT through the driver's local SQL engine alone,
 * over the same rows, which is how most generated queries run (fast; the end-to-end path is exercised too).
 */
export interface Differential {
  readonly driver: PingOneDataSource;
  readonly oracle: DataSource;
  readonly sim: RunningSimulator;
  local(sql: string, params: readonly unknown[]): Record<string, unknown>[];
  /**
   * SQLite's rows as [name, value] pairs, read through sql.js's own API: its objects (and TypeORM's) set the
   * prototype for a column named __proto__, so a result column of that name is compared this way.
   */
  oraclePairs(sql: string, params: readonly unknown[]): [string, unknown][][];
  close(): Promise<void>;
}

interface SqlJsStatement {
  bind(values: unknown[]): void;
  step(): boolean;
  get(): unknown[];
  getColumnNames(): string[];
  free(): void;
}

export async function startDifferential(): Promise<Differential> {
  const sim = await startSimulator(inSimulatorMode({ seed: differentialSeed() }));
  const driver = new PingOneDataSource({
    entities: [User, Group, Population],
    pingone: {
      environmentId: sim.environmentId, apiUrl: sim.apiUrl, authUrl: sim.authUrl,
      clientId: sim.credentials.clientId, clientSecret: sim.credentials.clientSecret, rateLimit: false,
    },
  });
  let oracle: DataSource | undefined;
  try {
    await driver.initialize();
    const rows = new Map<string, Record<string, unknown>[]>();
    const tables = new Map<string, LocalTable>();
    const mappings = (driver.driver as unknown as { mappings: ReadonlyMap<string, Parameters<typeof columnsOf>[0]> }).mappings;
    for (const [name, mapping] of mappings) {
      const read = await driver.query<Record<string, unknown>[]>(`SELECT * FROM "${name}"`);
      rows.set(name, read);
      tables.set(name, { columns: columnsOf(mapping), rows: read });
    }
    oracle = await startOracle([User, Group, Population], rows);
    const ready = oracle;
    return {
      driver, oracle: ready, sim,
      local: (sql, params) => runLocal(parseSql(sql), params, tables),
      oraclePairs: (sql, params) => {
        const db = (ready.driver as unknown as { databaseConnection: { prepare(sql: string): SqlJsStatement } }).databaseConnection;
        const statement = db.prepare(sql);
        try {
          statement.bind(params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p)));
          const names = statement.getColumnNames();
          const out: [string, unknown][][] = [];
          while (statement.step()) {
            const values = statement.get();
            out.push(names.map((n, i) => [n, values[i]]));
          }
          return out;
        } finally {
          statement.free();
        }
      },
      close: async () => {
        const unknown = unknownFilterShapes(sim.requests.all());
        await ready.destroy();
        await driver.destroy();
        await sim.close();
        if (unknown.length > 0) throw new Error(`The driver sent filters that are none of the planner's shapes (planner/filter-shapes.ts):\n${unknown.join('\n')}`);
      },
    };
  } catch (error) {
    await oracle?.destroy().catch(() => undefined);
    if (driver.isInitialized) await driver.destroy().catch(() => undefined);
    await sim.close();
    throw error;
  }
}

/** SQLite (TypeORM's sqljs driver) loaded with every table's rows as `driver` reads them from PingOne. */
export async function oracleOf(driver: PingOneDataSource): Promise<DataSource> {
  const rows = new Map<string, Record<string, unknown>[]>();
  for (const table of ['users', 'groups', 'populations', 'group_memberships']) rows.set(table, await driver.query<Record<string, unknown>[]>(`SELECT * FROM "${table}"`));
  return startOracle([User, Group, Population], rows);
}

/** Rows as comparable text: numbers rounded (AVG), column order fixed; multisets sorted when order is not total. */
export function canonical(rows: readonly Record<string, unknown>[], ordered: boolean): string[] {
  return canonicalPairs(rows.map((row) => Object.entries(row)), ordered);
}

/** The same for rows as [name, value] pairs (a later column of the same name wins, as in objects). */
export function canonicalPairs(rows: readonly (readonly [string, unknown][])[], ordered: boolean): string[] {
  const lines = rows.map((pairs) => {
    const byName = new Map<string, unknown>(pairs);
    return JSON.stringify([...byName.keys()].sort().map((k) => {
      const v = byName.get(k);
      return [k, typeof v === 'number' && !Number.isInteger(v) ? Number(v.toFixed(9)) : v instanceof Date ? v.toISOString() : v ?? null];
    }));
  });
  return ordered ? lines : lines.sort();
}
