import { startTestApi, type TestApi } from './helpers/http';

let api: TestApi;
let ids: Record<string, string>;
beforeAll(async () => {
  api = await startTestApi();
  const make = async (path: string, body: object) => (await api.call('POST', path, body)).body.id as string;
  ids = {
    admins: await make('/groups', { name: 'Admins' }),
    helpdesk: await make('/groups', { name: 'Help Desk' }),
    ada: await make('/users', { username: 'ada', email: 'ada@example.com' }),
    bob: await make('/users', { username: 'bob', email: 'bob@example.com' }),
  };
  await api.call('POST', `/groups/${ids.helpdesk}/memberOfGroups`, { id: ids.admins });
  await api.call('POST', `/users/${ids.ada}/memberOfGroups`, { id: ids.admins });
  await api.call('POST', `/users/${ids.bob}/memberOfGroups`, { id: ids.helpdesk });
});
afterAll(() => api.close());

const usernames = (body: any) => body._embedded.users.map((u: { username: string }) => u.username).sort();
const filter = (f: string) => `/users?filter=${encodeURIComponent(f)}`;

test('memberOfGroups lists direct and indirect (nested) memberships', async () => {
  const res = await api.call('GET', `/users/${ids.bob}/memberOfGroups`);
  const items = res.body._embedded.groupMemberships.map((m: { id: string; type: string; name: string }) => [m.name, m.type]);
  expect(items).toEqual(expect.arrayContaining([['Help Desk', 'DIRECT'], ['Admins', 'INDIRECT']]));
  expect((await api.call('GET', `/users/${ids.bob}/memberOfGroups/${ids.admins}`)).body.type).toBe('INDIRECT');
});

test('filter=memberOfGroups[id eq …] finds members, with and type eq "DIRECT" only direct ones', async () => {
  expect(usernames((await api.call('GET', filter(`memberOfGroups[id eq "${ids.admins}"]`))).body)).toEqual(['ada', 'bob']);
  expect(usernames((await api.call('GET', filter(`memberOfGroups[id eq "${ids.admins}" and type eq "DIRECT"]`))).body)).toEqual(['ada']);
  const combined = await api.call('GET', filter(`memberOfGroups[id eq "${ids.admins}"] and username sw "b"`));
  expect(usernames(combined.body)).toEqual(['bob']);
  const nested = await api.call('GET', `/groups?filter=${encodeURIComponent(`memberOfGroups[id eq "${ids.admins}" and type eq "DIRECT"]`)}`);
  expect(nested.body._embedded.groups.map((g: { name: string }) => g.name)).toEqual(['Help Desk']);
});

test('include=memberOfGroupIDs|Names only on a single read', async () => {
  const one = await api.call('GET', `/users/${ids.ada}?include=memberOfGroupIDs&include=memberOfGroupNames`);
  expect(one.body.memberOfGroupIDs).toEqual([ids.admins]);
  expect(one.body.memberOfGroupNames).toEqual(['Admins']);
  const list = await api.call('GET', '/users?include=memberOfGroupIDs');
  expect(list.body._embedded.users[0]).not.toHaveProperty('memberOfGroupIDs');
});

test('duplicate memberships, unknown groups and nesting cycles are refused; DELETE removes', async () => {
  expect((await api.call('POST', `/users/${ids.ada}/memberOfGroups`, { id: ids.admins })).body.details[0].code).toBe('UNIQUENESS_VIOLATION');
  expect((await api.call('POST', `/users/${ids.ada}/memberOfGroups`, { id: '00000000-0000-4000-8000-000000000000' })).status).toBe(400);
  expect((await api.call('POST', `/groups/${ids.admins}/memberOfGroups`, { id: ids.helpdesk })).body.details[0].message).toMatch(/cycle/);
  expect((await api.call('DELETE', `/users/${ids.ada}/memberOfGroups/${ids.admins}`)).status).toBe(204);
  expect((await api.call('DELETE', `/users/${ids.ada}/memberOfGroups/${ids.admins}`)).status).toBe(404);
  await api.call('POST', `/users/${ids.ada}/memberOfGroups`, { id: ids.admins });
});

test('moving a user to another population drops memberships of the old population\'s groups', async () => {
  const [p1, p2] = [(await api.call('POST', '/populations', { name: 'P1' })).body.id, (await api.call('POST', '/populations', { name: 'P2' })).body.id];
  const g = (await api.call('POST', '/groups', { name: 'P1 group', population: { id: p1 } })).body.id;
  const u = (await api.call('POST', '/users', { username: 'mover', email: 'm@example.com', population: { id: p1 } })).body.id;
  await api.call('POST', `/users/${u}/memberOfGroups`, { id: g });
  await api.call('POST', `/users/${u}/memberOfGroups`, { id: ids.admins });
  await api.call('PUT', `/users/${u}/population`, { id: p2 });
  const groups = (await api.call('GET', `/users/${u}?include=memberOfGroupIDs`)).body.memberOfGroupIDs;
  expect(groups).toEqual([ids.admins]);
});
