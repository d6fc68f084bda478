/**
 * Several instances, one PingOne (docs/several-instances.md): 4 real processes for 3 s against a simulator that
 * allows 20 requests/s, each with its own in-process limiter at 20/s, then sharing 20/s through Redis; then the
 * PingOne requests of 4 DataSources reading the same 10 queries 5 times each, without a cache, with one per instance
 * and with one shared on Redis. Needs redis-server. One run; prints figures, asserts nothing.
 *   node -r ts-node/register bench/several-instances.ts
 */
import 'reflect-metadata';
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { startSimulator, type RunningSimulator } from '@typeorm-pingone/simulator';
import { planSlots, type PingOneClientOptions } from '@typeorm-pingone/client';
import { Group, PingOneDataSource, Population, User } from 'typeorm-pingone';
import { REDIS_SERVER, startRedis } from '../packages/pingone-client/test/helpers/redis-server';

const RATE = 20;
const SECONDS = 3;
const INSTANCES = 4;

function options(sim: RunningSimulator, extra: Partial<PingOneClientOptions>): PingOneClientOptions {
  return {
    environmentId: sim.environmentId,
    apiUrl: sim.apiUrl,
    authUrl: sim.authUrl,
    clientId: sim.credentials.clientId,
    clientSecret: sim.credentials.clientSecret,
    ...extra,
  };
}

async function limits(label: string, rateLimit: PingOneClientOptions['rateLimit']): Promise<void> {
  const sim = await startSimulator({ seed: 'demo', users: 10 });
  sim.faults.setRateLimit({ requestsPerSecond: RATE });
  const workerOptions = options(sim, { retry: { maxAttempts: 1 }, rateLimit });
  const children = Array.from({ length: INSTANCES }, () =>
    fork(`${__dirname}/../packages/pingone-client/test/fixtures/limited-worker.ts`, [], {
      execArgv: ['-r', 'ts-node/register'],
      env: { ...process.env, TS_NODE_TRANSPILE_ONLY: '1', LIMITED_WORKER_OPTIONS: JSON.stringify(workerOptions) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
  const reports = children.map(
    (child) =>
      new Promise<{ sent: number; failed: number; limited: number }>((resolve) =>
        child.on('message', (m) => {
          if (m !== 'ready') resolve(m as never);
        }),
      ),
  );
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve, reject) =>
          child.once('message', (m) =>
            m === 'ready' ? resolve() : reject(new Error(`an instance failed to start: ${JSON.stringify(m)}`)),
          ),
        ),
    ),
  );
  sim.requests.clear();
  const startAt = Date.now() + 300;
  for (const child of children) child.send({ startAt, stopAt: startAt + SECONDS * 1000 });
  const done = await Promise.all(reports);
  const api = sim.requests.api();
  const refused = api.filter((r) => r.status === 429).length;
  console.log(
    `${label.padEnd(44)} ${String(api.length).padStart(4)} requests in ${SECONDS} s = ${(api.length / SECONDS).toFixed(1).padStart(5)}/s (${((100 * (api.length - refused)) / SECONDS / RATE).toFixed(0)} % of ${RATE}/s answered), ` +
      `${refused} answered 429, ${done.reduce((n, r) => n + r.failed, 0)} requests failed for the app`,
  );
  await sim.close();
}

async function caches(label: string, cache: PingOneDataSource['options'] extends never ? never : unknown): Promise<void> {
  const sim = await startSimulator({ seed: 'demo', users: 200 });
  const sources = await Promise.all(
    Array.from({ length: INSTANCES }, () =>
      new PingOneDataSource({
        entities: [User, Group, Population],
        pingone: options(sim, { rateLimit: false }),
        ...(cache === undefined ? {} : { cache: cache as never }),
      }).initialize(),
    ),
  );
  sim.requests.clear();
  const types = ['Contractor', 'Employee', 'Partner', 'Customer', 'Intern'];
  for (let round = 0; round < 5; round++) {
    for (const ds of sources) {
      for (const type of types) {
        await ds.getRepository(User).findBy({ type });
        await ds.getRepository(User).count({ where: { type } });
      }
    }
  }
  console.log(
    `${label.padEnd(44)} ${String(sim.requests.api().length).padStart(4)} PingOne requests for ${INSTANCES * 5 * types.length * 2} queries`,
  );
  for (const ds of sources) await ds.destroy();
  await sim.close();
}

async function main(): Promise<void> {
  if (!REDIS_SERVER) {
    console.log('SKIPPED: redis-server not installed (apt-get install -y redis-server)');
    return;
  }
  const redis = await startRedis();
  try {
    console.log(`${INSTANCES} processes, PingOne (simulator) allows ${RATE} requests/s; each process keeps 8 requests waiting`);
    await limits(`each process limited in-process to ${RATE}/s`, { requestsPerSecond: RATE, maxConcurrent: 8 });
    await limits(`each process limited in-process to ${RATE / INSTANCES}/s`, { requestsPerSecond: RATE / INSTANCES, maxConcurrent: 8 });
    await limits(`${RATE}/s shared through Redis`, { requestsPerSecond: RATE, maxConcurrent: 8, store: { redis: redis.url } });
    console.log(
      `  (the Redis limiter's slot plan at ${RATE}/s: ${planSlots(RATE).slotMs.toFixed(1)} ms slots, ${planSlots(RATE).perSlot} start each, steady rate ${planSlots(RATE).steadyRate.toFixed(1)}/s)`,
    );
    console.log(`\n${INSTANCES} DataSources, 5 rounds of the same 10 queries each (5 findBy + 5 count)`);
    await caches('no cache', undefined);
    await caches('cache per instance (store: memory)', { ttlMs: 60_000 });
    await caches('cache shared on Redis', { ttlMs: 60_000, store: { redis: redis.url, encryptionKey: randomBytes(32) } });
  } finally {
    await redis.stop();
  }
}

void main();
