import 'reflect-metadata';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '@typeorm-pingone/simulator';
import type { DataSource } from 'typeorm';
import { Group, PingOneDataSource, Population, User, type TableMapping } from '../../src';
import { parentOf } from '../../src/mapping/parent-key';
import { columnsOf } from '../../src/executor/resource-store';
import { parseSql, runLocal, type LocalTable } from '../../src/sql/sql-engine';
import { differentialSeed } from './directory-fixture';
import { startOracle } from './sqlite-oracle';
import { inSimulatorMode } from '../helpers/simulator-mode';
import type { GeneratedQuery } from './sql-generators';
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
  /** the rows of every table, as the driver read them and SQLite holds them */
  readonly rows: ReadonlyMap<string, readonly Record<string, unknown>[]>;
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

/** Which directory and entities: by default the differential directory's users, groups and populations. */
export interface DifferentialSetup {
  readonly sim?: SimulatorOptions;
  readonly entities?: readonly (new () => object)[];
}

/**
 * The statement that reads a table whole: a table PingOne lists per parent (sessions per user, grants per
 * application) is read for every parent, bounded by a sub-query over the parents' table (the planner's rule).
 */
export function wholeTable(name: string, mapping: TableMapping, mappings: ReadonlyMap<string, TableMapping>): string {
  const parent = parentOf(mapping);
  if (!parent) return `SELECT * FROM "${name}"`;
  const [parentTable] =
    [...mappings].find(([, m]) => m.kind === 'resource' && m.resource === parent.key.resource && m.environment === mapping.environment) ??
    [];
  if (parentTable === undefined)
    throw new Error(`no entity maps ${parent.key.resource}, the parent of ${name}: add it to the differential's entities`);
  return `SELECT * FROM "${name}" WHERE "${parent.column.column}" IN (SELECT "id" FROM "${parentTable}")`;
}

export async function startDifferential(setup: DifferentialSetup = {}): Promise<Differential> {
  const sim = await startSimulator(inSimulatorMode(setup.sim ?? { seed: differentialSeed() }));
  const entities = [...(setup.entities ?? [User, Group, Population])];
  const driver = new PingOneDataSource({
    entities,
    pingone: {
      environmentId: sim.environmentId,
      apiUrl: sim.apiUrl,
      authUrl: sim.authUrl,
      clientId: sim.credentials.clientId,
      clientSecret: sim.credentials.clientSecret,
      rateLimit: false,
    },
  });
  let oracle: DataSource | undefined;
  try {
    await driver.initialize();
    const rows = new Map<string, Record<string, unknown>[]>();
    const tables = new Map<string, LocalTable>();
    const mappings = driver.pingoneDriver.mappings;
    for (const [name, mapping] of mappings) {
      const read = await driver.query<Record<string, unknown>[]>(wholeTable(name, mapping, mappings));
      rows.set(name, read);
      tables.set(name, { columns: columnsOf(mapping), rows: read });
    }
    oracle = await startOracle(entities, rows);
    const ready = oracle;
    return {
      driver,
      oracle: ready,
      sim,
      rows,
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
        if (unknown.length > 0)
          throw new Error(
            `The driver sent filters that are none of the planner's shapes (planner/filter-shapes.ts):\n${unknown.join('\n')}`,
          );
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
  for (const table of ['users', 'groups', 'populations', 'group_memberships'])
    rows.set(table, await driver.query<Record<string, unknown>[]>(`SELECT * FROM "${table}"`));
  return startOracle([User, Group, Population], rows);
}

/** Rows as comparable text: numbers rounded (AVG), column order fixed; multisets sorted when order is not total. */
export function canonical(rows: readonly Record<string, unknown>[], ordered: boolean): string[] {
  return canonicalPairs(
    rows.map((row) => Object.entries(row)),
    ordered,
  );
}

/** The same for rows as [name, value] pairs (a later column of the same name wins, as in objects). */
export function canonicalPairs(rows: readonly (readonly [string, unknown][])[], ordered: boolean): string[] {
  const lines = rows.map((pairs) => {
    const byName = new Map<string, unknown>(pairs);
    return JSON.stringify(
      [...byName.keys()].sort().map((k) => {
        const v = byName.get(k);
        return [
          k,
          typeof v === 'number' && !Number.isInteger(v) ? Number(v.toFixed(9)) : v instanceof Date ? v.toISOString() : (v ?? null),
        ];
      }),
    );
  });
  return ordered ? lines : lines.sort();
}

async function outcome(run: () => unknown): Promise<{ rows?: Record<string, unknown>[]; error?: string }> {
  try {
    return { rows: (await run()) as Record<string, unknown>[] };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** The driver's answer (`mine`) to a generated query is SQLite's: the same rows, or both an error. */
export async function expectSqliteAnswer(d: Differential, q: GeneratedQuery, mine: () => unknown): Promise<void> {
  const before = Object.getOwnPropertyNames(Object.prototype).length;
  // SQLite's rows through sql.js's own API: its objects would lose a column named __proto__
  const pairs = await outcome(() => d.oraclePairs(q.sql, [...q.params]));
  const expected = pairs.rows ? { rows: pairs.rows as unknown as [string, unknown][][] } : { error: pairs.error };
  const actual = await outcome(mine);
  expect(Object.getOwnPropertyNames(Object.prototype).length).toBe(before);
  if (expected.error !== undefined || actual.error !== undefined) {
    expect({ sql: q.sql, params: q.params, driver: actual.error ?? 'rows', sqlite: expected.error ?? 'rows' }).toEqual({
      sql: q.sql,
      params: q.params,
      driver: expected.error === undefined ? 'rows' : actual.error,
      sqlite: expected.error ?? 'rows',
    });
    return;
  }
  expect({ sql: q.sql, params: q.params, rows: canonical(actual.rows!, q.ordered) }).toEqual({
    sql: q.sql,
    params: q.params,
    rows: canonicalPairs(expected.rows!, q.ordered),
  });
}
