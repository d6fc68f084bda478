import 'reflect-metadata';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { demoSeed, startSimulator, type RunningSimulator } from '@typeorm-pingone/simulator';
import { PingOneDataSource, PingOneDriverError } from '../src';

/* PingOne environments as schemas: one DataSource reads several environments and joins across them. */
class DirectoryUser {
  @PrimaryColumn({ type: 'varchar' }) id!: string;
  @Column({ type: 'varchar' }) username!: string;
  @Column({ type: 'varchar', nullable: true }) type?: string | null;
}
@Entity({ name: 'users', schema: 'Demo' })
class DemoUser extends DirectoryUser {}
@Entity({ name: 'users', schema: 'Administrators' })
class AdminUser extends DirectoryUser {}
@Entity({ name: 'users' })
class DefaultUser extends DirectoryUser {}

let sim: RunningSimulator;
let ds: PingOneDataSource;
let adminEnvironment: string;
beforeAll(async () => {
  sim = await startSimulator({
    seed: {
      environments: [
        demoSeed({ users: 20 }),
        {
          name: 'Administrators',
          users: [
            { username: 'ada.lovelace.0', email: 'ada@admin.example.com', type: 'Admin' },
            { username: 'root', email: 'root@admin.example.com', type: 'Admin' },
          ],
        },
      ],
    },
  });
  adminEnvironment = [...sim.store.environments.values()].find((e) => e.name === 'Administrators')!.id;
  ds = await new PingOneDataSource({
    entities: [DemoUser, AdminUser, DefaultUser],
    pingone: {
      environmentId: sim.environmentId,
      apiUrl: sim.apiUrl,
      authUrl: sim.authUrl,
      clientId: sim.credentials.clientId,
      clientSecret: sim.credentials.clientSecret,
    },
  }).initialize();
  const demoNames = [...sim.store.environment(sim.environmentId)!.users.values()].map((u) => String(u.data.username));
  // give the admin environment one username that also exists in Demo, for the join below
  // (through putUser, as the simulator's own writes do: a new data object, indexed, rendered afresh)
  const admin = sim.store.environment(adminEnvironment)!;
  const first = admin.users.values().next().value!.data;
  admin.putUser({ ...first, id: String(first.id), username: demoNames[0] });
  sim.requests.clear();
});
afterAll(async () => {
  try {
    if (ds?.isInitialized) await ds.destroy();
  } finally {
    await sim?.close();
  }
});

const envOf = (path: string) => /\/environments\/([^/]+)\//.exec(path)?.[1];

test('the same entity class shape in two environments reads each environment', async () => {
  const admins = await ds.getRepository(AdminUser).find();
  const demo = await ds.getRepository(DemoUser).findBy({ type: 'Contractor' });
  const defaults = await ds.getRepository(DefaultUser).count();
  expect(admins.map((u) => u.type)).toEqual(['Admin', 'Admin']);
  expect(demo.length).toBeGreaterThan(0);
  expect(defaults).toBe(20);
  expect(sim.requests.api().map((r) => envOf(r.path))).toEqual([adminEnvironment, sim.environmentId, sim.environmentId]);
});

test('a join across environments', async () => {
  sim.requests.clear();
  const rows = await ds
    .getRepository(AdminUser)
    .createQueryBuilder('a')
    .innerJoin(DemoUser, 'd', 'd.username = a.username')
    .select(['a.username AS admin', 'd.type AS demoType'])
    .getRawMany();
  expect(rows).toHaveLength(1);
  expect(rows[0].demoType).toMatch(/Employee|Contractor|Partner/);
  expect(new Set(sim.requests.api().map((r) => envOf(r.path)))).toEqual(new Set([adminEnvironment, sim.environmentId]));
});

test('EXPLAIN and the logger show which environment a request went to', async () => {
  const plan = await ds.query<{ notes: string }[]>('EXPLAIN ANALYZE SELECT * FROM "Administrators~users"');
  expect(plan.some((r) => r.notes.includes(`[environment ${adminEnvironment}]`))).toBe(true);
});

test('an unknown environment name is an error that lists the environments', async () => {
  @Entity({ name: 'users', schema: 'Nowhere' })
  class Lost extends DirectoryUser {}
  const bad = new PingOneDataSource({
    entities: [Lost],
    pingone: {
      environmentId: sim.environmentId,
      apiUrl: sim.apiUrl,
      authUrl: sim.authUrl,
      clientId: sim.credentials.clientId,
      clientSecret: sim.credentials.clientSecret,
    },
  });
  const error = await bad.initialize().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(PingOneDriverError);
  expect((error as Error).message).toMatch(
    /schema 'Nowhere' names no PingOne environment.*Demo \(5f6c2f7e-9a3b-4c1d-8e2f-0a1b2c3d4e5f\), Administrators \(/,
  );
});
