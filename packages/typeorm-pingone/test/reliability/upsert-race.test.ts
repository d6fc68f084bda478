import { startSimulator, type RunningSimulator } from '@typeorm-pingone/simulator';
import { Group, PingOneDataSource, Population, User } from '../../src';

/*
 * 2 to 10 app instances upserting the same new username (or group name) at once: each reads it as absent and sends
 * the create; PingOne keeps one and refuses the others as duplicates, which the driver reads again and updates.
 * One create, the others update, none fails. 20 ms of latency makes every instance's read precede every create.
 */
let sim: RunningSimulator;
const opened: PingOneDataSource[] = [];

beforeEach(async () => {
  sim = await startSimulator({ seed: 'demo', users: 5 });
});
afterEach(async () => {
  for (const ds of opened.splice(0)) if (ds.isInitialized) await ds.destroy();
  await sim.close();
});

async function instances(n: number): Promise<PingOneDataSource[]> {
  const made = await Promise.all(
    Array.from({ length: n }, async () => {
      const ds = new PingOneDataSource({
        entities: [User, Group, Population],
        pingone: {
          environmentId: sim.environmentId,
          apiUrl: sim.apiUrl,
          authUrl: sim.authUrl,
          clientId: sim.credentials.clientId,
          clientSecret: sim.credentials.clientSecret,
          rateLimit: false,
        },
      });
      opened.push(ds);
      await ds.initialize();
      await ds.getRepository(User).count(); // token fetched before the latency starts
      return ds;
    }),
  );
  return made;
}

const env = () => sim.store.environment(sim.environmentId)!;
const posts = (path: string) => sim.requests.api().filter((r) => r.method === 'POST' && r.path.endsWith(path));

describe.each([2, 5, 10])('%i concurrent upserts', (n) => {
  test('of one new username: one create, the others update, none fails', async () => {
    const all = await instances(n);
    sim.requests.clear();
    sim.faults.setLatency(20);
    const results = await Promise.allSettled(
      all.map((ds, i) =>
        ds.getRepository(User).upsert({ username: 'raced.user', email: 'raced@example.com', title: `writer ${i}` }, ['username']),
      ),
    );
    sim.faults.setLatency(0);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const users = [...env().users.values()].map((u) => u.data).filter((u) => u.username === 'raced.user');
    expect(users).toHaveLength(1);
    const ids = results.map((r) => (r as PromiseFulfilledResult<{ identifiers: { id?: string }[] }>).value.identifiers[0].id);
    expect(new Set(ids)).toEqual(new Set([users[0].id]));
    // every instance read it as absent and sent its create; PingOne kept one, the others were read again and updated
    expect(
      posts('/users')
        .map((r) => r.status)
        .sort(),
    ).toEqual([201, ...Array<number>(n - 1).fill(400)]);
    expect(String(users[0].title)).toMatch(/^writer \d+$/);
  });

  test('of one new group name: the same', async () => {
    const all = await instances(n);
    sim.requests.clear();
    sim.faults.setLatency(20);
    const results = await Promise.allSettled(
      all.map((ds, i) => ds.getRepository(Group).upsert({ name: 'Raced group', description: `writer ${i}` }, ['name'])),
    );
    sim.faults.setLatency(0);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect([...env().groups.values()].filter((g) => g.data.name === 'Raced group')).toHaveLength(1);
    expect(
      posts('/groups')
        .map((r) => r.status)
        .sort(),
    ).toEqual([201, ...Array<number>(n - 1).fill(400)]);
  });
});
