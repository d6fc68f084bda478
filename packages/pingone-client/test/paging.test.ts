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
  expect(requests[0]!.query).toEqual({ limit: '20' });
  expect(requests[1]!.query).toMatchObject({ limit: '20', cursor: expect.any(String) });
});

test('pages() exposes count, size and hasNext', async () => {
  h = await startHarness({ seed: 'demo', users: 25 });
  const pages = [];
  for await (const page of h.client.users.list({ limit: 10 }).pages()) pages.push({ n: page.items.length, count: page.count, size: page.size, hasNext: page.hasNext });
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
