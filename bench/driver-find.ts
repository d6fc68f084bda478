/**
 * TypeORM overhead: `repository.find()` of every user through the driver, against the client alone making the same
 * requests (limit=1000, served in PingOne pages of 200) and against TypeORM on sql.js holding the same rows (TypeORM's
 * own cost), for 1k and 10k users at 0 ms latency (and 20 ms for 10k). After a warm-up, the three run interleaved
 * (driver, client, sql.js, driver, …) so machine load hits them alike; medians are printed with the ratios.
 *   node --expose-gc -r ts-node/register bench/driver-find.ts [--quick]
 */
import 'reflect-metadata';
import { startSimulator } from '@typeorm-pingone/simulator';
import { createPingOneClient } from '@typeorm-pingone/client';
import { Group, PingOneDataSource, Population, User } from 'typeorm-pingone';
import { sqljsWith } from './sqljs-baseline';

const quick = process.argv.includes('--quick');

async function time(fn: () => Promise<number>): Promise<number> {
  global.gc?.();
  const started = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const scenarios: [number, number][] = quick ? [[1_000, 0], [10_000, 0]] : [[1_000, 0], [10_000, 0], [10_000, 20]];
  for (const [users, latencyMs] of scenarios) {
    const sim = await startSimulator({ seed: 'demo', users });
    const pingone = { environmentId: sim.environmentId, apiUrl: sim.apiUrl, authUrl: sim.authUrl, clientId: sim.credentials.clientId, clientSecret: sim.credentials.clientSecret, rateLimit: false as const };
    const client = createPingOneClient(pingone);
    const ds = await new PingOneDataSource({ entities: [User, Group, Population], pingone }).initialize();
    const repo = ds.getRepository(User);
    const rows = (await ds.query('SELECT * FROM "users"')) as Record<string, unknown>[];
    const sqljs = await sqljsWith([User, Group, Population], new Map([['users', rows]]));
    const sqlRepo = sqljs.getRepository(User);
    const runs = {
      driver: async () => (await repo.find()).length,
      client: async () => (await client.users.list({ limit: 1000 }).toArray()).length,
      sqljs: async () => (await sqlRepo.find()).length,
    };
    const counts = { driver: await runs.driver(), client: await runs.client(), sqljs: await runs.sqljs() };
    if (counts.driver !== users || counts.client !== users || counts.sqljs !== users) throw new Error(`row counts differ: ${JSON.stringify(counts)}`);
    const warmups = users >= 10_000 ? 3 : 20;
    for (let i = 0; i < warmups; i++) for (const fn of Object.values(runs)) await fn();
    sim.faults.setLatency(latencyMs);
    const rounds = quick ? (users >= 10_000 ? 5 : 15) : (users >= 10_000 ? (latencyMs ? 5 : 9) : 31);
    const t: Record<keyof typeof runs, number[]> = { driver: [], client: [], sqljs: [] };
    sim.requests.clear();
    for (let i = 0; i < rounds; i++) {
      t.driver.push(await time(runs.driver));
      t.client.push(await time(runs.client));
      t.sqljs.push(await time(runs.sqljs));
    }
    const requests = sim.requests.api().length / rounds / 2;
    const [d, c, s] = [median(t.driver), median(t.client), median(t.sqljs)];
    console.log(`${users.toLocaleString()} users, latency ${latencyMs} ms, median of ${rounds} interleaved runs: driver find ${d.toFixed(1)} ms, client alone ${c.toFixed(1)} ms ` +
      `(${requests} requests each), TypeORM on sql.js ${s.toFixed(1)} ms; driver ÷ client ${(d / c).toFixed(2)}, (client + sql.js) ÷ client ${((c + s) / c).toFixed(2)}, ` +
      `driver overhead beyond the client ${(d - c).toFixed(1)} ms vs TypeORM's own ${s.toFixed(1)} ms`);
    await sqljs.destroy();
    await ds.destroy();
    await sim.close();
  }
}

void main();
