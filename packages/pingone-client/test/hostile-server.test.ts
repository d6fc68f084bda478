import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { createPingOneClient, PingOneError, type PingOneClient, type PingOneClientOptions } from '../src';
import { ENVIRONMENT, freshUsers, startHostileServer, type HostileServer } from './helpers/hostile-server';

/*
 * A server that is not PingOne (a broken proxy, an attacker): every case ends in a typed error after a bounded number
 * of requests and bytes, and the same client then serves a well-formed request as usual.
 */
let server: HostileServer;
let client: PingOneClient;
const make = (extra: Partial<PingOneClientOptions> = {}) =>
  createPingOneClient({
    environmentId: ENVIRONMENT,
    apiUrl: server.apiUrl,
    accessToken: 'hostile-test-token-0123456789',
    rateLimit: false,
    retry: { maxAttempts: 1 },
    ...extra,
  });

beforeEach(async () => {
  server = await startHostileServer();
  server.routes.set('/groups', { kind: 'pages', plural: 'groups', items: () => [{ id: randomUUID(), name: 'ok' }], more: () => false });
  client = make();
});
afterEach(async () => {
  client.close();
  await server.close();
});

async function failure(work: Promise<unknown>): Promise<PingOneError> {
  const outcome = await work.then(
    () => 'resolved',
    (e: unknown) => e,
  );
  expect(outcome).toBeInstanceOf(PingOneError);
  return outcome as PingOneError;
}

/** The client still answers a well-formed list after the hostile one. */
async function stillServes(c: PingOneClient = client): Promise<void> {
  expect(await c.groups.list().toArray()).toHaveLength(1);
}

describe('paging that never ends', () => {
  test('a fresh cursor on every page, the same items each time: INVALID_RESPONSE after 3 pages that bring no new ids', async () => {
    const same = freshUsers(3);
    server.routes.set('/users', { kind: 'pages', plural: 'users', items: () => same, more: () => true });
    const error = await failure(client.users.list({ limit: 3 }).toArray());
    expect(error.code).toBe('INVALID_RESPONSE');
    expect(error.message).toMatch(
      /^PingOne GET http:\/\/127\.0\.0\.1:\d+\/v1\/environments\/\S+\/users\?limit=3 went on paging for 3 pages that brought no new ids/,
    );
    expect(server.requests).toHaveLength(4);
    await stillServes();
  });

  test('pages that alternate between two sets of items, or are empty, under fresh cursors: stopped the same way', async () => {
    const [a, b] = [freshUsers(2), freshUsers(2)];
    server.routes.set('/users', { kind: 'pages', plural: 'users', items: (page) => (page % 2 === 0 ? a : b), more: () => true });
    expect((await failure(client.users.list().toArray())).message).toMatch(/brought no new ids/);
    expect(server.requests.length).toBeLessThanOrEqual(6);
    server.requests.length = 0;
    server.routes.set('/users', { kind: 'pages', plural: 'users', items: () => [], more: () => true });
    expect((await failure(client.users.list().toArray())).message).toMatch(/brought no new ids/);
    expect(server.requests).toHaveLength(3);
    await stillServes();
  });

  test("new ids forever: capped by the first page's count, else by maxPages", async () => {
    server.routes.set('/users', { kind: 'pages', plural: 'users', items: () => freshUsers(1), more: () => true, count: 5 });
    const counted = await failure(client.users.list().toArray());
    expect(counted.message).toMatch(/more than what its count of 5 items allows \(16 pages\)/);
    expect(server.requests).toHaveLength(16);
    server.requests.length = 0;
    // full pages of fresh ids: the items are capped too (ten times the count, plus 10,000), long before 1,110 pages
    server.routes.set('/users', { kind: 'pages', plural: 'users', items: () => freshUsers(200), more: () => true, count: 1000 });
    expect((await failure(client.users.list().toArray())).message).toMatch(
      /sent 20200 items and offered more, far beyond its count of 1000/,
    );
    expect(server.requests).toHaveLength(101);
    server.requests.length = 0;
    server.routes.set('/users', { kind: 'pages', plural: 'users', items: () => freshUsers(1), more: () => true });
    const capped = make({ maxPages: 40 });
    try {
      const error = await failure(capped.users.list().toArray());
      expect(error.message).toMatch(/more than the client option maxPages \(40\).*or raise maxPages/);
      expect(server.requests).toHaveLength(40);
      await stillServes(capped);
    } finally {
      capped.close();
    }
  });

  test('a list that ends is read whole, however its pages are cut (short and empty pages included)', async () => {
    const all = freshUsers(12);
    const cuts = [0, 1, 1, 4, 4, 4, 7, 12];
    server.routes.set('/users', {
      kind: 'pages',
      plural: 'users',
      items: (page) => all.slice(cuts[page], cuts[page + 1]),
      more: (page) => page < cuts.length - 2,
      count: 12,
    });
    expect((await client.users.list().toArray()).map((u) => u.id)).toEqual(all.map((u) => u.id));
  });
});

