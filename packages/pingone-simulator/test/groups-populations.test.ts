import { startTestApi, type TestApi } from './helpers/http';

let api: TestApi;
beforeEach(async () => {
  api = await startTestApi();
});
afterEach(() => api.close());

test('groups keep customData, count direct members and report totalMemberCounts on request', async () => {
  const parent = (await api.call('POST', '/groups', { name: 'Parent', customData: { a: { b: [1, null] } } })).body;
  const child = (await api.call('POST', '/groups', { name: 'Child' })).body;
  expect(parent.customData).toEqual({ a: { b: [1, null] } });
  const u1 = (await api.call('POST', '/users', { username: 'u1', email: 'u1@example.com' })).body;
  const u2 = (await api.call('POST', '/users', { username: 'u2', email: 'u2@example.com' })).body;
  expect((await api.call('POST', `/users/${u1.id}/memberOfGroups`, { id: parent.id })).status).toBe(201);
  await api.call('POST', `/users/${u2.id}/memberOfGroups`, { id: child.id });
  expect((await api.call('POST', `/groups/${child.id}/memberOfGroups`, { id: parent.id })).status).toBe(201);
  const read = (await api.call('GET', `/groups/${parent.id}?include=totalMemberCounts`)).body;
  expect(read.directMemberCounts).toEqual({ users: 1, groups: 1 });
  expect(read.totalMemberCounts).toEqual({ users: 2 });
  expect((await api.call('GET', `/groups/${parent.id}`)).body).not.toHaveProperty('totalMemberCounts');
});

test('a group PUT replaces attributes but cannot move it to another population', async () => {
  const pop = (await api.call('POST', '/populations', { name: 'P2' })).body;
  const group = (await api.call('POST', '/groups', { name: 'G', description: 'd', population: { id: pop.id } })).body;
  const replaced = await api.call('PUT', `/groups/${group.id}`, { name: 'G2' });
  expect(replaced.body).toMatchObject({ name: 'G2', population: { id: pop.id } });
  expect(replaced.body).not.toHaveProperty('description');
  const other = (await api.call('POST', '/populations', { name: 'P3' })).body;
  const moved = await api.call('PUT', `/groups/${group.id}`, { name: 'G2', population: { id: other.id } });
  expect(moved.status).toBe(400);
  expect(moved.body.details[0].message).toMatch(/can't be changed/);
});

test('there is one default population; it and populations with users cannot be deleted', async () => {
  const list = (await api.call('GET', '/populations')).body;
  const defaults = list._embedded.populations.filter((p: { default?: boolean }) => p.default);
  expect(defaults).toHaveLength(1);
  const def = defaults[0];
  expect((await api.call('DELETE', `/populations/${def.id}`)).body.details[0].code).toBe('CONSTRAINT_VIOLATION');
  const pop = (await api.call('POST', '/populations', { name: 'Busy' })).body;
  const user = (await api.call('POST', '/users', { username: 'b', email: 'b@example.com', population: { id: pop.id } })).body;
  expect((await api.call('GET', `/populations/${pop.id}`)).body.userCount).toBe(1);
  const refused = await api.call('DELETE', `/populations/${pop.id}`);
  expect(refused.status).toBe(400);
  expect(refused.body.details[0].message).toMatch(/contains 1 user/);
  await api.call('DELETE', `/users/${user.id}`);
  expect((await api.call('DELETE', `/populations/${pop.id}`)).status).toBe(204);
  expect((await api.call('POST', '/populations', { name: 'busy' })).status).toBe(201);
  expect((await api.call('POST', '/populations', { name: 'BUSY' })).body.details[0].code).toBe('UNIQUENESS_VIOLATION');
});

test('making another population the default clears the old flag', async () => {
  const pop = (await api.call('POST', '/populations', { name: 'New default', default: true })).body;
  const all = (await api.call('GET', '/populations')).body._embedded.populations as { id: string; default?: boolean }[];
  expect(all.filter((p) => p.default).map((p) => p.id)).toEqual([pop.id]);
});
