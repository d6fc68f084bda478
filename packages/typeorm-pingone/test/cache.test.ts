import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { startSimulator, type RunningSimulator } from '@typeorm-pingone/simulator';
import { valueText } from '@typeorm-pingone/client';
import { PingOneDataSource, User, Group, Population } from '../src';
import type { PingOneDataSourceOptions } from '../src';
import { describeWithRedis, startRedis, type RunningRedis } from '../../pingone-client/test/helpers/redis-server';
import { startDriver, type DriverHarness } from './helpers/driver-harness';

/** A TypeORM logger that keeps the driver's info and warn lines. */
function capturingLogger(lines: string[]): NonNullable<PingOneDataSourceOptions['logger']> {
  return {
    logQuery() {},
    logQueryError() {},
    logQuerySlow() {},
    logSchemaBuild() {},
    logMigration() {},
    log(level: string, message: unknown) {
      lines.push(`${level} ${String(message)}`);
    },
  };
}

describe('read cache (in-process)', () => {
  let h: DriverHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  test('off by default: the same read twice is two requests', async () => {
    h = await startDriver();
    await h.ds.getRepository(User).findBy({ type: 'Contractor' });
    await h.ds.getRepository(User).findBy({ type: 'Contractor' });
    expect(h.requests()).toHaveLength(2);
  });

  test('a repeated read is served from the cache; EXPLAIN ANALYZE and the logger say so; a write drops it', async () => {
    const lines: string[] = [];
    h = await startDriver(undefined, { cache: { ttlMs: 60_000 }, logging: ['info'], logger: capturingLogger(lines) });
    const repo = h.ds.getRepository(User);
    const first = await repo.findBy({ type: 'Contractor' });
    const second = await repo.findBy({ type: 'Contractor' });
    expect(second).toEqual(first);
    expect(h.requests()).toEqual(['GET /users?limit=1000&filter=type eq "Contractor"']);
    expect(lines.filter((l) => l.includes('(cache hit)'))).toHaveLength(1);
    // local SQL over the cached response is the same as over a fresh one
    const sorted = await repo.find({ where: { type: 'Contractor' }, order: { username: 'DESC' }, take: 2 });
    expect(sorted.map((u) => u.username)).toEqual([...first.map((u) => u.username)].sort().reverse().slice(0, 2));
    const plan = await h.ds.explainAnalyze(repo.createQueryBuilder('u').where('u.type = :t', { t: 'Contractor' }));
    expect(plan.filter((r) => r.strategy === 'request').map((r) => r.notes)).toEqual([
      'GET /users?limit=1000 (cache hit) filter=type eq "Contractor"',
    ]);
    h.reset();
    await repo.update(first[0].id, { title: 'Changed' });
    const after = await repo.findBy({ type: 'Contractor' });
    expect(after.find((u) => u.id === first[0].id)?.title).toBe('Changed');
    expect(h.requests().filter((r) => r.startsWith('GET'))).toEqual(['GET /users?limit=1000&filter=type eq "Contractor"']);
  });

  test('a query inside a transaction never reads the cache', async () => {
    h = await startDriver(undefined, { cache: true });
    const repo = h.ds.getRepository(User);
    await repo.findBy({ type: 'Contractor' });
    h.reset();
    await h.ds.transaction(async (manager) => {
      await manager.getRepository(User).findBy({ type: 'Contractor' });
    });
    expect(h.requests()).toEqual(['GET /users?limit=1000&filter=type eq "Contractor"']);
  });

  test("TypeORM's own cache shape and unknown keys are refused with the equivalent", () => {
    const make = (cache: unknown) => () =>
      new PingOneDataSource({ entities: [User], pingone: 'pingone://?environmentId=x', cache } as never);
    expect(make({ type: 'redis', duration: 1000 })).toThrow(
      /'type', 'duration' belong to TypeORM's query-result cache.*Write cache: \{ ttlMs: 30000 \}/,
    );
    expect(make({ ttl: 5 })).toThrow(/unknown option 'cache.ttl'. Options: ttlMs, store, maxEntries/);
    expect(make({ store: 'redis' })).toThrow(/'cache.store' must be 'memory' or \{ redis: 'redis:\/\/host:6379', encryptionKey \}/);
    expect(make({ store: { redis: 'redis://127.0.0.1:6379' } })).toThrow(
      /'cache.store.encryptionKey' is required: every cache entry on Redis is encrypted and authenticated/,
    );
    expect(make({ store: { redis: 'redis://127.0.0.1:6379', encryptionKey: 1n } })).toThrow(
      /'cache.store.encryptionKey' must be a Buffer, Uint8Array or string; got a BigInt/,
    );
    expect(make({ maxEntries: 0 })).toThrow(/'cache.maxEntries' must be a whole number between 1 and 1000000/);
  });

  test('bounded: maxEntries responses at most (the oldest go first)', async () => {
    h = await startDriver(undefined, { cache: { maxEntries: 2 } });
    const repo = h.ds.getRepository(User);
    for (const type of ['Contractor', 'Employee', 'Partner']) await repo.findBy({ type });
    h.reset();
    await repo.findBy({ type: 'Partner' });
    await repo.findBy({ type: 'Employee' });
    await repo.findBy({ type: 'Contractor' });
    expect(h.requests()).toEqual(['GET /users?limit=1000&filter=type eq "Contractor"']);
  });
});

/** The app's cache key (cache.store.encryptionKey), the same in every instance. */
const KEY = randomBytes(32).toString('base64');