describe('bodies over maxResponseBytes', () => {
  test('a body streamed slowly past the limit: RESPONSE_TOO_LARGE naming the option, the connection closed', async () => {
    server.routes.set('/users', { kind: 'stream', bytes: 700 * 1024 * 1024, chunk: 64 * 1024, everyMs: 5, declare: false });
    const small = make({ maxResponseBytes: 512 * 1024 });
    try {
      const error = await failure(small.users.list().toArray());
      expect(error.code).toBe('RESPONSE_TOO_LARGE');
      expect(error.message).toMatch(
        /sent more than 524288 bytes \(reading stopped at \d+\), over the client option maxResponseBytes \(524288 bytes\)/,
      );
      await new Promise((r) => setTimeout(r, 50));
      expect(server.streamed.closedEarly).toBe(true);
      expect(server.streamed.bytes).toBeLessThan(700 * 1024 * 1024);
      await stillServes(small);
    } finally {
      small.close();
    }
  });

  test('a declared 700 MB body fails at its head; an undeclared one at the default limit (64 MiB), without reading the rest', async () => {
    server.routes.set('/users', { kind: 'declare', length: 700 * 1024 * 1024 });
    const declared = await failure(client.users.list().toArray());
    expect(declared.message).toMatch(
      /declared 734003200 bytes \(content-length\), over the client option maxResponseBytes \(67108864 bytes\)/,
    );
    server.routes.set('/users', { kind: 'stream', bytes: 700 * 1024 * 1024, chunk: 1024 * 1024, everyMs: 0, declare: false });
    const streamed = await failure(client.users.list().toArray());
    expect(streamed.code).toBe('RESPONSE_TOO_LARGE');
    await new Promise((r) => setTimeout(r, 50));
    expect(server.streamed.closedEarly).toBe(true);
    expect(server.streamed.bytes).toBeLessThan(2 * 64 * 1024 * 1024);
    await stillServes();
  }, 60_000);

  test('maxResponseBytes is checked: a whole number of bytes between 1024 and 256 MiB', () => {
    for (const bad of [0, 1023, 300 * 1024 * 1024, Number.NaN, '1', 1n]) {
      expect(() => make({ maxResponseBytes: bad as never })).toThrow(/'maxResponseBytes' must be a number/);
    }
  });
});

describe('malformed collection items', () => {
  const garbage: [string, unknown, RegExp][] = [
    ['null', null, /null as item 1 of _embedded\.users/],
    ['a number', 1, /number 1 as item 1/],
    ['a string', 'x', /the string "x" as item 1/],
    ['an array', [], /an array of 0 as item 1/],
    ['an object id', { id: { $ne: 1 } }, /item 1 of _embedded\.users with the id an object \(it is an object, not a string\)/],
    ['a number id', { id: 42 }, /item 1 of _embedded\.users with the id number 42/],
    ['a path id', { id: '../groups' }, /with the id the string "..\/groups" \(it contains a slash/],
    ['no id', { username: 'x' }, /item 1 of _embedded\.users with no id/],
  ];
  test.each(garbage)('%s among the items: INVALID_RESPONSE naming the item and the request', async (_name, item, message) => {
    server.routes.set('/users', { kind: 'pages', plural: 'users', items: () => [...freshUsers(1), item], more: () => false, count: 2 });
    const error = await failure(client.users.list({ filter: 'type eq "Contractor"' }).toArray());
    expect(error.code).toBe('INVALID_RESPONSE');
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(
      /PingOne GET http:\/\/127\.0\.0\.1:\d+\/v1\/environments\/\S+\/users\?filter=type%20eq%20%22Contractor%22 returned/,
    );
    await stillServes();
  });

  test('property: any JSON as an item is either a resource with an id or INVALID_RESPONSE, never another error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (item) => {
        server.routes.set('/users', { kind: 'pages', plural: 'users', items: () => [item], more: () => false });
        const outcome = await client.users
          .list()
          .toArray()
          .then(
            (items) => items,
            (e: unknown) => e,
          );
        if (Array.isArray(outcome)) expect(typeof (outcome[0] as { id?: unknown }).id).toBe('string');
        else expect(outcome).toMatchObject({ code: 'INVALID_RESPONSE' });
      }),
      { numRuns: 300, seed: 26 },
    );
  });

  test('a count that is not a whole number, or a next link without an href, is refused instead of trusted', async () => {
    server.routes.set('/users', { kind: 'json', status: 200, body: { _embedded: { users: [] }, count: -3 } });
    expect((await failure(client.users.list().toArray())).message).toMatch(/a collection whose count is number -3, not a whole number/);
    server.routes.set('/users', {
      kind: 'json',
      status: 200,
      body: { _embedded: { users: freshUsers(1) }, _links: { next: { href: 7 } } },
    });
    expect((await failure(client.users.list().toArray())).message).toMatch(/a next link without a string href \(number 7\)/);
  });
});
