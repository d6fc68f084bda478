import { startHarness, type Harness } from './helpers/client-under-test';

let h: Harness;
afterEach(() => h.close());

test('iterating follows _links.next through short pages and sees every user once', async () => {
  h = await startHarness({ seed: 'demo', users: 95, shortPages: true });
  const ids = new Set<string>();
  for await (const user of h.client.users.list({ limit: 20 })) ids.add(user.id);
  expect(ids.size).toBe(95);
  const requests = h.sim.requests.api();
  expect(requests.length).toBe(Math.ceil(95 / 10)); // shortPages serves half of limit
  expect(requests[0].query).toEqual({ limit: '20' });
  expect(requests[1].query).toMatchObject({ limit: '20', cursor: expect.any(String) });
});

test('pages() exposes count, size and hasNext', async () => {
  h = await startHarness({ seed: 'demo', users: 25 });
  const pages = [];
  for await (const page of h.client.users.list({ limit: 10 }).pages())
    pages.push({ n: page.items.length, count: page.count, size: page.size, hasNext: page.hasNext });
  expect(pages).toEqual([
    { n: 10, count: 25, size: 10, hasNext: true },
    { n: 10, count: 25, size: 10, hasNext: true },
    { n: 5, count: 25, size: 5, hasNext: false },
  ]);
});

test('breaking out of the loop fetches no further page', async () => {
  h = await startHarness({ seed: 'demo', users: 50 });
  let seen = 0;
  for await (const _user of h.client.users.list({ limit: 10 })) {
    if (++seen === 12) break;
  }
  expect(h.sim.requests.api()).toHaveLength(2);
  expect(await h.client.users.list({ limit: 10 }).toArray({ max: 5 })).toHaveLength(5);
  expect(h.sim.requests.api()).toHaveLength(3);
});

test('nothing is fetched until iteration starts', async () => {
  h = await startHarness({ seed: 'demo', users: 5 });
  h.client.users.list();
  expect(h.sim.requests.all()).toHaveLength(0);
});

test('PingOne pages of at most 200 users: limit=1000 takes ceil(n/200) requests and sees every user once', async () => {
  h = await startHarness({ seed: 'demo', users: 450 });
  const pages = [];
  for await (const page of h.client.users.list({ limit: 1000 }).pages())
    pages.push({ n: page.items.length, count: page.count, hasNext: page.hasNext });
  expect(pages).toEqual([
    { n: 200, count: 450, hasNext: true },
    { n: 200, count: 450, hasNext: true },
    { n: 50, count: 450, hasNext: false },
  ]);
  expect(h.sim.requests.api()).toHaveLength(3);
});

test('a filtered result without count and random short pages: paging relies on _links.next only', async () => {
  h = await startHarness({ seed: 'demo', users: 700, shortPages: 'random', pageSeed: 'client' });
  const enabled = [...h.sim.store.environment(h.sim.environmentId)!.users.values()].filter((r) => r.data.enabled !== false).length;
  const sizes: number[] = [];
  const counts = new Set<number | undefined>();
  const ids = new Set<string>();
  for await (const page of h.client.users.list({ filter: 'enabled eq true', limit: 1000 }).pages()) {
    sizes.push(page.items.length);
    counts.add(page.count);
    for (const user of page.items) ids.add(user.id);
  }
  expect(enabled).toBeGreaterThan(200);
  expect([...counts]).toEqual([undefined]); // more matches than a page: PingOne leaves count out
  expect(ids.size).toBe(enabled);
  expect(new Set(sizes).size).toBeGreaterThan(1);
  expect(h.sim.requests.api()).toHaveLength(sizes.length);
});

test("a user's memberships are paged (limit, _links.next) and can embed their groups (expand)", async () => {
  h = await startHarness({ seed: 'demo', users: 1 });
  const { users, groups } = h.client;
  const user = (await users.list().toArray())[0];
  const created = [];
  for (let i = 0; i < 5; i++) created.push(await groups.create({ name: `Paged ${i}` }));
  for (const g of created) await users.addToGroup(user.id, g.id);
  const expected = (await users.listGroupMemberships(user.id).toArray()).map((m) => m.id).sort();
  h.sim.requests.clear();
  const pages = [];
  for await (const page of users.listGroupMemberships(user.id, { limit: 2, expand: ['group'] }).pages()) pages.push(page);
  expect(pages.flatMap((p) => p.items.map((m) => m.id)).sort()).toEqual(expected);
  expect(pages.map((p) => p.items.length)).toEqual([
    ...Array<number>(Math.floor(expected.length / 2)).fill(2),
    ...(expected.length % 2 ? [1] : []),
  ]);
  expect(pages.every((p) => p.items.every((m) => m._embedded?.group?.id === m.id))).toBe(true);
  expect(h.sim.requests.api().map((r) => r.query)).toEqual(
    pages.map((_, i) => expect.objectContaining({ limit: '2', expand: 'group', ...(i > 0 ? { cursor: expect.any(String) } : {}) })),
  );
  const one = await users.getGroupMembership(user.id, created[0].id, { expand: ['group'] });
  expect(one._embedded?.group?.name).toBe('Paged 0');
  const withPopulation = await users.get(user.id, { expand: ['population'] });
  expect(withPopulation._embedded?.population?.id).toBe(user.population?.id);
  const listed = await users.list({ expand: ['population'], limit: 1 }).toArray();
  expect(listed[0]._embedded?.population?.id).toBe(listed[0].population?.id);
});
