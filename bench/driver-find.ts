/**
 * TypeORM overhead: `repository.find()` of every user through the driver, against the client alone making the same
 * requests (limit=1000, served in PingOne pages of 200) and against TypeORM on sql.js holding the same rows (TypeORM's
 * own cost), and the SQL of that find as a raw query (the driver without TypeORM's hydration), for 1k and 10k users at 0 ms latency (and 20 ms for 10k). After a warm-up, the three run interleaved
 * (driver, client, sql.js, driver, …) so machine load hits them alike; medians are printed with the ratios.
 *
 * A full GC runs (untimed) before every timed run, so no run pays for the garbage of the one before. V8 then starts
 * each run on a freshly emptied young generation, which costs code that allocates many objects it keeps (TypeORM's
 * entities) more than it does in steady state (TypeORM's own transform of 1,000 user rows: 3–6 ms back to back,
 * 7–22 ms right after a forced GC). `--back-to-back` times the runs without it, as an application serving queries
 * sees them: each run then pays for whatever garbage V8 decides to collect during it, its own or the runs' before.
 *   node --expose-gc -r ts-node/register bench/driver-find.ts [--quick] [--back-to-back]
 */
import 'reflect-metadata';
import { startSimulator } from '@typeorm-pingone/simulator';
import { createPingOneClient } from '@typeorm-pingone/client';
import { Group, PingOneDataSource, Population, User } from 'typeorm-pingone';
import { sqljsWith } from './sqljs-baseline';

const quick = process.argv.includes('--quick');
const gcEach = !process.argv.includes('--back-to-back');

async function time(fn: () => Promise<number>): Promise<number> {
  if (gcEach) global.gc?.();
  const started = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const scenarios: [number, number][] = quick
    ? [
        [1_000, 0],
        [10_000, 0],
      ]
    : [
        [1_000, 0],
        [10_000, 0],
        [10_000, 20],
      ];
  for (const [users, latencyMs] of scenarios) {
    const sim = await startSimulator({ seed: 'demo', users });
    const pingone = {
      environmentId: sim.environmentId,
      apiUrl: sim.apiUrl,
      authUrl: sim.authUrl,
      clientId: sim.credentials.clientId,
      clientSecret: sim.credentials.clientSecret,
      rateLimit: false as const,
    };
    const client = createPingOneClient(pingone);
    const ds = await new PingOneDataSource({ entities: [User, Group, Population], pingone }).initialize();
    const repo = ds.getRepository(User);
    const rows = await ds.query<Record<string, unknown>[]>('SELECT * FROM "users"');
    const sqljs = await sqljsWith([User, Group, Population], new Map([['users', rows]]));
    const sqlRepo = sqljs.getRepository(User);
    const [findSql, findParams] = repo.createQueryBuilder('User').getQueryAndParameters();
    const runs = {
      driver: async () => (await repo.find()).length,
      raw: async () => (await ds.query<unknown[]>(findSql, findParams)).length,
      client: async () => (await client.users.list({ limit: 1000 }).toArray()).length,
      sqljs: async () => (await sqlRepo.find()).length,
      sqljsRaw: async () => (await sqljs.query<unknown[]>(findSql, findParams)).length,
    };
    const counts = {
      driver: await runs.driver(),
      raw: await runs.raw(),
      client: await runs.client(),
      sqljs: await runs.sqljs(),
      sqljsRaw: await runs.sqljsRaw(),
    };
    if (Object.values(counts).some((n) => n !== users)) throw new Error(`row counts differ: ${JSON.stringify(counts)}`);
    const warmups = users >= 10_000 ? 3 : 20;
    for (let i = 0; i < warmups; i++) for (const fn of Object.values(runs)) await fn();
    sim.faults.setLatency(latencyMs);
    const rounds = quick ? (users >= 10_000 ? 5 : 15) : users >= 10_000 ? (latencyMs ? 5 : 9) : 31;
    const t: Record<keyof typeof runs, number[]> = { driver: [], raw: [], client: [], sqljs: [], sqljsRaw: [] };
    sim.requests.clear();
    global.gc?.();
    for (let i = 0; i < rounds; i++) {
      t.driver.push(await time(runs.driver));
      t.raw.push(await time(runs.raw));
      t.client.push(await time(runs.client));
      t.sqljs.push(await time(runs.sqljs));
      t.sqljsRaw.push(await time(runs.sqljsRaw));
    }
    const requests = sim.requests.api().length / rounds / 3;
    const [d, r, c, s, sr] = [median(t.driver), median(t.raw), median(t.client), median(t.sqljs), median(t.sqljsRaw)];
    // TypeORM's hydration alone: the same find on sql.js less the same SQL as a raw query there
    const hydration = Math.max(0, s - sr);
    console.log(
      `${users.toLocaleString()} users, latency ${latencyMs} ms, median of ${rounds} interleaved runs, ${gcEach ? 'a full GC forced before each' : 'back to back'} (${requests} requests each):\n` +
        `  driver find ${d.toFixed(1)} ms | its SQL as a raw query ${r.toFixed(1)} ms | client alone ${c.toFixed(1)} ms | TypeORM on sql.js: find ${s.toFixed(1)} ms, raw ${sr.toFixed(1)} ms (hydration ${hydration.toFixed(1)} ms)\n` +
        `  driver ÷ client ${(d / c).toFixed(2)} | raw query ÷ client ${(r / c).toFixed(2)} (the driver's own overhead) | with TypeORM's own hydration (as on sql.js; the driver hydrates plain finds itself, mapping/fast-hydration.ts): (client + sql.js hydration) ÷ client ${((c + hydration) / c).toFixed(2)}`,
    );
    await sqljs.destroy();
    await ds.destroy();
    await sim.close();
  }
}

void main();
