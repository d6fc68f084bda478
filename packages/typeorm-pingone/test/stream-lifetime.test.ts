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

test('stream() keeps no row of the previous page alive while the next page is fetched', async () => {
  h = await startDriver({ seed: 'demo', users: 450 });
  const stream = await h.ds.getRepository(User).createQueryBuilder('u').stream();
  h.sim.faults.setLatency(LATENCY_MS);
  const refs: WeakRef<object>[] = [];
  let alive: Promise<number> | undefined;
  let n = 0;
  for await (const row of stream) {
    if (n < PAGE) refs.push(new WeakRef(row as object));
    if (++n === PAGE) {
      alive = new Promise((resolve) => setTimeout(() => {
        gc();
        // the last row read is still the loop's own (and the stream iterator's); every earlier one must be gone
        resolve(refs.slice(0, -1).filter((ref) => ref.deref() !== undefined).length);
      }, LATENCY_MS / 2));
    }
  }
  expect(n).toBe(450);
  expect(h.requests()).toHaveLength(3);
  expect(await alive).toBe(0);
});
