import { PingOneAbortError } from '../src';
import { startHarness, type Harness } from './helpers/client-under-test';

let h: Harness;
afterEach(() => h.close());

/** The simulator logs a request after its latency: waiting for the log lets its timer end before the test does. */
async function settled(count: number): Promise<void> {
  while (h.sim.requests.api().length < count) await new Promise((resolve) => setTimeout(resolve, 20));
}

test('cancelInFlight aborts the requests in flight (PingOneAbortError) and later requests run normally', async () => {
  h = await startHarness({ seed: 'demo', users: 3 });
  await h.client.users.list().toArray(); // the token is fetched now: the slow part below is the lists themselves
  h.sim.faults.setLatency(800);
  const slow = h.client.users.list().toArray();
  const sibling = h.client.withEnvironment(h.sim.environmentId).groups.list().toArray();
  await new Promise((resolve) => setTimeout(resolve, 100));
  h.client.cancelInFlight();
  await expect(slow).rejects.toBeInstanceOf(PingOneAbortError);
  await expect(sibling).rejects.toMatchObject({ code: 'ABORTED' });
  await settled(3);
  h.sim.faults.setLatency(0);
  expect(await h.client.users.list().toArray()).toHaveLength(3);
  expect(h.sim.requests.api()).toHaveLength(4);
});

test("a caller's own signal aborts its request alone", async () => {
  h = await startHarness({ seed: 'demo', users: 2 });
  await h.client.users.list().toArray();
  h.sim.faults.setLatency(300);
  const controller = new AbortController();
  const mine = h.client.users.list({}, { signal: controller.signal }).toArray();
  const other = h.client.users.list().toArray();
  await new Promise((resolve) => setTimeout(resolve, 50));
  controller.abort();
  await expect(mine).rejects.toBeInstanceOf(PingOneAbortError);
  expect(await other).toHaveLength(2);
  await settled(3);
});

test('cancelInFlight also frees a request still waiting for its access token; the token fetch goes on for later requests', async () => {
  h = await startHarness({ seed: 'demo', users: 2 });
  h.sim.faults.setLatency(400);
  const waiting = h.client.users.list().toArray();
  await new Promise((resolve) => setTimeout(resolve, 50));
  h.client.cancelInFlight();
  await expect(waiting).rejects.toBeInstanceOf(PingOneAbortError);
  expect(h.sim.requests.api()).toHaveLength(0);
  h.sim.faults.setLatency(0);
  expect(await h.client.users.list().toArray()).toHaveLength(2);
  expect(h.sim.requests.all().filter((r) => r.kind === 'token')).toHaveLength(1);
});
