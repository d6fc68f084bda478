import { computeRetryDelay, parseRetryAfter, PingOneApiError, PingOneOutcomeUnknownError, PingOneTimeoutError } from '../src';
import { startHarness, type Harness } from './helpers/client-under-test';

const policy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 30_000, maxElapsedMs: 120_000 };

describe('computeRetryDelay (pure)', () => {
  test.each([
    // attempt, retryAfterMs, random, expected
    [1, undefined, 0, 250],
    [1, undefined, 1, 500],
    [2, undefined, 1, 1000],
    [3, undefined, 0.5, 1500],
    [10, undefined, 1, 30_000], // capped by maxDelayMs
    [1, 2000, 0, 2000], // Retry-After wins over backoff
    [1, 120_000, 0, 30_000], // …but is capped
  ])('attempt %i, Retry-After %p, jitter %p → %i ms', (attempt, retryAfter, random, expected) => {
    expect(computeRetryDelay(attempt, retryAfter, policy, () => random)).toBe(expected);
  });

  test('Retry-After as seconds or HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(new Date(Date.now() + 5000).toUTCString(), Date.now())).toBeGreaterThan(3000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});

describe('against the simulator', () => {
  let h: Harness;
  afterEach(() => h?.close());

  test('a 503 burst on a GET is retried until it succeeds', async () => {
    h = await startHarness({ seed: 'demo', users: 3 });
    h.sim.faults.failNext(3, { status: 503, path: '/users' });
    const users = await h.client.users.list().toArray();
    expect(users).toHaveLength(3);
    expect(h.sim.requests.api().map((r) => r.status)).toEqual([503, 503, 503, 200]);
  });

  // How long the wait lasts is asserted in simulated time in backoff-fake-timers.test.ts.
  test('429 with Retry-After is retried', async () => {
    h = await startHarness({ seed: 'demo', users: 3 });
    h.sim.faults.failNext(1, { status: 429, retryAfterSeconds: 1 });
    expect(await h.client.users.list().toArray()).toHaveLength(3);
    expect(h.sim.requests.api().map((r) => r.status)).toEqual([429, 200]);
  });

  test('attempts are bounded: a persistent 500 fails after maxAttempts with the API error', async () => {
    h = await startHarness({}, { retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 } });
    h.sim.faults.failNext(10, { status: 500 });
    const error = await h.client.populations
      .list()
      .toArray()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PingOneApiError);
    expect((error as PingOneApiError).correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(h.sim.requests.api()).toHaveLength(3);
  });

  test('a POST is not retried on 503 (it may have been applied)', async () => {
    h = await startHarness();
    h.sim.faults.failNext(1, { status: 503, method: 'POST' });
    const error = await h.client.groups.create({ name: 'G' }).catch((e: unknown) => e);
    expect((error as PingOneApiError).status).toBe(503);
    expect(h.sim.requests.api().filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  test('a POST is retried on 429 (refused unprocessed)', async () => {
    h = await startHarness();
    h.sim.faults.failNext(1, { status: 429, method: 'POST', retryAfterSeconds: 0 });
    const group = await h.client.groups.create({ name: 'G' });
    expect(group.name).toBe('G');
    expect(h.sim.requests.api().map((r) => `${r.method} ${r.status}`)).toEqual(['POST 429', 'POST 201']);
  });

  test('a connection cut mid-body: GET is retried, POST reports an unknown outcome and is not repeated', async () => {
    h = await startHarness({ seed: 'demo', users: 3 });
    h.sim.faults.cutNext(1, { method: 'GET', path: '/users' });
    expect(await h.client.users.list().toArray()).toHaveLength(3);
    expect(h.sim.requests.api().filter((r) => r.method === 'GET')).toHaveLength(2);
    h.sim.faults.cutNext(1, { method: 'POST', path: '/users' });
    const error = await h.client.users.create({ username: 'once', email: 'once@example.com' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PingOneOutcomeUnknownError);
    expect((error as Error).message).toMatch(/read the resource back/);
    const created = [...h.sim.store.environment(h.sim.environmentId)!.users.values()].filter((u) => u.data.username === 'once');
    expect(created).toHaveLength(1);
  });

  test('a slow response times out per attempt and is retried a bounded number of times', async () => {
    h = await startHarness({}, { timeoutMs: 100, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 } });
    await h.client.populations.list().toArray(); // token first, without latency
    h.sim.requests.clear();
    h.sim.faults.setLatency(400);
    const error = await h.client.populations
      .list()
      .toArray()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PingOneTimeoutError);
    await new Promise((r) => setTimeout(r, 500)); // let the slow responses land in the log
    expect(h.sim.requests.api()).toHaveLength(2);
  });

  test('an AbortSignal stops the request', async () => {
    h = await startHarness({}, { timeoutMs: 5000 });
    h.sim.faults.setLatency(300);
    const controller = new AbortController();
    const abort = setTimeout(() => controller.abort(), 50);
    try {
      const error = await h.client.populations
        .list({}, { signal: controller.signal })
        .toArray()
        .catch((e: unknown) => e);
      expect((error as { code?: string }).code).toBe('ABORTED');
    } finally {
      clearTimeout(abort);
    }
  });

  // The pacing itself (when each start happens) is asserted in simulated time in backoff-fake-timers.test.ts.
  test('the client-side limiter keeps a burst under the server rate limit: no 429 reaches the server', async () => {
    h = await startHarness({}, { rateLimit: { requestsPerSecond: 20, maxConcurrent: 4 } });
    await h.client.populations.list().toArray();
    h.sim.faults.setRateLimit({ requestsPerSecond: 25 });
    h.sim.requests.clear();
    const lists = await Promise.all(Array.from({ length: 40 }, () => h.client.populations.list().toArray()));
    expect(lists.map((l) => l.length)).toEqual(Array(40).fill(1));
    expect(h.sim.requests.api().map((r) => r.status)).toEqual(Array(40).fill(200));
  });
});
