import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { User } from '../src';
import { startDriver, type DriverHarness } from './helpers/driver-harness';

/*
 * stream() must not keep the previous page (PingOne's users, their decoded rows, alasql's result) reachable while
 * the next page is fetched: V8's scavenges run during that wait and promote whatever is still held, which made
 * stream() over 100k users peak ~130 MB above its live heap (issue 17). The test keeps only WeakRefs to the first
 * page's rows and runs a full GC in the middle of the second request (the simulator answers after a latency).
 */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let h: DriverHarness;
afterEach(() => h.close());

const LATENCY_MS = 300;
const PAGE = 200; // PingOne's (and the simulator's) users page size

/**
 * Streams every user of a demo directory of `users` at LATENCY_MS a request, keeping WeakRefs to the first page's
 * rows; after the page's last row the consumer waits half a request (the next page is being fetched meanwhile) and
 * runs a full GC: how many of the page's rows are still alive then. The consumer stands still while it measures, so
 * what is alive does not depend on how far a busy machine let it run.
 */
async function firstPageAlive(users: number): Promise<{ rows: number; alive: number }> {
  h = await startDriver({ seed: 'demo', users });
  const stream = await h.ds.getRepository(User).createQueryBuilder('u').stream();
  h.sim.faults.setLatency(LATENCY_MS);
  const refs: WeakRef<object>[] = [];
  let alive: number | undefined;
  let n = 0;
  for await (const row of stream) {
    if (n < PAGE) refs.push(new WeakRef(row as object));
    if (++n === PAGE) {
      await new Promise((resolve) => setTimeout(resolve, LATENCY_MS / 2));
      gc();
      // the last row read is still the loop's own (and the stream iterator's); every earlier one must be gone
      alive = refs.slice(0, -1).filter((ref) => ref.deref() !== undefined).length;
    }
  }
  return { rows: n, alive: alive! };
}

test('stream() keeps no row of the previous page alive while the next page is fetched', async () => {
  expect(await firstPageAlive(450)).toEqual({ rows: 450, alive: 0 });
  expect(h.requests()).toHaveLength(3);
});

test('a partitioned stream() keeps no row of a page already consumed alive while the next pages are fetched', async () => {
  // 2,000 users: read as partitions by population at the same time (partitioned-scan.test.ts), a page of each
  // fetched ahead of the consumer. The first page's rows must still die once consumed.
  expect(await firstPageAlive(2000)).toEqual({ rows: 2000, alive: 0 });
  expect(h.requests().filter((r) => r.includes('population.id eq')).length).toBeGreaterThan(0);
});
