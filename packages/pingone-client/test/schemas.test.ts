import { PingOneApiError } from '../src';
import { startHarness, type Harness } from './helpers/client-under-test';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ seed: { environments: [{ customAttributes: ['costCenter', { name: 'locales', multiValued: true }] }] } });
});
afterEach(() => h.close());

test('schemas.userSchema() reads the User schema and its attributes in two requests', async () => {
  h.sim.requests.clear();
  const read = await h.client.schemas.userSchema();
  expect(read?.schema.name).toBe('User');
  const custom = read!.attributes
    .filter((a) => a.schemaType === 'CUSTOM')
    .map((a) => ({ name: a.name, type: a.type, multiValued: a.multiValued }));
  expect(custom).toEqual([
    { name: 'costCenter', type: 'STRING', multiValued: false },
    { name: 'locales', type: 'STRING', multiValued: true },
  ]);
  expect(h.sim.requests.api().map((r) => `${r.method} ${r.path.replace(/.*\/environments\/[^/]+/, '')}`)).toEqual([
    'GET /schemas',
    `GET /schemas/${read!.schema.id}/attributes`,
  ]);
});

test('schemas.get and getEnvironment read one resource; an unknown schema id is a PingOneApiError 404', async () => {
  const [schema] = await h.client.schemas.list().toArray();
  expect(await h.client.schemas.get(schema.id)).toEqual(schema);
  expect((await h.client.getEnvironment()).id).toBe(h.sim.environmentId);
  const error = await h.client.schemas
    .attributes('00000000-0000-4000-8000-000000000000')
    .toArray()
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(PingOneApiError);
  expect((error as PingOneApiError).status).toBe(404);
});
