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
  expect(items).toEqual(
    expect.arrayContaining([
      ['Help Desk', 'DIRECT'],
      ['Admins', 'INDIRECT'],
    ]),
  );
  expect((await api.call('GET', `/users/${ids.bob}/memberOfGroups/${ids.admins}`)).body.type).toBe('INDIRECT');
});

test('filter=memberOfGroups[id eq …] finds members, with and type eq "DIRECT" only direct ones', async () => {
  expect(usernames((await api.call('GET', filter(`memberOfGroups[id eq "${ids.admins}"]`))).body)).toEqual(['ada', 'bob']);
  expect(usernames((await api.call('GET', filter(`memberOfGroups[id eq "${ids.admins}" and type eq "DIRECT"]`))).body)).toEqual(['ada']);
  const combined = await api.call('GET', filter(`memberOfGroups[id eq "${ids.admins}"] and username sw "b"`));
  expect(usernames(combined.body)).toEqual(['bob']);
  const nested = await api.call(
    'GET',
    `/groups?filter=${encodeURIComponent(`memberOfGroups[id eq "${ids.admins}" and type eq "DIRECT"]`)}`,
  );
  expect(nested.body._embedded.groups.map((g: { name: string }) => g.name)).toEqual(['Help Desk']);
});

test('include=memberOfGroupIDs|Names only on a single read', async () => {
  const one = await api.call('GET', `/users/${ids.ada}?include=memberOfGroupIDs&include=memberOfGroupNames`);
  expect(one.body.memberOfGroupIDs).toEqual([ids.admins]);
  expect(one.body.memberOfGroupNames).toEqual(['Admins']);
  const list = await api.call('GET', '/users?include=memberOfGroupIDs');
  expect(list.body._embedded.users[0]).not.toHaveProperty('memberOfGroupIDs');
});

test('duplicate memberships, unknown groups and a group in itself are refused; DELETE removes', async () => {
  expect((await api.call('POST', `/users/${ids.ada}/memberOfGroups`, { id: ids.admins })).body.details[0].code).toBe(
    'UNIQUENESS_VIOLATION',
  );
  expect((await api.call('POST', `/users/${ids.ada}/memberOfGroups`, { id: '00000000-0000-4000-8000-000000000000' })).status).toBe(400);
  expect((await api.call('POST', `/groups/${ids.admins}/memberOfGroups`, { id: ids.admins })).body.details[0].message).toMatch(
    /member of itself/,
  );
  expect((await api.call('DELETE', `/users/${ids.ada}/memberOfGroups/${ids.admins}`)).status).toBe(204);
  expect((await api.call('DELETE', `/users/${ids.ada}/memberOfGroups/${ids.admins}`)).status).toBe(404);
  await api.call('POST', `/users/${ids.ada}/memberOfGroups`, { id: ids.admins });
});

test("moving a user to another population drops memberships of the old population's groups", async () => {
  const [p1, p2] = [
    (await api.call('POST', '/populations', { name: 'P1' })).body.id,
    (await api.call('POST', '/populations', { name: 'P2' })).body.id,
  ];
  const g = (await api.call('POST', '/groups', { name: 'P1 group', population: { id: p1 } })).body.id;
  const u = (await api.call('POST', '/users', { username: 'mover', email: 'm@example.com', population: { id: p1 } })).body.id;
  await api.call('POST', `/users/${u}/memberOfGroups`, { id: g });
  await api.call('POST', `/users/${u}/memberOfGroups`, { id: ids.admins });
  await api.call('PUT', `/users/${u}/population`, { id: p2 });
  const groups = (await api.call('GET', `/users/${u}?include=memberOfGroupIDs`)).body.memberOfGroupIDs;
  expect(groups).toEqual([ids.admins]);
});

test("nesting may form a cycle (A in C in B in A, as PingOne's nested-groups page shows): every member inherits every group of it once", async () => {
  const make = async (name: string) => (await api.call('POST', '/groups', { name })).body.id as string;
  const [a, b, c] = [await make('Cycle A'), await make('Cycle B'), await make('Cycle C')];
  for (const [child, parent] of [
    [a, c],
    [c, b],
    [b, a],
  ])
    expect((await api.call('POST', `/groups/${child}/memberOfGroups`, { id: parent })).status).toBe(201);
  const u = (await api.call('POST', '/users', { username: 'cycler', email: 'c@example.com' })).body.id as string;
  await api.call('POST', `/users/${u}/memberOfGroups`, { id: a });
  const types = async (path: string) =>
    Object.fromEntries(
      (await api.call('GET', path)).body._embedded.groupMemberships.map((m: { name: string; type: string }) => [m.name, m.type]),
    );
  expect(await types(`/users/${u}/memberOfGroups`)).toEqual({ 'Cycle A': 'DIRECT', 'Cycle C': 'INDIRECT', 'Cycle B': 'INDIRECT' });
  // A group of the cycle inherits the others, and is not listed as its own member.
  expect(await types(`/groups/${a}/memberOfGroups`)).toEqual({ 'Cycle C': 'DIRECT', 'Cycle B': 'INDIRECT' });
  const members = async (group: string, type = '') =>
    usernames((await api.call('GET', filter(`memberOfGroups[id eq "${group}"${type}]`))).body);
  expect(await members(b)).toEqual(['cycler']);
  expect(await members(b, ' and type eq "DIRECT"')).toEqual([]);
  expect((await api.call('GET', `/groups/${b}?include=totalMemberCounts`)).body.totalMemberCounts).toEqual({ users: 1 });
});

