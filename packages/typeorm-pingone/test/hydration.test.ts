import 'reflect-metadata';
import { Column, Entity, PrimaryColumn, type DataSource, type FindManyOptions, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import { startSimulator, type RunningSimulator } from '@typeorm-pingone/simulator';
import { AbstractSqliteDriver, RawSqlResultsToEntityTransformer, type ColumnMetadata } from '../src/typeorm-internals';
import { hydrateFast, typeormHydration } from '../src/mapping/fast-hydration';
import { Group, PingOneDataSource, Population, User } from '../src';
import { startDifferential } from './differential/differential-harness';

/*
 * PingOneDriver.prepareHydratedValue takes a short cut for text, booleans and the row codec's timestamps. It must give
 * exactly what TypeORM's SQLite base class gives for every column of the entities and any value a row can hold,
 * including the ones the short cut leaves to the base (other timestamp texts, transformers).
 */
@Entity('users')
class TransformedUser {
  @PrimaryColumn({ type: 'varchar' }) id!: string;
  @Column({ type: 'varchar', nullable: true, transformer: { from: (v: unknown) => `from:${String(v)}`, to: (v: unknown) => v } })
  username?: string;
  @Column({ type: 'boolean', nullable: true, transformer: { from: (v: unknown) => (v ? 'yes' : 'no'), to: (v: unknown) => v } })
  enabled?: string;
  @Column({
    type: 'datetime',
    nullable: true,
    transformer: { from: (v: unknown) => (v instanceof Date ? v.getTime() : v), to: (v: unknown) => v },
  })
  createdAt?: number;
}

const values: unknown[] = [
  null,
  undefined,
  '',
  'ada',
  'Ada Lovelace',
  ' 2024-03-14 02:33:33.906',
  '2024-03-14 02:33:33.906',
  '2024-03-14 02:33:33',
  '2024-03-14 02:33',
  '2024-03-14T02:33:33.906Z',
  '2024-03-14T02:33:33.906',
  '2024-02-30 10:00:00.000',
  '1970-01-01 00:00:00.000',
  '9999-12-31 23:59:59.999',
  '2024-03-14 02:33:33.9061',
  'not a date',
  0,
  1,
  2,
  -1,
  1.5,
  true,
  false,
  '0',
  '1',
  '42',
  'true',
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

for (const [name, entities] of [
  ['the shipped entities', [User, Group, Population]],
  ['columns with transformers', [TransformedUser]],
] as const) {
  test(`the driver hydrates every value as TypeORM's SQLite base class does: ${name}`, async () => {
    sim = await startSimulator({ seed: 'demo', users: 3 });
    ds = await new PingOneDataSource({
      entities: [...entities],
      pingone: {
        environmentId: sim.environmentId,
        apiUrl: sim.apiUrl,
        authUrl: sim.authUrl,
        clientId: sim.credentials.clientId,
        clientSecret: sim.credentials.clientSecret,
      },
    }).initialize();
    const driver = ds.driver;
    const base = AbstractSqliteDriver.prototype.prepareHydratedValue;
    const columns: ColumnMetadata[] = ds.entityMetadatas.flatMap((m) => m.columns);
    const types = new Set(columns.map((c) => String(c.type)));
    expect([...types]).toEqual(expect.arrayContaining(['varchar', 'boolean', 'datetime']));
    let compared = 0;
    for (const column of columns) {
      for (const value of values) {
        expect([column.propertyPath, value, outcome(() => driver.prepareHydratedValue(value, column))]).toEqual([
          column.propertyPath,
          value,
          outcome(() => base.call(driver, value, column)),
        ]);
        compared++;
      }
    }
    expect(compared).toBe(columns.length * values.length);
  });
}

/** An entity as nested [class, [key, value]…] in property order, so toEqual also compares classes and key order. */
const shape = (value: unknown): unknown => {
  if (value instanceof Date) return ['Date', Number.isNaN(value.getTime()) ? 'Invalid' : value.toISOString()];
  if (Array.isArray(value)) return value.map(shape);
  if (typeof value === 'object' && value !== null)
    return [value.constructor?.name ?? 'null-prototype', Object.entries(value).map(([k, v]) => [k, shape(v)])];
  return value;
};

describe("the hydration plan gives what TypeORM's own transform gives", () => {
  let h: { sim: RunningSimulator; ds: PingOneDataSource } | undefined;
  beforeAll(async () => {
    const running = await startSimulator({ seed: 'demo', users: 40 });
    const source = new PingOneDataSource({
      entities: [User, Group, Population],
      pingone: {
        environmentId: running.environmentId,
        apiUrl: running.apiUrl,
        authUrl: running.authUrl,
        clientId: running.credentials.clientId,
        clientSecret: running.credentials.clientSecret,
      },
    });
    try {
      await source.initialize();
    } catch (error) {
      await running.close();
      throw error;
    }
    h = { sim: running, ds: source };
  });
  afterAll(async () => {
    await h?.ds.destroy();
    await h?.sim.close();
  });

  const users = () => h!.ds.getRepository(User).createQueryBuilder('u');
  type Shape = [
    name: string,
    qb: () => SelectQueryBuilder<ObjectLiteral>,
    rows: (raw: Record<string, unknown>[]) => Record<string, unknown>[],
    planned: boolean,
  ];
  const same = (raw: Record<string, unknown>[]) => raw;
  const shapes: Shape[] = [
    ['every column, embedded objects included', users, same, true],
    [
      'a partial select with embedded columns',
      () => users().select(['u.id', 'u.username', 'u.name.given', 'u.address.locality', 'u.enabled', 'u.createdAt']),
      same,
      true,
    ],
    ['a select without the primary key (a row each, no grouping)', () => users().select(['u.username', 'u.type']), same, true],
    ['duplicate ids (the first row of each id)', users, (raw) => [...raw, ...raw.map((r) => ({ ...r, u_username: 'other' }))], true],
    [
      'rows whose selected values are all NULL (no entity)',
      () => users().select(['u.id', 'u.nickname']),
      (raw) => raw.map((r, i) => (i % 2 ? { u_id: null, u_nickname: null } : r)),
      true,
    ],
    [
      'timestamps in other forms and booleans as 0/1',
      users,
      (raw) =>
        raw.map((r, i) => ({
          ...r,
          u_createdAt: ['2024-01-02T03:04:05Z', '2024-01-02 03:04', null, 1700000000000][i % 4],
          u_enabled: i % 3,
        })),
      true,
    ],
    ['groups', () => h!.ds.getRepository(Group).createQueryBuilder('g'), same, true],
    ['populations', () => h!.ds.getRepository(Population).createQueryBuilder('p'), same, true],
    [
      "users with their groups joined (the joins by TypeORM's own transformJoins)",
      () => users().leftJoinAndSelect('u.groups', 'g'),
      same,
      true,
    ],
    ['users with their population joined', () => users().leftJoinAndSelect('u.population', 'p'), same, true],
    [
      "users with groups and the groups' population",
      () => users().leftJoinAndSelect('u.groups', 'g').leftJoinAndSelect('g.population', 'gp'),
      same,
      true,
    ],
    [
      'a join without its primary key selected (a row each)',
      () => users().select(['u.username']).leftJoin('u.population', 'p').addSelect(['p.name']),
      same,
      true,
    ],
    [
      'groups with their users, duplicate rows',
      () => h!.ds.getRepository(Group).createQueryBuilder('g').leftJoinAndSelect('g.users', 'u'),
      (raw) => [...raw, ...raw],
      true,
    ],
  ];

  test.each(shapes)('%s', async (_name, qb, rows, planned) => {
    const query = qb();
    const [sql, params] = query.getQueryAndParameters();
    const raw = rows(await h!.ds.query<Record<string, unknown>[]>(sql, params));
    expect(raw.length).toBeGreaterThan(0);
    const alias = query.expressionMap.mainAlias!;
    const transformer = () => new RawSqlResultsToEntityTransformer(query.expressionMap, h!.ds.driver, [], undefined);
    const mine = transformer().transform(raw, alias);
    const theirs = typeormHydration(transformer(), raw, alias);
    expect(shape(mine)).toEqual(shape(theirs));
    expect(mine.length).toBeGreaterThan(0);
    // the plan ran for this shape, or left it to TypeORM
    expect(hydrateFast(transformer(), raw, alias) !== undefined).toBe(planned);
  });

  test('find() gives the entities TypeORM gives on SQLite with the same rows: classes, key order, values', async () => {
    const d = await startDifferential();
    try {
      const finds: FindManyOptions<User>[] = [
        { order: { username: 'ASC' } },
        { select: { id: true, username: true, name: { given: true }, enabled: true, createdAt: true }, order: { id: 'ASC' } },
        { where: { type: 'Contractor' }, order: { createdAt: 'DESC' }, take: 7 },
        { relations: { groups: true, population: true }, order: { username: 'ASC', groups: { name: 'ASC' } } },
        { relations: { groups: { population: true } }, order: { username: 'ASC', groups: { name: 'ASC' } }, skip: 5, take: 20 },
      ];
      for (const options of finds) {
        const theirs = await d.oracle.getRepository(User).find(options);
        const mine = await d.driver.getRepository(User).find(options);
        expect(mine.length).toBeGreaterThan(0);
        expect(shape(mine)).toEqual(shape(theirs));
      }
      // relation ids, loaded by TypeORM's second query and mapped by transformRelationIds
      const withIds = (ds: DataSource) =>
        ds
          .getRepository(User)
          .createQueryBuilder('u')
          .loadRelationIdAndMap('u.groupIds', 'u.groups')
          .orderBy('u.username', 'ASC')
          .getMany()
          .then((list) => list.map((u) => Object.assign(u, { groupIds: [...(u as User & { groupIds: string[] }).groupIds].sort() })));
      const mine = await withIds(d.driver);
      expect(mine.some((u) => u.groupIds.length > 0)).toBe(true);
      expect(shape(mine)).toEqual(shape(await withIds(d.oracle)));
    } finally {
      await d.close();
    }
  });
});
