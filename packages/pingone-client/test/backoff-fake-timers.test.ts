import { startHarness, type Harness } from './helpers/client-under-test';
import { RateLimiter } from '../src/http/rate-limiter';

/*
 * Backoff and pacing under jest's fake timers: the waits are asserted in simulated time, so the test is exact and
 * fast. Sockets stay real (only timers are faked).
 */
afterEach(() => {
  jest.useRealTimers();
});

test('a 503 is retried only after the backoff delay has passed', async () => {
  const h: Harness = await startHarness({}, { retry: { baseDelayMs: 8000, maxDelayMs: 8000 } });
  try {
    await h.client.populations.list().toArray(); // token, with real timers
    h.sim.faults.failNext(1, { status: 503 });
    h.sim.requests.clear();
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const done = h.client.populations.list().toArray();
    // let the first attempt hit the server
    for (let i = 0; i < 50 && h.sim.requests.api().length === 0; i++) await new Promise((r) => setImmediate(r));
    expect(h.sim.requests.api().map((r) => r.status)).toEqual([503]);
    await jest.advanceTimersByTimeAsync(3000); // jittered delay is 4000..8000 ms: not yet
    expect(h.sim.requests.api()).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(5100); // past the longest possible delay
    jest.useRealTimers();
    expect(await done).toHaveLength(1);
    expect(h.sim.requests.api().map((r) => r.status)).toEqual([503, 200]);
  } finally {
    jest.useRealTimers();
    await h.close();
  }
});

test('a 429 is retried only after its Retry-After has passed', async () => {
  const h: Harness = await startHarness();
  try {
    await h.client.populations.list().toArray(); // token, with real timers
    h.sim.faults.failNext(1, { status: 429, retryAfterSeconds: 5 });
    h.sim.requests.clear();
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const done = h.client.populations.list().toArray();
    for (let i = 0; i < 50 && h.sim.requests.api().length === 0; i++) await new Promise((r) => setImmediate(r));
    expect(h.sim.requests.api().map((r) => r.status)).toEqual([429]);
    await jest.advanceTimersByTimeAsync(4990); // Retry-After: 5 means 5000 ms, whatever the backoff would be
    expect(h.sim.requests.api()).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(20);
    jest.useRealTimers();
    expect(await done).toHaveLength(1);
    expect(h.sim.requests.api().map((r) => r.status)).toEqual([429, 200]);
  } finally {
    jest.useRealTimers();
    await h.close();
  }
});

test('the limiter paces request starts: 2 per second, the third after half a second', async () => {
  jest.useFakeTimers();
  const limiter = new RateLimiter(2, 10);
  const started: number[] = [];
  const t0 = Date.now();
  const all = [1, 2, 3, 4].map(() =>
    limiter.acquire().then((release) => {
      started.push(Date.now() - t0);
      release();
    }),
  );
  await jest.advanceTimersByTimeAsync(0);
  expect(started).toEqual([0]); // bucket of one start (a tenth of a second's worth, at least one)
  await jest.advanceTimersByTimeAsync(500);
  expect(started).toEqual([0, 500]);
  await jest.advanceTimersByTimeAsync(1000);
  await Promise.all(all);
  expect(started).toEqual([0, 500, 1000, 1500]);
});
