import { type QueryFailedError } from 'typeorm';
import { startSimulator, type RunningSimulator } from '@typeorm-pingone/simulator';
import { Group, PingOneDataSource, type PingOneDriverError, Population, User } from '../../src';
import { LossyProxy } from '../helpers/lossy-proxy';

/*
 * Two app instances (two DataSources) updating one group or population at once. PingOne has only a full PUT for
 * them, so each update is read → PUT; the driver reads back after the PUT and applies its change again when another
 * writer's PUT, built from an older read, put the old value back. Different columns: both changes kept. The same
 * column: the last writer wins. 30 ms latency makes the two updates overlap every time.
 */
let sim: RunningSimulator;
const opened: PingOneDataSource[] = [];
let proxy: LossyProxy | undefined;

beforeEach(async () => {
  sim = await startSimulator({ seed: 'demo', users: 10 });
});
afterEach(async () => {
  for (const ds of opened.splice(0)) if (ds.isInitialized) await ds.destroy();
  await proxy?.close();
  proxy = undefined;
  await sim.close();
});

async function instance(apiUrl = sim.apiUrl): Promise<PingOneDataSource> {
  const ds = new PingOneDataSource({
    entities: [User, Group, Population],
    pingone: {
      environmentId: sim.environmentId,
      apiUrl,
      authUrl: sim.authUrl,
      clientId: sim.credentials.clientId,
      clientSecret: sim.credentials.clientSecret,
      rateLimit: false,
    },
  });
  opened.push(ds);
  await ds.initialize();
  await ds.getRepository(Group).count(); // the token is fetched before the latency starts
  return ds;
}

const env = () => sim.store.environment(sim.environmentId)!;
const puts = (path: string) => sim.requests.api().filter((r) => r.method === 'PUT' && r.path.endsWith(path)).length;

test('different columns of one group, 10 pairs at once: both changes kept in 10 of 10, both report 1 row', async () => {
  const [a, b] = [await instance(), await instance()];
  const all = [...env().groups.values()].map((g) => String(g.data.id));
  const groups = Array.from({ length: 10 }, (_, i) => all[i % all.length]);
  sim.faults.setLatency(30);
  let kept = 0;
  let reapplied = 0;
  for (const [i, id] of groups.entries()) {
    const before = puts(`/groups/${id}`);
    const [ra, rb] = await Promise.all([
      a.getRepository(Group).update(id, { description: `described ${i}` }),
      b.getRepository(Group).update(id, { externalId: `external-${i}` }),
    ]);
    expect([ra.affected, rb.affected]).toEqual([1, 1]);
    const stored = env().groups.get(id)!.data;
    if (stored.description === `described ${i}` && stored.externalId === `external-${i}`) kept++;
    reapplied += puts(`/groups/${id}`) - before - 2;
  }
  console.log(`concurrent group updates, different columns: both kept in ${kept} of 10 pairs; ${reapplied} re-application(s)`);
  expect(kept).toBe(10);
  expect(reapplied).toBeGreaterThan(0); // the overlap was real: without the read-back, these were lost changes
});

test("…and between instances at different distances (20 ms and 35 ms): the first one's read back waits for the second one's PUT", async () => {
  // The far writer reads before the near one's PUT and writes after the near one would have read back at once:
  // a lost change unless the read back waits one read-and-write cycle.
  const near = await LossyProxy.start(sim);
  const far = await LossyProxy.start(sim);
  try {
    const [a, b] = [await instance(near.apiUrl), await instance(far.apiUrl)];
    near.latencyMs = 20;
    far.latencyMs = 35;
    const all = [...env().groups.values()].map((g) => String(g.data.id));
    let kept = 0;
    for (let i = 0; i < 10; i++) {
      const id = all[i % all.length];
      await Promise.all([
        a.getRepository(Group).update(id, { description: `near ${i}` }),
        b.getRepository(Group).update(id, { externalId: `far-${i}` }),
      ]);
      const stored = env().groups.get(id)!.data;
      if (stored.description === `near ${i}` && stored.externalId === `far-${i}`) kept++;
    }
    console.log(`concurrent group updates, writers 20 ms and 35 ms away: both kept in ${kept} of 10 pairs`);
    expect(kept).toBe(10);
  } finally {
    for (const ds of opened.splice(0)) if (ds.isInitialized) await ds.destroy();
    await near.close();
    await far.close();
  }
});

test('different columns of one population at once: both kept', async () => {
  const [a, b] = [await instance(), await instance()];
  const population = [...env().populations.values()].find((p) => p.data.default !== true)!.data;
  const id = String(population.id);
  sim.faults.setLatency(30);
  for (let i = 0; i < 5; i++) {
    await Promise.all([
      a.getRepository(Population).update(id, { description: `round ${i}` }),
      b.getRepository(Population).update(id, { name: `Renamed ${i}` }),
    ]);
    expect(env().populations.get(id)!.data).toMatchObject({ description: `round ${i}`, name: `Renamed ${i}` });
  }
});

test('the same column at once: the last writer wins, and neither is re-applied over the other', async () => {
  const [a, b] = [await instance(), await instance()];
  const id = String([...env().groups.values()][0].data.id);
  sim.faults.setLatency(30);
  for (let i = 0; i < 5; i++) {
    sim.requests.clear();
    await Promise.all([
      a.getRepository(Group).update(id, { description: `A${i}` }),
      b.getRepository(Group).update(id, { description: `B${i}` }),
    ]);
    const lastPut = sim.requests
      .api()
      .filter((r) => r.method === 'PUT')
      .at(-1)!.body as { description: string };
    expect(env().groups.get(id)!.data.description).toBe(lastPut.description);
    expect(sim.requests.api().filter((r) => r.method === 'PUT')).toHaveLength(2);
  }
});

test('a writer that keeps putting the old value back: CONCURRENT_UPDATE after 5 PUTs, each read back', async () => {
  proxy = await LossyProxy.start(sim);
  const ds = await instance(proxy.apiUrl);
  const group = [...env().groups.values()][0].data;
  const id = String(group.id);
  const stale = group.description;
  // After each PUT, before the driver reads back, "another writer" PUTs its older copy.
  let afterPut = false;
  proxy.beforeForward = (exchange) => {
    if (exchange.method === 'PUT') afterPut = true;
    else if (afterPut && exchange.method === 'GET' && exchange.path === `/groups/${id}`) {
      env().groups.get(id)!.data = { ...env().groups.get(id)!.data, description: stale };
      afterPut = false;
    }
    return 'forward';
  };
  const error = await ds
    .getRepository(Group)
    .update(id, { description: 'mine' })
    .catch((e: unknown) => e);
  const driverError = (error as QueryFailedError).driverError as PingOneDriverError;
  expect(driverError.code).toBe('CONCURRENT_UPDATE');
  expect(driverError.message).toMatch(
    new RegExp(
      `^UPDATE of groups ${id}: another writer kept overwriting this change \\(description\\) with older values; after 5 PUTs, each read back, it is still not applied\\.`,
    ),
  );
  expect(proxy.log.filter((e) => e.method === 'PUT')).toHaveLength(5);
});
