import { startTestApi, type TestApi } from './helpers/http';

/* The directory's other resources: roles, role assignments, applications, sessions, audit activities, environments. */
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ seed: 'demo', users: 40 });
});
afterAll(() => api.close());

const root = (path: string) => `${api.sim.apiUrl}${path}`;
const env = () => api.sim.store.environment(api.env)!;

test("built-in roles at /roles; the environment's roles typed PLATFORM and CUSTOM, filterable by type", async () => {
  const platform = (await api.call('GET', root('/roles'))).body._embedded.roles;
  expect(platform.map((r: { name: string }) => r.name)).toContain('Identity Data Admin');
  const custom = (await api.call('GET', `/roles?filter=${encodeURIComponent('type eq "CUSTOM"')}`)).body._embedded.roles;
  expect(custom.map((r: { name: string; type: string }) => [r.name, r.type])).toEqual([['Audit Reader', 'CUSTOM']]);
  expect((await api.call('GET', `/roles?filter=${encodeURIComponent('name eq "x"')}`)).status).toBe(400);
});

test('role assignments: listed per user, created with a role and a scope that exist, refused twice, deleted', async () => {
  const user = [...env().users.values()][5].data.id as string;
  const idAdmin = (await api.call('GET', root('/roles'))).body._embedded.roles.find(
    (r: { name: string }) => r.name === 'Identity Data Admin',
  ).id;
  const created = await api.call('POST', `/users/${user}/roleAssignments`, {
    role: { id: idAdmin },
    scope: { id: api.env, type: 'ENVIRONMENT' },
  });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ role: { id: idAdmin }, scope: { id: api.env, type: 'ENVIRONMENT' }, readOnly: false });
  expect(created.body).not.toHaveProperty('_subject');
  const again = await api.call('POST', `/users/${user}/roleAssignments`, {
    role: { id: idAdmin },
    scope: { id: api.env, type: 'ENVIRONMENT' },
  });
  expect(again.body.details[0].code).toBe('UNIQUENESS_VIOLATION');
  expect(
    (await api.call('POST', `/users/${user}/roleAssignments`, { role: { id: idAdmin }, scope: { id: api.env, type: 'APPLICATION' } }))
      .status,
  ).toBe(400);
  expect(
    (await api.call('GET', `/users/${user}/roleAssignments`)).body._embedded.roleAssignments.map((a: { id: string }) => a.id),
  ).toContain(created.body.id);
  expect((await api.call('DELETE', `/users/${user}/roleAssignments/${created.body.id}`)).status).toBe(204);
  expect((await api.call('GET', `/users/00000000-0000-4000-8000-000000000000/roleAssignments`)).status).toBe(404);
});

test('applications of every protocol, their grants and attribute mappings; no client secret', async () => {
  const apps = (await api.call('GET', '/applications')).body._embedded.applications;
  expect(new Set(apps.map((a: { protocol: string }) => a.protocol))).toEqual(
    new Set(['OPENID_CONNECT', 'SAML', 'WS_FED', 'EXTERNAL_LINK']),
  );
  for (const app of apps) expect(app).not.toHaveProperty('clientSecret');
  expect((await api.call('GET', `/applications/${apps[0].id}/attributes`)).body._embedded.attributes.length).toBeGreaterThan(0);
  expect((await api.call('GET', `/applications/${apps[0].id}/grants`)).body._embedded.grants.length).toBeGreaterThan(0);
  expect((await api.call('GET', `/applications?filter=${encodeURIComponent('name eq "x"')}`)).body.details[0].code).toBe('INVALID_FILTER');
});

test('sessions per user, revoked with DELETE', async () => {
  const session = [...env().directory.table('sessions').values()][0].data as { id: string; user: { id: string } };
  const listed = (await api.call('GET', `/users/${session.user.id}/sessions`)).body._embedded.sessions;
  expect(listed.map((s: { id: string }) => s.id)).toContain(session.id);
  expect((await api.call('DELETE', `/users/${session.user.id}/sessions/${session.id}`)).status).toBe(204);
  expect((await api.call('GET', `/users/${session.user.id}/sessions/${session.id}`)).status).toBe(404);
});

test('audit activities need a recordedAt range, take one of the documented eq filters, the last 14 days only, by GET or POST', async () => {
  const day = 86_400_000;
  const range = `recordedat gt "${new Date(Date.now() - 30 * day).toISOString()}" and recordedat lt "${new Date(Date.now() + day).toISOString()}"`;
  expect((await api.call('GET', '/activities')).body.details[0].code).toBe('INVALID_FILTER');
  expect((await api.call('GET', `/activities?filter=${encodeURIComponent('action.type eq "USER.CREATED"')}`)).status).toBe(400);
  const all = (await api.call('GET', `/activities?limit=1000&filter=${encodeURIComponent(range)}`)).body;
  const fortnight = new Date(Date.now() - 14 * day).toISOString();
  expect(all._embedded.activities.every((a: { recordedAt: string }) => a.recordedAt >= fortnight)).toBe(true);
  expect(all._embedded.activities.length).toBeLessThan(240);
  const created = (await api.call('POST', '/activities', { filter: `${range} and action.type eq "USER.CREATED"`, limit: 5 })).body;
  expect(created._embedded.activities.every((a: { action: { type: string } }) => a.action.type === 'USER.CREATED')).toBe(true);
  expect(created._links.next.href).not.toContain('filter');
  const next = (await api.call('POST', created._links.next.href, { filter: `${range} and action.type eq "USER.CREATED"`, limit: 5 })).body;
  expect(next._embedded.activities[0].id).not.toBe(created._embedded.activities[0].id);
  const two = await api.call('POST', '/activities', { filter: `${range} and action.type eq "USER.CREATED" and resources.type eq "USER"` });
  expect(two.body.details[0].code).toBe('INVALID_FILTER');
  expect(
    (await api.call('POST', '/activities', { filter: `${range} and (action.type eq "USER.CREATED" or action.type eq "USER.UPDATED")` }))
      .status,
  ).toBe(400);
});

test('environments filtered (name sw, and) and paged; organizations and their licenses', async () => {
  const envs = (await api.call('GET', root(`/environments?filter=${encodeURIComponent(`name sw "De" and id eq "${api.env}"`)}`))).body
    ._embedded.environments;
  expect(envs.map((e: { id: string }) => e.id)).toEqual([api.env]);
  expect((await api.call('GET', root(`/environments?filter=${encodeURIComponent('name sw "a" or name sw "b"')}`))).status).toBe(400);
  const orgs = (await api.call('GET', root('/organizations'))).body._embedded.organizations;
  expect(orgs).toHaveLength(1);
  const licenses = (await api.call('GET', root(`/organizations/${orgs[0].id}/licenses`))).body._embedded.licenses;
  expect(licenses[0]).toMatchObject({ organization: { id: orgs[0].id }, status: 'ACTIVE' });
});
