import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { QueryFailedError } from 'typeorm';
import { startDriver, type DriverHarness } from '../helpers/driver-harness';
import { Group, type PingOneDriverError, User } from '../../src';

/*
 * Faults PingOne and networks cause: reads end with the right rows or a clear error after bounded retries; writes end
 * with no loss and no duplicate, checked against the simulator's final state.
 */
let h: DriverHarness;
afterEach(() => h?.close());

const expectedContractors = (h: DriverHarness) =>
  [...h.sim.store.environment(h.sim.environmentId)!.users.values()]
    .filter((u) => u.data.type === 'Contractor')
    .map((u) => String(u.data.id))
    .sort();
const contractors = async (h: DriverHarness) => (await h.ds.getRepository(User).findBy({ type: 'Contractor' })).map((u) => u.id).sort();

test('a 429 storm with Retry-After: the read waits it out and returns the right rows', async () => {
  h = await startDriver({ seed: 'demo', users: 300, shortPages: true });
  h.sim.faults.failNext(3, { status: 429, retryAfterSeconds: 1, method: 'GET' });
  expect(await contractors(h)).toEqual(expectedContractors(h));
  // The first three attempts were refused, then the read went on (that each wait lasts Retry-After is asserted in
  // simulated time by the client's backoff-fake-timers.test.ts).
  expect(
    h.sim.requests
      .api()
      .slice(0, 4)
      .map((r) => r.status),
  ).toEqual([429, 429, 429, 200]);
  expect(h.sim.requests.api().filter((r) => r.status === 429)).toHaveLength(3);
});

test('5xx bursts and connections cut mid-body during paging: the right rows', async () => {
  h = await startDriver({ seed: 'demo', users: 3000, shortPages: true }); // ~750 contractors: pages of 100 (half of PingOne's 200)
  h.sim.faults.failNext(1, { status: 503, method: 'GET' });
  h.sim.faults.cutNext(1, { method: 'GET', path: '/users' });
  h.sim.faults.setLatency(25);
  // A second burst lands while the next page is being read.
  const later = setTimeout(() => {
    h.sim.faults.failNext(1, { status: 502, method: 'GET' });
    h.sim.faults.cutNext(1, { method: 'GET' });
  }, 110);
  try {
    expect(await contractors(h)).toEqual(expectedContractors(h));
  } finally {
    clearTimeout(later);
  }
  const statuses = h.sim.requests.api().map((r) => r.status);
  expect(statuses.filter((s) => s >= 500)).toHaveLength(2);
  expect(new Set(h.sim.requests.api().map((r) => r.query.cursor ?? 'first')).size).toBeGreaterThanOrEqual(2);
});

test('a persistent outage fails with a clear error after a bounded number of attempts', async () => {
  h = await startDriver({ seed: 'demo', users: 20 });
  h.sim.faults.failNext(100, { status: 503, method: 'GET' });
  const error = await h.ds
    .getRepository(User)
    .findBy({ type: 'Contractor' })
    .catch((e: unknown) => e);
  const cause = (error as QueryFailedError).driverError as PingOneDriverError;
  expect(cause.code).toBe('REMOTE_ERROR');
  expect(cause.message).toMatch(/failed with 503 UNEXPECTED_ERROR/);
  expect(h.sim.requests.api().length).toBe(5); // the client's default maxAttempts
});

test('latency beyond the timeout: bounded retries, then a timeout error', async () => {
  h = await startDriver({ seed: 'demo', users: 20 });
  const { PingOneDataSource: DS, User: U, Group: G, Population: P } = await import('../../src/index.js');
  const ds = new DS({
    entities: [U, G, P],
    pingone: {
      environmentId: h.sim.environmentId,
      apiUrl: h.sim.apiUrl,
      authUrl: h.sim.authUrl,
      clientId: h.sim.credentials.clientId,
      clientSecret: h.sim.credentials.clientSecret,
      timeoutMs: 100,
      retry: { maxAttempts: 3, baseDelayMs: 5 },
      rateLimit: false,
    },
  });
  await ds.initialize();
  try {
    await ds.getRepository(U).count(); // token fetched before the latency starts
    h.sim.faults.setLatency(400);
    h.reset();
    const error = await ds
      .getRepository(U)
      .findBy({ type: 'Partner' })
      .catch((e: unknown) => e);
    expect(((error as QueryFailedError).driverError as PingOneDriverError).message).toMatch(/got no complete answer within 100 ms/);
    await new Promise((r) => setTimeout(r, 500));
    expect(h.sim.requests.api()).toHaveLength(3);
  } finally {
    await ds.destroy();
  }
});

