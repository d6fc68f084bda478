/**
 * Load: N concurrent repository queries through one DataSource, client limiter on, against a simulator with a rate
 * limit (and 20 ms latency); reports throughput, latency percentiles, 429s seen by the server and by the user, and
 * heap growth. One run. The first run has the sizes and limits of packages/typeorm-pingone/test/reliability/load.test.ts
 * (which asserts only rows and 429s): its heap growth is printed here instead of asserted there.
 *   node --expose-gc -r ts-node/register bench/load.ts
 */
import 'reflect-metadata';
import { startSimulator } from '@typeorm-pingone/simulator';
import { Group, PingOneDataSource, Population, User } from 'typeorm-pingone';

interface Scenario {
  users: number;
  latencyMs: number;
  serverLimit: number;
  limiter: { requestsPerSecond: number; maxConcurrent: number } | false;
}

async function run(queries: number, { users, latencyMs, serverLimit, limiter }: Scenario): Promise<void> {
  const sim = await startSimulator({ seed: 'demo', users, latencyMs });
  sim.faults.setRateLimit({ requestsPerSecond: serverLimit, retryAfterSeconds: 1 });
  const ds = await new PingOneDataSource({
    entities: [User, Group, Population],
    pingone: {
      environmentId: sim.environmentId,
      apiUrl: sim.apiUrl,
      authUrl: sim.authUrl,
      clientId: sim.credentials.clientId,
      clientSecret: sim.credentials.clientSecret,
      rateLimit: limiter,
    },
  }).initialize();
  const repo = ds.getRepository(User);
  const ids = [...sim.store.environment(sim.environmentId)!.users.values()].map((u) => String(u.data.id));
  await repo.count();
  global.gc?.();
  const heap = process.memoryUsage().heapUsed;
  const latencies: number[] = [];
  let failed = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: queries }, async (_, i) => {
      const t = Date.now();
      try {
        await (i % 2 ? repo.findOneBy({ id: ids[i % ids.length] }) : repo.findBy({ type: 'Partner' }));
      } catch {
        failed++;
      }
      latencies.push(Date.now() - t);
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  global.gc?.();
  console.log(
    `${queries} concurrent queries on ${users} users, limiter ${limiter ? `on (${limiter.requestsPerSecond} req/s, ${limiter.maxConcurrent} in flight)` : 'off'}, server limit ${serverLimit} req/s, ${latencyMs} ms latency: ` +
      `${(queries / seconds).toFixed(0)} queries/s, p50 ${p(0.5)} ms, p95 ${p(0.95)} ms, p99 ${p(0.99)} ms, ` +
      `429s at the server ${sim.requests.api().filter((r) => r.status === 429).length}, failed queries ${failed}, heap growth ${((process.memoryUsage().heapUsed - heap) / 1024 / 1024).toFixed(1)} MB`,
  );
  await ds.destroy();
  await sim.close();
}

async function main(): Promise<void> {
  await run(300, { users: 200, latencyMs: 0, serverLimit: 120, limiter: { requestsPerSecond: 100, maxConcurrent: 10 } });
  await run(500, { users: 1000, latencyMs: 20, serverLimit: 100, limiter: { requestsPerSecond: 90, maxConcurrent: 20 } });
  await run(500, { users: 1000, latencyMs: 20, serverLimit: 100, limiter: false });
}

void main();
