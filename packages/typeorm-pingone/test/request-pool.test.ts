import { RequestPool } from '../src/executor/request-pool';

/*
 * The request pool's order: waiting requests start highest priority first (the list with the most pages left), in
 * arrival order among equals, a long wait raising a request's priority; with a rate, no faster than the rate.
 * Fake timers: the clock is the test's, so the assertions are about order, never about elapsed time.
 */
afterEach(() => jest.useRealTimers());

/** A request that records when it starts and ends when `finish` is called. */
function pending(started: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return {
    send: async () => {
      started.push(name);
      await done;
    },
    finish: () => finish(),
  };
}

const settle = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

test('waiting requests start by priority, then in arrival order', async () => {
  const pool = new RequestPool(1);
  const started: string[] = [];
  const first = pending(started, 'first');
  const running = [pool.run(first.send)];
  const waiting = [
    ['low', 1],
    ['high', 9],
    ['mid', 5],
    ['high too', 9],
    ['none', 0],
  ] as const;
  const requests = waiting.map(([name]) => pending(started, name));
  waiting.forEach(([, priority], i) => running.push(pool.run(requests[i].send, priority)));
  await settle();
  expect(started).toEqual(['first']);
  first.finish();
  for (const name of ['high', 'high too', 'mid', 'low', 'none']) {
    await settle();
    expect(started.at(-1)).toBe(name);
    requests[waiting.findIndex(([n]) => n === name)].finish();
  }
  await Promise.all(running);
});

test('a request that waited long enough goes before a newer one of higher priority', async () => {
  jest.useFakeTimers({ now: 0 });
  const pool = new RequestPool(1);
  const started: string[] = [];
  const first = pending(started, 'first');
  const old = pending(started, 'old');
  const urgent = pending(started, 'urgent');
  const running = [pool.run(first.send), pool.run(old.send, 0)];
  jest.setSystemTime(2_000); // 2 s of waiting: 20 pages of priority gained
  running.push(pool.run(urgent.send, 10));
  first.finish();
  await settle();
  expect(started).toEqual(['first', 'old']);
  old.finish();
  await settle();
  urgent.finish();
  await Promise.all(running);
  expect(started).toEqual(['first', 'old', 'urgent']);
});

test("with a rate, requests leave the pool no faster than it, after a burst of a tenth of a second's worth", async () => {
  jest.useFakeTimers({ now: 0 });
  const pool = new RequestPool(8, 20); // a burst of 2, then one every 50 ms
  const started: string[] = [];
  const requests = ['a', 'b', 'c', 'd'].map((name) => pending(started, name));
  const running = requests.map((r) => pool.run(r.send));
  await settle();
  expect(started).toEqual(['a', 'b']);
  await jest.advanceTimersByTimeAsync(50);
  expect(started).toEqual(['a', 'b', 'c']);
  await jest.advanceTimersByTimeAsync(50);
  expect(started).toEqual(['a', 'b', 'c', 'd']);
  for (const r of requests) r.finish();
  await Promise.all(running);
});
