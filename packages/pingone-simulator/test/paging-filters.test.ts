import { startTestApi, type TestApi } from './helpers/http';

let api: TestApi;
afterEach(() => api.close());

async function collect(first: string): Promise<{ ids: string[]; pages: number; sizes: number[] }> {
  const ids: string[] = [];
  const sizes: number[] = [];
  let next: string | undefined = first;
  while (next) {
    const res = await api.call('GET', next);
    expect(res.status).toBe(200);
    ids.push(...res.body._embedded.users.map((u: { id: string }) => u.id));
    sizes.push(res.body.size);
    next = res.body._links.next?.href;
  }
  return { ids, pages: sizes.length, sizes };
}

test('limit pages through every user exactly once, with count and size', async () => {
  api = await startTestApi({ seed: 'demo', users: 25 });
  const first = await api.call('GET', '/users?limit=10');
  expect(first.body).toMatchObject({ count: 25, size: 10 });
  expect(first.body._links.self.href).toBe(`${api.sim.apiUrl}/environments/${api.env}/users?limit=10`);
  expect(first.body._links.next.href).toMatch(/limit=10&cursor=/);
  const all = await collect('/users?limit=10');
  expect(all.sizes).toEqual([10, 10, 5]);
  expect(new Set(all.ids).size).toBe(25);
});

test('shortPages serves fewer than limit while more exist: only the next link tells the end', async () => {
  api = await startTestApi({ seed: 'demo', users: 25, shortPages: true });
  const all = await collect('/users?limit=10');
  expect(all.sizes.every((s) => s <= 5)).toBe(true);
  expect(new Set(all.ids).size).toBe(25);
});

test('cursors survive inserts and deletes between pages', async () => {
  api = await startTestApi({ seed: 'demo', users: 10 });
  const first = await api.call('GET', '/users?limit=4');
  const seen = first.body._embedded.users.map((u: { id: string }) => u.id);
  await api.call('DELETE', `/users/${seen[0]}`);
  await api.call('POST', '/users', { username: 'late', email: 'late@example.com' });
  const rest = await collect(first.body._links.next.href);
  expect(rest.ids).not.toContain(seen[1]);
  expect(rest.ids).toHaveLength(7); // 6 untouched + the new user
});

test.each(['0', '1001', 'abc', '-1', '2.5'])('limit=%s is refused with 400', async (limit) => {
  api = await startTestApi();
  const res = await api.call('GET', `/users?limit=${limit}`);
  expect(res.status).toBe(400);
  expect(res.body.details[0]).toMatchObject({ code: 'OUT_OF_RANGE', target: 'limit' });
});

test('a tampered cursor is refused', async () => {
  api = await startTestApi();
  expect((await api.call('GET', '/users?cursor=not-a-cursor')).status).toBe(400);
});

test('filters select the right users; unsupported and malformed filters are 400 INVALID_FILTER', async () => {
  api = await startTestApi({ seed: 'demo', users: 200 });
  const q = async (f: string) => api.call('GET', `/users?limit=1000&filter=${encodeURIComponent(f)}`);
  const contractors = await q('type eq "Contractor"');
  const all = api.sim.store.environment(api.env)!;
  const expected = [...all.users.values()].filter((r) => r.data.type === 'Contractor').length;
  expect(contractors.body.count).toBe(expected);
  expect(contractors.body._embedded.users.every((u: { type: string }) => u.type === 'Contractor')).toBe(true);
  const either = await q('(type eq "Partner" or type eq "Contractor") and enabled eq true');
  expect(either.body._embedded.users.every((u: any) => u.enabled && u.type !== 'Employee')).toBe(true);
  const user = contractors.body._embedded.users[0];
  expect((await q(`username eq "${user.username.toUpperCase()}"`)).body._embedded.users.map((u: any) => u.id)).toEqual([user.id]);
  expect((await q(`costCenter sw "CC-1"`)).body.count).toBeGreaterThan(0);
  for (const bad of ['username co "a"', 'createdAt gt "2020-01-01"', 'userName eq "a"', 'not (username eq "a")', 'title pr']) {
    const res = await q(bad);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'INVALID_DATA', details: [{ code: 'INVALID_FILTER', target: 'filter' }] });
    expect(res.body.details[0].innerError.supportedAttributes).toContain('username');
  }
  for (const malformed of ['username eq', 'username eq "unterminated', '(username eq "a"', 'username eq "a" garbage', '']) {
    const res = await q(malformed);
    expect(res.status).toBe(400);
    expect(res.body.details[0].code).toBe('INVALID_FILTER');
  }
});

test('groups and populations have their own filter matrices', async () => {
  api = await startTestApi({ seed: 'demo', users: 10 });
  const g = await api.call('GET', `/groups?filter=${encodeURIComponent('name sw "Help"')}`);
  expect(g.body._embedded.groups.map((x: { name: string }) => x.name)).toEqual(['Help Desk']);
  expect((await api.call('GET', `/groups?filter=${encodeURIComponent('description eq "x"')}`)).status).toBe(400);
  const p = await api.call('GET', `/populations?filter=${encodeURIComponent('name eq "Contractors" or name sw "Part"')}`);
  expect(p.body._embedded.populations.map((x: { name: string }) => x.name).sort()).toEqual(['Contractors', 'Partners']);
  expect((await api.call('GET', `/populations?filter=${encodeURIComponent('name ew "s"')}`)).status).toBe(400);
});
