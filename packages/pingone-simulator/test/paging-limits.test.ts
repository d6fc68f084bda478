import { startTestApi, type TestApi } from './helpers/http';

/*
 * Page sizes and `count` as PingOne documents them: users pages of at most 200 whatever `limit` asks, groups 1000,
 * populations 250 without `limit` (a documented default, not a maximum); `count` absent on filtered results larger
 * than a page; random short pages that are deterministic.
 */
let api: TestApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function sizes(first: string): Promise<{ sizes: number[]; ids: string[]; counts: unknown[] }> {
  const out = { sizes: [] as number[], ids: [] as string[], counts: [] as unknown[] };
  let next: string | undefined = first;
  while (next) {
    const res = await api!.call('GET', next);
    expect(res.status).toBe(200);
    const plural = Object.keys(res.body._embedded)[0];
    out.ids.push(...res.body._embedded[plural].map((u: { id: string }) => u.id));
    out.sizes.push(res.body.size);
    out.counts.push(res.body.count);
    next = res.body._links.next?.href;
  }
  return out;
}

test('users: limit=1000 is accepted but a page holds at most 200; no limit gives the same pages', async () => {
  api = await startTestApi({ seed: 'demo', users: 450 });
  expect((await sizes('/users?limit=1000')).sizes).toEqual([200, 200, 50]);
  const unlimited = await sizes('/users');
  expect(unlimited.sizes).toEqual([200, 200, 50]);
  expect(new Set(unlimited.ids).size).toBe(450);
  expect((await sizes('/users?limit=150')).sizes).toEqual([150, 150, 150]);
});

test('groups pages hold up to 1000; populations come 250 to a page without limit, as many as asked (up to 1000) with one', async () => {
  const groups = Array.from({ length: 1100 }, (_, i) => ({ name: `g${i}` }));
  const populations = Array.from({ length: 300 }, (_, i) => ({ name: `p${i}`, ...(i === 0 ? { default: true } : {}) }));
  api = await startTestApi({ seed: { environments: [{ groups, populations }] } });
  expect((await sizes('/groups?limit=1000')).sizes).toEqual([1000, 100]);
  expect((await sizes('/populations?limit=1000')).sizes).toEqual([300]);
  expect((await sizes('/populations?limit=120')).sizes).toEqual([120, 120, 60]);
  expect((await sizes('/populations')).sizes).toEqual([250, 50]);
  expect((await api.call('GET', '/populations?limit=1001')).status).toBe(400);
});

test('maxPageSize is configurable per collection', async () => {
  api = await startTestApi({ seed: 'demo', users: 30, maxPageSize: { users: 7 } });
  expect((await sizes('/users?limit=1000')).sizes).toEqual([7, 7, 7, 7, 2]);
});

test('count is left out of filtered results larger than one page, and kept on smaller and unfiltered ones', async () => {
  api = await startTestApi({ seed: 'demo', users: 1000 });
  const env = api.sim.store.environment(api.env)!;
  const employees = [...env.users.values()].filter((r) => r.data.type === 'Employee').length;
  const partners = [...env.users.values()].filter((r) => r.data.type === 'Partner').length;
  expect(employees).toBeGreaterThan(200);
  expect(partners).toBeLessThanOrEqual(200);
  const many = await sizes(`/users?limit=1000&filter=${encodeURIComponent('type eq "Employee"')}`);
  expect(many.counts.every((c) => c === undefined)).toBe(true);
  expect(many.ids).toHaveLength(employees);
  // The threshold is the number of matches, not the requested limit: a small limit still gets the count.
  const few = await api.call('GET', `/users?limit=1&filter=${encodeURIComponent('type eq "Partner"')}`);
  expect(few.body).toMatchObject({ count: partners, size: 1 });
  expect(few.body._links.next).toBeDefined();
  expect((await api.call('GET', '/users?limit=1')).body.count).toBe(1000);
  const noCount = await api.call('GET', `/users?limit=1&filter=${encodeURIComponent('type eq "Employee"')}`);
  expect('count' in noCount.body).toBe(false);
});

test('omitCountAbove sets the threshold; false always sends count', async () => {
  api = await startTestApi({ seed: 'demo', users: 300, omitCountAbove: false });
  const res = await api.call('GET', `/users?filter=${encodeURIComponent('enabled eq true')}`);
  expect(res.body.count).toBe([...api.sim.store.environment(api.env)!.users.values()].filter((r) => r.data.enabled !== false).length);
  await api.close();
  api = await startTestApi({ seed: 'demo', users: 50, omitCountAbove: 3 });
  expect('count' in (await api.call('GET', `/users?filter=${encodeURIComponent('enabled eq true')}`)).body).toBe(false);
});

test('random short pages: sizes vary, every user comes once, and the same seed gives the same pages', async () => {
  const run = async (pageSeed: string) => {
    api = await startTestApi({ seed: 'demo', users: 600, shortPages: 'random', pageSeed });
    const result = await sizes('/users?limit=1000');
    await api.close();
    api = undefined;
    return result;
  };
  const first = await run('a');
  expect(new Set(first.ids).size).toBe(600);
  expect(first.sizes.every((s) => s >= 1 && s <= 200)).toBe(true);
  expect(new Set(first.sizes).size).toBeGreaterThan(1);
  expect((await run('a')).sizes).toEqual(first.sizes);
  expect((await run('b')).sizes).not.toEqual(first.sizes);
});

test('page options are validated with a message naming the option', async () => {
  const { startSimulator } = await import('../src/index.js');
  await expect(startSimulator({ maxPageSize: { users: 0 } })).rejects.toThrow(/maxPageSize.users must be an integer between 1 and 1000/);
  await expect(startSimulator({ maxPageSize: { roles: 5 } as never })).rejects.toThrow(/not a paged collection/);
  await expect(startSimulator({ shortPages: 'sometimes' as never })).rejects.toThrow(/shortPages must be/);
});
