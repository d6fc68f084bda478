/**
 * TypeORM overhead: `repository.find()` of every user through the driver against the client alone making the
 * same requests (limit=1000, served in PingOne pages of 200), for 1k and 10k users, with simulator latency 0 ms and 20 ms. One run; the
 * ratio is what matters.
 *   node -r ts-node/register bench/driver-find.ts
 */
import 'reflect-metadata';
import { startSimulator } from '@typeorm-pingone/simulator';
import { createPingOneClient } from '@typeorm-pingone/client';
import { Group, PingOneDataSource, Population, User } from 'typeorm-pingone';

async function measure(fn: () => Promise<number>, runs: number): Promise<{ ms: number; n: number }> {
  const times: number[] = [];
  let n = 0;
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    n = await fn();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)]!, n };
}

async function main(): Promise<void> {
  for (const users of [1_000, 10_000]) {
    for (const latencyMs of [0, 20]) {
      const sim = await startSimulator({ seed: 'demo', users });
      const pingone = { environmentId: sim.environmentId, apiUrl: sim.apiUrl, authUrl: sim.authUrl, clientId: sim.credentials.clientId, clientSecret: sim.credentials.clientSecret, rateLimit: false as const };
      const client = createPingOneClient(pingone);
      const ds = await new PingOneDataSource({ entities: [User, Group, Population], pingone }).initialize();
      const repo = ds.getRepository(User);
      await repo.find();
      await client.users.list({ limit: 1000 }).toArray(); // warm-up
      sim.faults.setLatency(latencyMs);
      sim.requests.clear();
      const driver = await measure(async () => (await repo.find()).length, 5);
      const driverRequests = sim.requests.api().length / 5;
      sim.requests.clear();
      const alone = await measure(async () => (await client.users.list({ limit: 1000 }).toArray()).length, 5);
      const clientRequests = sim.requests.api().length / 5;
      console.log(`${users.toLocaleString()} users, latency ${latencyMs} ms: driver find ${driver.ms.toFixed(0)} ms (${driverRequests} requests), client alone ${alone.ms.toFixed(0)} ms (${clientRequests} requests), ratio ${(driver.ms / alone.ms).toFixed(2)}`);
      await ds.destroy();
      await sim.close();
    }
  }
}

void main();