describe('GET /users/{id}/memberOfGroups: paged, filtered and expanded as documented', () => {
  let user: string;
  let groupIds: string[];
  beforeAll(async () => {
    user = (await api.call('POST', '/users', { username: 'joiner', email: 'j@example.com' })).body.id;
    groupIds = [];
    for (let i = 0; i < 7; i++) {
      const g = (await api.call('POST', '/groups', { name: `Paged ${i}` })).body.id as string;
      groupIds.push(g);
      await api.call('POST', `/users/${user}/memberOfGroups`, { id: g });
    }
    await api.call('POST', `/groups/${groupIds[6]}/memberOfGroups`, { id: ids.admins });
  });

  test('limit and the cursor of _links.next walk every membership once, with count and size', async () => {
    const seen: string[] = [];
    let next: string | undefined = `/users/${user}/memberOfGroups?limit=3`;
    const sizes: number[] = [];
    while (next) {
      const page = await api.call('GET', next);
      expect(page.status).toBe(200);
      expect(page.body.count).toBe(8);
      sizes.push(page.body.size);
      seen.push(...page.body._embedded.groupMemberships.map((m: { id: string }) => m.id));
      next = page.body._links.next?.href;
    }
    expect(sizes).toEqual([3, 3, 2]);
    expect(seen.sort()).toEqual([...groupIds, ids.admins].sort());
    expect((await api.call('GET', `/users/${user}/memberOfGroups?limit=0`)).status).toBe(400);
  });

  test('expand=group embeds each group document; unknown expansions are refused', async () => {
    const page = await api.call('GET', `/users/${user}/memberOfGroups?expand=group&limit=2`);
    const first = page.body._embedded.groupMemberships[0];
    expect(first._embedded.group).toMatchObject({
      id: first.id,
      name: first.name,
      directMemberCounts: expect.any(Object),
      _links: { self: expect.any(Object) },
    });
    expect(page.body._links.next.href).toContain('expand=group');
    expect((await api.call('GET', `/users/${user}/memberOfGroups/${groupIds[0]}?expand=group`)).body._embedded.group.id).toBe(groupIds[0]);
    expect((await api.call('GET', `/users/${user}/memberOfGroups`)).body._embedded.groupMemberships[0]).not.toHaveProperty('_embedded');
    const refused = await api.call('GET', `/users/${user}/memberOfGroups?expand=population`);
    expect(refused).toMatchObject({ status: 400, body: { details: [{ code: 'INVALID_VALUE', target: 'expand' }] } });
  });

  test('filter on type and id; anything else is refused as an invalid filter', async () => {
    const typed = await api.call('GET', `/users/${user}/memberOfGroups?filter=${encodeURIComponent('type eq "INDIRECT"')}`);
    expect(typed.body._embedded.groupMemberships.map((m: { id: string }) => m.id)).toEqual([ids.admins]);
    const refused = await api.call('GET', `/users/${user}/memberOfGroups?filter=${encodeURIComponent('name sw "Paged"')}`);
    expect(refused).toMatchObject({ status: 400, body: { details: [{ code: 'INVALID_FILTER' }] } });
  });
});

test('a dynamic group (userFilter) holds the users its filter selects: INDIRECT members, counted in totalMemberCounts only', async () => {
  const carol = (await api.call('POST', '/users', { username: 'carol', email: 'carol@example.com', title: 'Manager' })).body.id;
  const dynamic = (await api.call('POST', '/groups', { name: 'Managers', userFilter: 'title eq "Manager"' })).body.id;
  // nested in Admins: the dynamic members are (indirect) members of Admins too
  await api.call('POST', `/groups/${dynamic}/memberOfGroups`, { id: ids.admins });
  const groups = (await api.call('GET', `/users/${carol}/memberOfGroups`)).body._embedded.groupMemberships.map(
    (m: { name: string; type: string }) => [m.name, m.type],
  );
  expect(groups).toEqual(
    expect.arrayContaining([
      ['Managers', 'INDIRECT'],
      ['Admins', 'INDIRECT'],
    ]),
  );
  expect(usernames((await api.call('GET', filter(`memberOfGroups[id eq "${dynamic}"]`))).body)).toEqual(['carol']);
  expect(usernames((await api.call('GET', filter(`memberOfGroups[id eq "${dynamic}" and type eq "DIRECT"]`))).body)).toEqual([]);
  const counted = (await api.call('GET', `/groups/${dynamic}?include=totalMemberCounts`)).body;
  expect(counted.directMemberCounts.users).toBe(0);
  expect(counted.totalMemberCounts.users).toBe(1);
  const adminMembers = usernames((await api.call('GET', filter(`memberOfGroups[id eq "${ids.admins}"]`))).body);
  expect(adminMembers).toEqual(expect.arrayContaining(['ada', 'bob', 'carol']));
  expect((await api.call('GET', `/groups/${ids.admins}?include=totalMemberCounts`)).body.totalMemberCounts.users).toBe(adminMembers.length);
  // the filter follows the user's attributes
  await api.call('PATCH', `/users/${carol}`, { title: 'Engineer' });
  expect(usernames((await api.call('GET', filter(`memberOfGroups[id eq "${dynamic}"]`))).body)).toEqual([]);
  // a filter PingOne can't evaluate on users is refused when the group is written
  const bad = await api.call('POST', '/groups', { name: 'Bad', userFilter: 'title co "x"' });
  expect(bad.status).toBe(400);
  expect(bad.body.details[0].target).toBe('userFilter');
  expect((await api.call('POST', '/groups', { name: 'Loop', userFilter: `memberOfGroups[id eq "${ids.admins}"]` })).status).toBe(400);
});
