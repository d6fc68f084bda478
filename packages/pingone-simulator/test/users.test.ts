import { startTestApi, type TestApi } from './helpers/http';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ seed: { environments: [{ customAttributes: ['costCenter', 'locales'] }] } });
});
afterAll(() => api.close());

const IMPORT = 'application/vnd.pingidentity.user.import+json';

test('create answers 201 with PingOne defaults, absolute links, uuid id and millisecond timestamps', async () => {
  const res = await api.call('POST', '/users', {
    username: 'ada',
    email: 'ada@example.com',
    name: { given: 'Ada' },
    nickname: null,
    bogus: 1,
  });
  expect(res.status).toBe(201);
  expect(res.headers.get('content-type')).toBe('application/hal+json;charset=UTF-8');
  expect(res.headers.get('correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
  const user = res.body;
  expect(user.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(user._links.self.href).toBe(`${api.sim.apiUrl}/environments/${api.env}/users/${user.id}`);
  expect(user.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  expect(user).toMatchObject({
    enabled: true,
    mfaEnabled: false,
    account: { canAuthenticate: true, status: 'OK' },
    identityProvider: { type: 'PING_ONE' },
    lifecycle: { status: 'ACCOUNT_OK' },
    environment: { id: api.env },
    population: { id: expect.any(String) },
  });
  expect(user).not.toHaveProperty('nickname'); // null and unknown attributes are not stored
  expect(user).not.toHaveProperty('bogus');
  expect(user).not.toHaveProperty('password');
});

test('usernames are unique case-insensitively; required fields are enforced', async () => {
  await api.call('POST', '/users', { username: 'Grace', email: 'g@example.com' });
  const dup = await api.call('POST', '/users', { username: 'GRACE', email: 'g2@example.com' });
  expect(dup.status).toBe(400);
  expect(dup.body).toMatchObject({ code: 'INVALID_DATA', details: [{ code: 'UNIQUENESS_VIOLATION', target: 'username' }] });
  const missing = await api.call('POST', '/users', { email: 'x@example.com' });
  expect(missing.body).toMatchObject({ code: 'INVALID_DATA', details: [{ code: 'REQUIRED_VALUE', target: 'username' }] });
});

test('only the import content type takes a password; other content types get 415', async () => {
  const imported = await api.call(
    'POST',
    '/users',
    {
      username: 'imp',
      email: 'i@example.com',
      password: { value: 'S3cret!pass', forceChange: true },
      lifecycle: { status: 'VERIFICATION_REQUIRED' },
    },
    IMPORT,
  );
  expect(imported.status).toBe(201);
  expect(imported.body.lifecycle.status).toBe('VERIFICATION_REQUIRED');
  expect(api.sim.store.environment(api.env)!.passwords.get(imported.body.id)).toEqual({ value: 'S3cret!pass', forceChange: true });
  expect(JSON.stringify(api.sim.requests.all())).not.toContain('S3cret!pass');
  const wrong = await api.call('POST', '/users', { username: 'x', email: 'x@example.com' }, 'text/plain');
  expect(wrong.status).toBe(415);
});

test('PUT clears omitted attributes, PATCH keeps them and merges nested objects, null clears', async () => {
  const { body: user } = await api.call('POST', '/users', {
    username: 'lin',
    email: 'l@example.com',
    title: 'Eng',
    name: { given: 'Lin', family: 'Us' },
  });
  const patched = await api.call('PATCH', `/users/${user.id}`, { name: { given: 'Linus' } });
  expect(patched.body).toMatchObject({ title: 'Eng', name: { given: 'Linus', family: 'Us' } });
  const cleared = await api.call('PATCH', `/users/${user.id}`, { title: null });
  expect(cleared.body).not.toHaveProperty('title');
  const replaced = await api.call('PUT', `/users/${user.id}`, { username: 'lin', email: 'l@example.com' });
  expect(replaced.status).toBe(200);
  expect(replaced.body).not.toHaveProperty('name');
  expect(replaced.body.population).toEqual(user.population); // managed attributes survive a PUT
  expect(replaced.body.createdAt).toBe(user.createdAt);
});

test('custom attributes declared by the schema are kept, others ignored', async () => {
  const res = await api.call('POST', '/users', {
    username: 'cus',
    email: 'c@example.com',
    costCenter: 'CC-1',
    locales: ['en', 'fr'],
    other: 'x',
  });
  expect(res.body).toMatchObject({ costCenter: 'CC-1', locales: ['en', 'fr'] });
  expect(res.body).not.toHaveProperty('other');
});

test('enabled, population and password have their own endpoints', async () => {
  const { body: user } = await api.call('POST', '/users', { username: 'en', email: 'e@example.com' });
  expect((await api.call('PUT', `/users/${user.id}/enabled`, { enabled: false })).body.enabled).toBe(false);
  expect((await api.call('GET', `/users/${user.id}`)).body.enabled).toBe(false);
  expect((await api.call('PUT', `/users/${user.id}/enabled`, { enabled: 'no' })).status).toBe(400);
  const pop = await api.call('POST', '/populations', { name: 'Other' });
  expect((await api.call('PUT', `/users/${user.id}/population`, { id: pop.body.id })).status).toBe(200);
  expect((await api.call('GET', `/users/${user.id}/population`)).body.id).toBe(pop.body.id);
  const pw = await api.call(
    'PUT',
    `/users/${user.id}/password`,
    { value: 'N3w!pass', forceChange: false },
    'application/vnd.pingidentity.password.set+json',
  );
  expect(pw.status).toBe(200);
  expect((await api.call('PUT', `/users/${user.id}/password`, { value: 'x' })).status).toBe(415);
});

test('reads of unknown ids are 404, PATCH on groups is 405, malformed JSON is 400', async () => {
  expect((await api.call('GET', '/users/00000000-0000-4000-8000-000000000000')).body).toMatchObject({ code: 'NOT_FOUND' });
  const group = await api.call('POST', '/groups', { name: 'G' });
  expect((await api.call('PATCH', `/groups/${group.body.id}`, { name: 'H' })).status).toBe(405);
  const bad = await api.call('POST', '/users', '{"username": ');
  expect(bad.status).toBe(400);
  expect(bad.body.code).toBe('INVALID_REQUEST');
});

test('delete answers 204 and the user is gone', async () => {
  const { body: user } = await api.call('POST', '/users', { username: 'del', email: 'd@example.com' });
  expect((await api.call('DELETE', `/users/${user.id}`)).status).toBe(204);
  expect((await api.call('GET', `/users/${user.id}`)).status).toBe(404);
  expect((await api.call('POST', '/users', { username: 'DEL', email: 'd@example.com' })).status).toBe(201); // name freed
});

test('expand=population embeds the population document on lists and single reads', async () => {
  const { startTestApi } = await import('./helpers/http.js');
  const api = await startTestApi({ seed: 'demo', users: 5 });
  try {
    const list = await api.call('GET', '/users?limit=2&expand=population');
    for (const user of list.body._embedded.users) {
      expect(user._embedded.population).toMatchObject({ id: user.population.id, name: expect.any(String), userCount: expect.any(Number) });
    }
    const id = list.body._embedded.users[0].id;
    expect((await api.call('GET', `/users/${id}?expand=population`)).body._embedded.population.id).toBe(
      list.body._embedded.users[0].population.id,
    );
    expect((await api.call('GET', `/users/${id}`)).body).not.toHaveProperty('_embedded');
    expect((await api.call('GET', '/users?expand=group')).status).toBe(400);
  } finally {
    await api.close();
  }
});
