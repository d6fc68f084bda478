import 'reflect-metadata';
import { Column, Entity, Like, PrimaryColumn } from 'typeorm';
import { startSimulator } from '@typeorm-pingone/simulator';
import { createPingOneClient } from '@typeorm-pingone/client';
import { readCustomUserAttributes } from '../src/mapping/read-user-schema';
import { startDriver, type DriverHarness } from './helpers/driver-harness';

/*
 * `co` on custom attributes, learnt from the user schema alone (no customUserAttributes option): the driver pushes
 * `LIKE '%x%'` as `co` exactly where the simulator (PingOne's rule as we read it: Schema.allowsContainsOperator
 * covers the single-valued STRING custom attributes) accepts it, and evaluates the rest locally.
 */
@Entity('users')
class Staff {
  @PrimaryColumn({ type: 'varchar' }) id!: string;
  @Column({ type: 'varchar' }) username!: string;
  @Column({ type: 'varchar', nullable: true }) costCenter?: string | null;
  @Column({ type: 'simple-array', nullable: true }) locales?: string[] | null;
}

let h: DriverHarness;
beforeEach(async () => {
  h = await startDriver({ seed: 'demo', users: 40 }, { entities: [Staff] });
});
afterEach(() => h.close());

const stored = () => [...h.sim.store.environment(h.sim.environmentId)!.users.values()].map((r) => r.data);
const sortedNames = (rows: readonly { username: string }[]) => rows.map((u) => u.username).sort();

test('findBy({ costCenter: Like(\'%x%\') }) on the demo seed is pushed as costCenter co "x", read from the schema', async () => {
  const rows = await h.ds.getRepository(Staff).findBy({ costCenter: Like('%-3%') });
  const expected = stored()
    .filter((u) => String(u.costCenter).includes('-3'))
    .map((u) => String(u.username))
    .sort();
  expect(expected.length).toBeGreaterThan(0);
  expect(sortedNames(rows)).toEqual(expected);
  const api = h.sim.requests.api();
  expect(api).toHaveLength(1);
  expect(api[0]).toMatchObject({ method: 'GET', path: `/v1/environments/${h.sim.environmentId}/users` });
  expect(api[0].query.filter).toBe('costCenter co "-3"');
});

test('a multi-valued custom attribute (locales) is not pushed with co, and LIKE still answers locally', async () => {
  const rows = await h.ds.getRepository(Staff).findBy({ locales: Like('%fr-FR%') });
  const expected = stored()
    .filter((u) => (u.locales as string[]).includes('fr-FR'))
    .map((u) => String(u.username))
    .sort();
  expect(expected.length).toBeGreaterThan(0);
  expect(expected.length).toBeLessThan(40);
  expect(sortedNames(rows)).toEqual(expected);
  const filters = h.sim.requests.api().map((r) => r.query.filter);
  expect(filters.length).toBeGreaterThan(0);
  expect(filters.every((f) => f === undefined)).toBe(true);
});

test('the driver marks co exactly where the simulator accepts it, for every kind of custom attribute', async () => {
  const customAttributes = [
    'plain',
    { name: 'tags', multiValued: true },
    { name: 'profile', type: 'JSON' as const },
    { name: 'vip', type: 'BOOLEAN' as const },
    { name: 'off', enabled: false },
  ];
  for (const allowsContainsOperator of [true, false]) {
    const sim = await startSimulator({ seed: { environments: [{ customAttributes, allowsContainsOperator }] } });
    try {
      const client = createPingOneClient({
        environmentId: sim.environmentId,
        apiUrl: sim.apiUrl,
        authUrl: sim.authUrl,
        clientId: sim.credentials.clientId,
        clientSecret: sim.credentials.clientSecret,
        rateLimit: false,
      });
      const read = await readCustomUserAttributes(client);
      expect([...read.keys()].sort()).toEqual(['plain', 'profile', 'tags', 'vip']);
      for (const attribute of read.values()) {
        const status = await client.request({ method: 'GET', url: '/users', query: { filter: `${attribute.name} co "x"` } }).then(
          (r) => r.status,
          (e: { status?: number }) => e.status,
        );
        expect([attribute.name, allowsContainsOperator, status]).toEqual([
          attribute.name,
          allowsContainsOperator,
          attribute.allowsContains ? 200 : 400,
        ]);
      }
      expect(read.get('plain')!.allowsContains).toBe(allowsContainsOperator);
    } finally {
      await sim.close();
    }
  }
});