describeWithRedis('read cache and limit on Redis (several instances)', () => {
  let sim: RunningSimulator;
  let redis: RunningRedis;
  let child: ChildProcess | undefined;
  let ds: PingOneDataSource | undefined;

  beforeEach(async () => {
    sim = await startSimulator({ seed: 'demo', users: 30 });
    redis = await startRedis();
  });
  afterEach(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    child = undefined;
    if (ds?.isInitialized) await ds.destroy();
    ds = undefined;
    await redis.stop();
    await sim.close();
  });

  const pingone = (extra: Record<string, unknown> = {}) => ({
    environmentId: sim.environmentId,
    apiUrl: sim.apiUrl,
    authUrl: sim.authUrl,
    clientId: sim.credentials.clientId,
    clientSecret: sim.credentials.clientSecret,
    retry: { baseDelayMs: 5, maxDelayMs: 50 },
    ...extra,
  });

  test('a write in one process, then a read in another: fresh data (and the cache is shared)', async () => {
    const username =
      sim.requests &&
      (await (async () => {
        const probe = await new PingOneDataSource({
          entities: [User, Group, Population],
          pingone: pingone({ rateLimit: false }),
        }).initialize();
        try {
          return (await probe.getRepository(User).find({ take: 1 }))[0].username;
        } finally {
          await probe.destroy();
        }
      })());
    const lines: string[] = [];
    ds = await new PingOneDataSource({
      entities: [User, Group, Population],
      pingone: pingone(),
      cache: { ttlMs: 60_000, store: { redis: redis.url, encryptionKey: KEY } },
      logging: ['info'],
      logger: capturingLogger(lines),
    }).initialize();
    child = fork(`${__dirname}/fixtures/cache-instance.ts`, [], {
      execArgv: ['-r', 'ts-node/register'],
      env: {
        ...process.env,
        TS_NODE_TRANSPILE_ONLY: '1',
        TS_NODE_SWC: '1',
        CACHE_INSTANCE_OPTIONS: JSON.stringify({ pingone: pingone(), redis: redis.url, encryptionKey: KEY }),
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const replies: unknown[] = [];
    let wake: (() => void) | undefined;
    child.on('message', (m) => {
      replies.push(m);
      wake?.();
    });
    const next = async (): Promise<Record<string, unknown>> => {
      while (replies.length === 0)
        await new Promise<void>((r) => {
          wake = r;
        });
      const reply = replies.shift() as Record<string, unknown>;
      if (reply.error) throw new Error(`other instance: ${valueText(reply.error)}`);
      return reply;
    };
    const ask = async (command: object) => {
      child!.send(command);
      return next();
    };
    expect(await next()).toBe('ready');

    const repo = ds.getRepository(User);
    const user = (await repo.findOneBy({ username }))!;
    sim.requests.clear();
    // the other instance reads what this one fetched: from the shared cache, no request
    expect(await ask({ op: 'read', username })).toEqual({ title: user.title ?? null, hit: true });
    expect(sim.requests.api()).toHaveLength(0);
    // this instance writes; the other reads at once and sees it
    await repo.update(user.id, { title: 'Written by instance 1' });
    expect(await ask({ op: 'read', username })).toEqual({ title: 'Written by instance 1', hit: false });
    // and the other way round
    expect(await ask({ op: 'retitle', id: user.id, title: 'Written by instance 2' })).toEqual({ done: true });
    expect((await repo.findOneBy({ username }))?.title).toBe('Written by instance 2');
    expect(await ask({ op: 'stop' })).toEqual({ stopped: true });
  }, 60_000);

  test('Redis going away mid-run: one warning, the in-process limiter and no cache take over, no query fails', async () => {
    const lines: string[] = [];
    const warnings: string[] = [];
    const store = { redis: redis.url, commandTimeoutMs: 200 };
    ds = await new PingOneDataSource({
      entities: [User, Group, Population],
      pingone: pingone({ rateLimit: { requestsPerSecond: 50, store }, logger: { warn: (m: string) => warnings.push(m) } }),
      cache: { ttlMs: 60_000, store: { ...store, encryptionKey: KEY } },
      logging: ['info', 'warn'],
      logger: capturingLogger(lines),
    }).initialize();
    const repo = ds.getRepository(User);
    const types = ['Contractor', 'Employee'];
    const results: number[] = [];
    let hitsAtKill = -1;
    for (let i = 0; i < 40; i++) {
      if (i === 10) {
        await redis.stop();
        hitsAtKill = lines.filter((l) => l.includes('(cache hit)')).length;
      }
      results.push((await repo.findBy({ type: types[i % 2] })).length);
    }
    const hits = lines.filter((l) => l.includes('(cache hit)')).length;
    expect(hitsAtKill).toBe(8); // before: every read after the first two came from the cache
    expect(hits).toBe(hitsAtKill); // after: none did
    expect(results.every((n, i) => n === results[i % 2])).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /Redis redis:\/\/127\.0\.0\.1:\d+\/? is unreachable.*limits its PingOne requests by itself.*without the read cache.*no query fails/,
    );
    expect(lines.filter((l) => l.startsWith('warn'))).toHaveLength(0);
    // initialize()'s environment check, the 2 reads before Redis went away, and the 30 after it (none cached)
    expect(sim.requests.api().filter((r) => r.method === 'GET')).toHaveLength(1 + 2 + 30);
  }, 60_000);
});
