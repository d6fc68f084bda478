import 'reflect-metadata';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { startSimulator, type RunningSimulator } from '@typeorm-pingone/simulator';
import { AbstractSqliteDriver, type ColumnMetadata } from '../src/typeorm-internals';
import { Group, PingOneDataSource, Population, User } from '../src';

/*
 * PingOneDriver.prepareHydratedValue takes a short cut for text, booleans and the row codec's timestamps. It must give
 * exactly what TypeORM's SQLite base class gives for every column of the entities and any value a row can hold,
 * including the ones the short cut leaves to the base (other timestamp texts, transformers).
 */
@Entity('users')
class TransformedUser {
  @PrimaryColumn({ type: 'varchar' }) id!: string;
  @Column({ type: 'varchar', nullable: true, transformer: { from: (v: unknown) => `from:${String(v)}`, to: (v: unknown) => v } }) username?: string;
  @Column({ type: 'boolean', nullable: true, transformer: { from: (v: unknown) => (v ? 'yes' : 'no'), to: (v: unknown) => v } }) enabled?: string;
  @Column({ type: 'datetime', nullable: true, transformer: { from: (v: unknown) => (v instanceof Date ? v.getTime() : v), to: (v: unknown) => v } }) createdAt?: number;
}

const values: unknown[] = [
  null, undefined, '', 'ada', 'Ada Lovelace', ' 2024-03-14 02:33:33.906', '2024-03-14 02:33:33.906', '2024-03-14 02:33:33',
  '2024-03-14 02:33', '2024-03-14T02:33:33.906Z', '2024-03-14T02:33:33.906', '2024-02-30 10:00:00.000', '1970-01-01 00:00:00.000',
  '9999-12-31 23:59:59.999', '2024-03-14 02:33:33.9061', 'not a date', 0, 1, 2, -1, 1.5, true, false, '0', '1', '42', 'true',
];

// scripts/run-jest.cjs runs the tests off UTC (TZ), so a timestamp read as local time instead of UTC would differ here.
let sim: RunningSimulator | undefined;
let ds: PingOneDataSource | undefined;
afterEach(async () => {
  await ds?.destroy();
  await sim?.close();
  ds = undefined;
  sim = undefined;
});

/** What a call gave, comparable with toEqual: a Date by its instant, a throw by its message (simple-json throws on bad JSON). */
const outcome = (hydrate: () => unknown): unknown => {
  try {
    const value = hydrate();
    return value instanceof Date ? ['Date', Number.isNaN(value.getTime()) ? 'Invalid' : value.toISOString()] : value;
  } catch (error) {
    return ['throws', (error as Error).message];
  }
};

for (const [name, entities] of [['the shipped entities', [User, Group, Population]], ['columns with transformers', [TransformedUser]]] as const) {
  test(`the driver hydrates every value as TypeORM's SQLite base class does: ${name}`, async () => {
    sim = await startSimulator({ seed: 'demo', users: 3 });
    ds = await new PingOneDataSource({
      entities: [...entities],
      pingone: { environmentId: sim.environmentId, apiUrl: sim.apiUrl, authUrl: sim.authUrl, clientId: sim.credentials.clientId, clientSecret: sim.credentials.clientSecret },
    }).initialize();
    const driver = ds.driver;
    const base = AbstractSqliteDriver.prototype.prepareHydratedValue;
    const columns: ColumnMetadata[] = ds.entityMetadatas.flatMap((m) => m.columns);
    const types = new Set(columns.map((c) => String(c.type)));
    expect([...types]).toEqual(expect.arrayContaining(['varchar', 'boolean', 'datetime']));
    let compared = 0;
    for (const column of columns) {
      for (const value of values) {
        expect([column.propertyPath, value, outcome(() => driver.prepareHydratedValue(value, column))]).toEqual([column.propertyPath, value, outcome(() => base.call(driver, value, column))]);
        compared++;
      }
    }
    expect(compared).toBe(columns.length * values.length);
  });
}