test('tokens expiring in the middle of paging: one refresh, then the remaining pages', async () => {
  h = await startDriver({ seed: 'demo', users: 3000, shortPages: true }); // pages of 100 contractors
  h.sim.faults.setLatency(40);
  const timer = setTimeout(() => h.sim.faults.expireAllTokens(), 60);
  const rows = await contractors(h).finally(() => clearTimeout(timer));
  expect(rows).toEqual(expectedContractors(h));
  const log = h.sim.requests.all();
  expect(log.some((r) => r.kind === 'api' && r.status === 401)).toBe(true);
  expect(log.filter((r) => r.kind === 'token').length).toBe(1); // the first token came at initialize() (cleared); exactly one refresh
});

test('a token endpoint that keeps failing: a clear auth error, a bounded number of token calls', async () => {
  h = await startDriver({ seed: 'demo', users: 20 });
  h.sim.faults.expireAllTokens();
  h.sim.faults.failTokenEndpoint(Infinity, 503);
  const error = await h.ds
    .getRepository(User)
    .find()
    .catch((e: unknown) => e);
  const cause = (error as QueryFailedError).driverError as PingOneDriverError;
  expect(cause.message).toMatch(/Getting an access token .* failed with 503/);
  expect(h.sim.requests.all().filter((r) => r.kind === 'token').length).toBe(4);
});

test('writes under 429, 5xx and cut connections: every user exists exactly once, or the caller was told it failed', async () => {
  h = await startDriver({ seed: 'demo', users: 5 });
  const repo = h.ds.getRepository(User);
  const outcomes: { username: string; ok: boolean }[] = [];
  const faults = [
    () => h.sim.faults.failNext(1, { status: 429, method: 'POST', path: '/users', retryAfterSeconds: 0 }),
    () => h.sim.faults.failNext(1, { status: 503, method: 'POST', path: '/users' }),
    () => h.sim.faults.cutNext(1, { method: 'POST', path: '/users' }),
    () => h.sim.faults.failNext(1, { status: 500, method: 'POST', path: '/users' }),
    () => undefined,
  ];
  for (let i = 0; i < 20; i++) {
    faults[i % faults.length]();
    const username = `fault.user.${i}`;
    const ok = await repo.save(repo.create({ username, email: `${username}@example.com` })).then(
      () => true,
      () => false,
    );
    outcomes.push({ username, ok });
  }
  const stored = [...h.sim.store.environment(h.sim.environmentId)!.users.values()].map((u) => String(u.data.username));
  for (const { username, ok } of outcomes) {
    const copies = stored.filter((s) => s === username).length;
    expect(copies).toBeLessThanOrEqual(1); // never a duplicate
    if (ok)
      expect(copies).toBe(1); // nothing reported saved is missing
    else expect(copies).toBe(0); // a reported failure left nothing behind here (5xx before applying)
  }
  expect(outcomes.filter((o) => o.ok)).toHaveLength(12); // 429 retried, cut reconciled, clean ones; 503/500 reported
  const groupError = await h.ds
    .getRepository(Group)
    .save({ name: 'G' })
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(groupError).toBeUndefined();
});

test('a proxy answering a 302 or an empty 200 in front of PingOne: an error naming status and content type, never an empty list', async () => {
  h = await startDriver({ seed: 'demo', users: 5 });
  const answers = [
    { status: 302, headers: { location: 'https://sso.example.com/login', 'content-type': 'text/html' }, body: '' },
    { status: 200, headers: { 'content-type': 'application/hal+json' }, body: '' },
  ];
  let next = 0;
  const proxy = createServer((req, res) => {
    req.resume();
    const answer = answers[next++];
    res.writeHead(answer.status, answer.headers).end(answer.body);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { PingOneDataSource: DS, User: U, Group: G, Population: P } = await import('../../src/index.js');
  const ds = new DS({
    entities: [U, G, P],
    pingone: {
      environmentId: h.sim.environmentId,
      apiUrl: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/v1`,
      authUrl: h.sim.authUrl,
      clientId: h.sim.credentials.clientId,
      clientSecret: h.sim.credentials.clientSecret,
      rateLimit: false,
    },
    lazyConnect: true,
  }); // lazy: the proxy's answer is checked at the query, not at initialize()
  try {
    await ds.initialize();
    const redirect = driverMessage(
      await ds
        .getRepository(U)
        .find()
        .catch((e: unknown) => e),
    );
    expect(redirect).toMatch(/answered 302 \(a redirect to https:\/\/sso\.example\.com\/login, content-type text\/html\)/);
    const empty = driverMessage(
      await ds
        .getRepository(U)
        .findBy({ type: 'Contractor' })
        .catch((e: unknown) => e),
    );
    expect(empty).toMatch(/answered 200 with an empty body \(content-type application\/hal\+json\)/);
    expect(next).toBe(2); // one request each: not followed, not retried
  } finally {
    if (ds.isInitialized) await ds.destroy();
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
  }
});

function driverMessage(error: unknown): string {
  expect(error).toBeInstanceOf(QueryFailedError);
  return ((error as QueryFailedError).driverError as PingOneDriverError).message;
}
