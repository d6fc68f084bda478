import { startSimulator } from '@typeorm-pingone/simulator';
import { Group, PingOneDataSource, Population, User } from '../../src';

/*
 * Hundreds of concurrent repository queries through one DataSource with the client-side limiter on, against a
 * simulator that enforces a rate limit: every query succeeds with its own rows and no 429 reaches the user (none is
 * even sent). Throughput, latency percentiles and heap growth are measured, not asserted, by bench/load.ts (a figure
 * that depends on the machine's load is a flake in a test, not a check).
 */
test('300 concurrent queries under a server rate limit: no 429, right rows', async () => {
  const sim = await startSimulator({ seed: 'demo', users: 200 });
  let ds: PingOneDataSource | undefined;
  try {
    sim.faults.setRateLimit({ requestsPerSecond: 120, retryAfterSeconds: 1 });
    ds = await new PingOneDataSource({
      entities: [User, Group, Population],
      pingone: {
        environmentId: sim.environmentId,
        apiUrl: sim.apiUrl,
        authUrl: sim.authUrl,
        clientId: sim.credentials.clientId,
        clientSecret: sim.credentials.clientSecret,
        rateLimit: { requestsPerSecond: 100, maxConcurrent: 10 },
      },
    }).initialize();
    const repo = ds.getRepository(User);
    const all = [...sim.store.environment(sim.environmentId)!.users.values()].map((u) => u.data);
    const types = ['Employee', 'Contractor', 'Partner'];
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        i % 4 === 3
          ? repo.findOneBy({ id: String(all[i % all.length].id) }).then((u) => (u ? [u] : []))
          : repo.findBy({ type: types[i % 3] }),
      ),
    );
    results.forEach((rows, i) => {
      if (i % 4 === 3) expect(rows[0]?.id).toBe(all[i % all.length].id);
      else expect(rows.length).toBe(all.filter((u) => u.type === types[i % 3]).length);
    });
    expect(sim.requests.api().filter((r) => r.status === 429)).toHaveLength(0);
  } finally {
    if (ds?.isInitialized) await ds.destroy();
    await sim.close();
  }
}, 60_000);
