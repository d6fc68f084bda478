import { startTestApi, type TestApi } from './helpers/http';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({
    seed: {
      environments: [
        {
          customAttributes: [
            'badge',
            { name: 'tags', multiValued: true },
            { name: 'prefs', type: 'JSON' },
            { name: 'vip', type: 'BOOLEAN' },
          ],
        },
      ],
    },
  });
});
afterAll(() => api.close());

test('GET /schemas lists the one User schema, with its links and allowsContainsOperator', async () => {
  const res = await api.call('GET', '/schemas');
  expect(res.status).toBe(200);
  expect(res.body.count).toBe(1);
  const [schema] = res.body._embedded.schemas;
  expect(schema).toMatchObject({ name: 'User', environment: { id: api.env }, allowsContainsOperator: false });
  expect(schema._links.attributes.href).toBe(`${api.sim.apiUrl}/environments/${api.env}/schemas/${schema.id}/attributes`);
  expect((await api.call('GET', `/schemas/${schema.id}`)).body).toEqual(schema);
});

test('the attributes are the CORE and STANDARD ones plus the seeded CUSTOM ones, with type and multiValued', async () => {
  const schemaId = (await api.call('GET', '/schemas')).body._embedded.schemas[0].id;
  const res = await api.call('GET', `/schemas/${schemaId}/attributes`);
  const byName = new Map<string, Record<string, unknown>>(res.body._embedded.attributes.map((a: Record<string, unknown>) => [a.name, a]));
  expect(byName.get('username')).toMatchObject({
    type: 'STRING',
    schemaType: 'CORE',
    unique: true,
    required: true,
    enabled: true,
    multiValued: false,
  });
  expect(byName.get('email')).toMatchObject({ type: 'STRING', schemaType: 'STANDARD' });
  expect((byName.get('name')!.subAttributes as { name: string }[]).map((a) => a.name)).toContain('given');
  const custom = [...byName.values()].filter((a) => a.schemaType === 'CUSTOM').map((a) => [a.name, a.type, a.multiValued]);
  expect(custom).toEqual([
    ['badge', 'STRING', false],
    ['tags', 'STRING', true],
    ['prefs', 'JSON', false],
    ['vip', 'BOOLEAN', false],
  ]);
  // Two reads give the same ids.
  expect((await api.call('GET', `/schemas/${schemaId}/attributes`)).body._embedded.attributes.map((a: { id: string }) => a.id)).toEqual(
    res.body._embedded.attributes.map((a: { id: string }) => a.id),
  );
});

test('an unknown schema id is a 404', async () => {
  const res = await api.call('GET', '/schemas/00000000-0000-4000-8000-000000000000/attributes');
  expect(res.status).toBe(404);
  expect(res.body.code).toBe('NOT_FOUND');
});

test('allowsContainsOperator opens co on the single-valued STRING custom attributes, at most 5 of them', async () => {
  const { startSimulator } = await import('../src/index.js');
  const six = ['a', 'b', 'c', 'd', 'e', 'f'];
  await expect(startSimulator({ seed: { environments: [{ customAttributes: six, allowsContainsOperator: true }] } })).rejects.toThrow(
    /at most 5 custom attributes\. Seed at most 5 such attributes .*or set allowsContainsOperator: false/,
  );
  await expect(
    startSimulator({
      seed: { environments: [{ customAttributes: [{ name: 'tags', multiValued: true }], containsCustomAttributes: ['tags'] }] },
    }),
  ).rejects.toThrow(
    "containsCustomAttributes: 'tags' is multi-valued; PingOne's contains operator applies to single-valued STRING custom attributes only.",
  );
  const sim = await startSimulator({
    seed: { environments: [{ customAttributes: ['a', 'b', { name: 'tags', multiValued: true }], allowsContainsOperator: true }] },
  });
  try {
    const env = sim.store.environment(sim.environmentId)!;
    expect([...env.containsCustomAttributes]).toEqual(['a', 'b']);
  } finally {
    await sim.close();
  }
});
