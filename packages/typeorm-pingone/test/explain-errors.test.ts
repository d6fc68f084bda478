import 'reflect-metadata';
import { Column, Entity, PrimaryColumn, QueryFailedError, type Logger } from 'typeorm';
import { startSimulator } from '@typeorm-pingone/simulator';
import { PingOneDataSource, PingOneDriverError, User, Group, Population } from '../src';
import { startDriver, type DriverHarness } from './helpers/driver-harness';

let h: DriverHarness;
beforeAll(async () => {
  h = await startDriver({ seed: 'demo', users: 30 });
});
afterAll(() => h.close());
beforeEach(() => h.reset());

test('explain(queryBuilder) shows the plan without sending a request', async () => {
  const qb = h.ds.getRepository(User).createQueryBuilder('u').leftJoinAndSelect('u.groups', 'g').where('u.type = :t', { t: 'Contractor' });
  const plan = await h.ds.explain(qb);
  expect(plan.map((s) => [s.alias, s.strategy, s.filter])).toEqual([
    ['u', 'list', 'type eq "Contractor"'],
    ['u_g', 'memberships-of-users', ''],
    ['g', 'list-by-ids', 'id in keys from u_g.groupId'],
    ['', 'local', ''],
    ['', 'round-trips', ''],
  ]);
  expect(plan.at(-1)!.notes).toBe("critical path and requests: known once run (EXPLAIN ANALYZE); the client's rate limiter is off");
  expect(h.requests()).toEqual([]);
});

test('EXPLAIN ANALYZE through query() runs it and lists the real requests', async () => {
  const rows = await h.ds.query<Record<string, string>[]>('EXPLAIN ANALYZE SELECT "u"."username" FROM "users" "u" WHERE "u"."type" = ?', [
    'Partner',
  ]);
  expect(rows.filter((r) => r.strategy === 'request').map((r) => r.notes)).toEqual(['GET /users?limit=1000 filter=type eq "Partner"']);
  expect(h.requests()).toHaveLength(1);
});

test('the TypeORM logger shows each PingOne request under its SQL', async () => {
  const lines: string[] = [];
  const logger: Logger = {
    logQuery: (q) => {
      lines.push(`query: ${q}`);
    },
    logQueryError: () => undefined,
    logQuerySlow: () => undefined,
    logSchemaBuild: () => undefined,
    logMigration: () => undefined,
    log: (_level, message) => {
      lines.push(`log: ${String(message)}`);
    },
  };
  const other = await startDriver({ seed: 'demo', users: 5 }, { logger, logging: true });
  try {
    await other.ds.getRepository(User).findBy({ type: 'Employee' });
    const query = lines.findIndex((l) => l.startsWith('query: SELECT'));
    expect(lines[query + 1]).toMatch(/^log: PingOne GET \/users\?limit=1000 filter=type eq "Employee" {3}← SELECT/);
  } finally {
    await other.close();
  }
});

test('a write PingOne has no words for is refused clearly, as a QueryFailedError with the driver error as cause', async () => {
  const error = await h.ds.query('UPDATE "groups" SET "name" = "name" || \'x\' WHERE "id" = ?', ['g']).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(QueryFailedError);
  const cause = (error as QueryFailedError).driverError as PingOneDriverError;
  expect(cause).toBeInstanceOf(PingOneDriverError);
  expect(cause.code).toBe('UNSUPPORTED_STATEMENT');
  expect(cause.message).toMatch(/only literal or parameter values/);
  expect(h.requests()).toEqual([]);
});

test('SQL the driver cannot run is a typed error naming the construct', async () => {
  const union = await h.ds.query('SELECT id FROM users UNION SELECT id FROM groups').catch((e: unknown) => e);
  expect((union as QueryFailedError).driverError).toMatchObject({ code: 'UNSUPPORTED_STATEMENT', message: expect.stringMatching(/UNION/) });
  const unknownTable = await h.ds.query('SELECT * FROM applications').catch((e: unknown) => e);
  expect((unknownTable as QueryFailedError).driverError.message).toMatch(
    /no such table: applications\. Tables of this DataSource: .*users/,
  );
  const garbage = await h.ds.query('SELEKT nonsense').catch((e: unknown) => e);
  expect((garbage as QueryFailedError).driverError).toMatchObject({ code: 'SQL_ERROR' });
});

