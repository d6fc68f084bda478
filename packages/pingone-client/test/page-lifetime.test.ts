import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startHarness, type Harness } from './helpers/client-under-test';

/*
 * While the next page is being fetched, nothing of the previous one may stay reachable from the client: V8's
 * scavenges run during that wait, and a page still held then is promoted to the old generation, which is what made
 * iterating 100k users peak ~100 MB above its live heap (issue 17). The test holds only WeakRefs to the previous
 * page's users and, in the middle of the next request (the simulator answers after a latency), runs a full GC.
 */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let h: Harness;
afterEach(() => h.close());

const LATENCY_MS = 300;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Collects, then reports how many of `refs` are still alive, while the iteration waits for its next page. */
function checkDuringNextFetch(refs: readonly WeakRef<object>[]): Promise<number> {
  return pause(LATENCY_MS / 2).then(() => {
    gc();
    return refs.filter((ref) => ref.deref() !== undefined).length;
  });
}

/** WeakRefs to the first page's users; the page itself is held only by this function's frame, gone when it returns. */
async function firstPageRefs(iterator: AsyncIterator<{ readonly items: readonly unknown[] }, void>): Promise<WeakRef<object>[]> {
  const first = await iterator.next();
  if (first.done) throw new Error('the list has no first page');
  return first.value.items.map((user) => new WeakRef(user as object));
}

test("iterating a list's items keeps no user of the previous page alive while the next page is fetched", async () => {
  h = await startHarness({ seed: 'demo', users: 450 });
  const first = (await h.client.users.list({ limit: 1000 }).pages().next()).value!.items.length;
  h.sim.faults.setLatency(LATENCY_MS);
  const refs: WeakRef<object>[] = [];
  let alive: Promise<number> | undefined;
  let n = 0;
  for await (const user of h.client.users.list({ limit: 1000 })) {
    if (n < first) refs.push(new WeakRef(user));
    if (++n === first) alive = checkDuringNextFetch(refs);
  }
  expect(n).toBe(450);
  expect(refs).toHaveLength(first);
  // the loop variable of the last user read is the consumer's own; every other user of that page must be gone
  expect(await alive).toBeLessThanOrEqual(1);
});

test('iterating pages keeps no user of the previous page alive while the next page is fetched', async () => {
  h = await startHarness({ seed: 'demo', users: 450 });
  h.sim.faults.setLatency(LATENCY_MS);
  const iterator = h.client.users.list({ limit: 1000 }).pages();
  // this test's own reference to the first page ends with firstPageRefs, before the next one is asked for
  const alive = checkDuringNextFetch(await firstPageRefs(iterator));
  let pages = 1;
  while (!(await iterator.next()).done) pages++;
  expect(pages).toBeGreaterThan(1);
  expect(await alive).toBe(0);
});