test('a PingOne failure surfaces as REMOTE_ERROR with the API error as cause', async () => {
  h.sim.faults.failNext(10, { status: 403 });
  const error = await h.ds
    .getRepository(User)
    .findBy({ type: 'x' })
    .catch((e: unknown) => e);
  const cause = (error as QueryFailedError).driverError as PingOneDriverError;
  expect(cause.code).toBe('REMOTE_ERROR');
  expect((cause.cause as { status: number }).status).toBe(403);
  h.sim.faults.reset();
});

test('parallel queries on one DataSource see only their own rows', async () => {
  const repo = h.ds.getRepository(User);
  const types = ['Employee', 'Contractor', 'Partner'];
  const results = await Promise.all(Array.from({ length: 30 }, (_, i) => repo.findBy({ type: types[i % 3] })));
  results.forEach((rows, i) => expect(rows.every((u) => u.type === types[i % 3])).toBe(true));
});

describe('mapping is checked at initialize()', () => {
  async function init(entities: (new (...args: never[]) => object)[], extra: object = {}) {
    const sim = await startSimulator();
    const ds = new PingOneDataSource({
      entities,
      pingone: {
        environmentId: sim.environmentId,
        apiUrl: sim.apiUrl,
        authUrl: sim.authUrl,
        clientId: sim.credentials.clientId,
        clientSecret: sim.credentials.clientSecret,
      },
      ...extra,
    });
    try {
      await ds.initialize();
      await ds.destroy();
      return undefined;
    } catch (error) {
      return error as Error;
    } finally {
      await sim.close();
    }
  }

  test('an unknown table lists the tables that exist', async () => {
    @Entity('invoices')
    class Invoice {
      @PrimaryColumn({ type: 'varchar' }) id!: string;
    }
    expect((await init([Invoice]))?.message).toMatch(
      /table 'invoices', which is not a PingOne resource.*users, groups, populations, roles.*audit_activities/,
    );
  });

  test('an unknown attribute lists the attributes that exist and how to map a custom one', async () => {
    @Entity('users')
    class Bad {
      @PrimaryColumn({ type: 'varchar' }) id!: string;
      @Column({ type: 'varchar' }) shoeSize!: string;
    }
    const error = await init([Bad]);
    const [first, ...rest] = error!.message.split('\n');
    expect(first).toMatch(
      /^Bad\.shoeSize maps to 'shoeSize', which PingOne users don't have: name the column after the attribute \(@Column\(\{ name: '<attribute path>' \}\)\) or add @PingOneAttribute\('<attribute path>'\)/,
    );
    expect(rest.join('\n')).toMatch(
      /^Known attributes of users: id, environment\.id.*\nThe environment's user schema has these custom attributes: /,
    );
  });

  test('a wrong column type says which type to use', async () => {
    @Entity('users')
    class Bad2 {
      @PrimaryColumn({ type: 'varchar' }) id!: string;
      @Column({ type: 'varchar' }) enabled!: string;
    }
    expect((await init([Bad2]))?.message).toMatch(/'enabled' is boolean/);
  });

  test('the ready entities map cleanly', async () => {
    expect(await init([User, Group, Population])).toBeUndefined();
  });

  test('options that make no sense for PingOne are refused with the reason', () => {
    expect(() => new PingOneDataSource({ entities: [], pingone: 'pingone://?x=1', migrationsRun: true } as never)).toThrow(
      /nothing to migrate/,
    );
    expect(() => new PingOneDataSource({ entities: [], pingone: 'pingone://?x=1', dropSchema: true } as never)).toThrow(/can't be dropped/);
    // TypeORM's query-result cache shape: the driver's own response cache replaces it (docs/several-instances.md)
    expect(
      () => new PingOneDataSource({ entities: [], pingone: 'pingone://?x=1', cache: { type: 'database', duration: 1000 } } as never),
    ).toThrow(/belong to TypeORM's query-result cache/);
    expect(() => new PingOneDataSource({ entities: [] } as never)).toThrow(/needs 'pingone'/);
  });
});
