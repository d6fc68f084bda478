import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { startSimulator, type RunningSimulator } from '@typeorm-pingone/simulator';
import {
  createPingOneClient,
  openRedisConnection,
  PingOneConfigError,
  planSlots,
  type PingOneClient,
  type PingOneClientOptions,
} from '../src';
import { describeWithRedis, startRedis, type RunningRedis } from './helpers/redis-server';

const WORKER = `${__dirname}/fixtures/limited-worker.ts`;

function baseOptions(sim: RunningSimulator): PingOneClientOptions {
  return {
    environmentId: sim.environmentId,
    apiUrl: sim.apiUrl,
    authUrl: sim.authUrl,
    clientId: sim.credentials.clientId,
    clientSecret: sim.credentials.clientSecret,
    retry: { baseDelayMs: 5, maxDelayMs: 50 },
  };
}

describeWithRedis('rate limit shared through Redis', () => {
  let sim: RunningSimulator;
  let redis: RunningRedis;
  const clients: PingOneClient[] = [];
  const children: ChildProcess[] = [];

  beforeEach(async () => {
    sim = await startSimulator({ seed: 'demo', users: 5 });
    redis = await startRedis();
  });

  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    for (const client of clients.splice(0)) client.close();
    await redis.stop();
    await sim.close();
  });

  const client = (options: Partial<PingOneClientOptions>) => {
    const created = createPingOneClient({ ...baseOptions(sim), ...options });
    clients.push(created);
    return created;
  };

  test('4 processes sharing 20 req/s against PingOne’s 20 req/s: no 429, and together they send close to 20/s', async () => {
    const rate = 20;
    const seconds = 3;
    sim.faults.setRateLimit({ requestsPerSecond: rate });
    const options: PingOneClientOptions = {
      ...baseOptions(sim),
      retry: { maxAttempts: 1 },
      rateLimit: { requestsPerSecond: rate, maxConcurrent: 8, store: { redis: redis.url } },
    };
    const ready: Promise<void>[] = [];
    const results: Promise<{ sent: number; failed: number; limited: number; error?: string }>[] = [];
    for (let i = 0; i < 4; i++) {
      const child = fork(WORKER, [], {
        execArgv: ['-r', 'ts-node/register'],
        env: { ...process.env, TS_NODE_TRANSPILE_ONLY: '1', TS_NODE_SWC: '1', LIMITED_WORKER_OPTIONS: JSON.stringify(options) },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      children.push(child);
      ready.push(
        new Promise((resolve, reject) => {
          child.once('message', () => resolve());
          child.once('exit', (code) => reject(new Error(`instance ${i} exited (${code}) before it was ready`)));
        }),
      );
      results.push(
        new Promise((resolve) =>
          child.on('message', (m) => {
            if (m !== 'ready') resolve(m as never);
          }),
        ),
      );
    }
    await Promise.all(ready);
    sim.requests.clear();
    const startAt = Date.now() + 300;
    for (const child of children) child.send({ startAt, stopAt: startAt + seconds * 1000 });
    const reports = await Promise.all(results);
    const api = sim.requests.api();
    const refused = api.filter((r) => r.status === 429).length;
    const perSecond = api.length / seconds;

    console.log(
      `4 instances, shared ${rate}/s for ${seconds} s: ${api.length} requests (${perSecond.toFixed(1)}/s, ${((100 * perSecond) / rate).toFixed(0)} % of the limit; the slot plan's steady rate is ${planSlots(rate).steadyRate.toFixed(1)}/s), ${refused} answered 429, per instance ${reports.map((r) => r.sent).join('/')}`,
    );
    expect(reports.map((r) => r.error)).toEqual([undefined, undefined, undefined, undefined]);
    expect(refused).toBe(0);
    expect(reports.reduce((n, r) => n + r.failed, 0)).toBe(0);
    expect(api.length).toBeLessThanOrEqual(rate * seconds);
    expect(api.length).toBeGreaterThanOrEqual(0.9 * rate * seconds);
    // every instance got a share: the limit is shared, not taken by one
    for (const report of reports) expect(report.sent).toBeGreaterThan(0);
  }, 60_000);

  test('a 429 holds back every client on the store until its Retry-After', async () => {
    const store = { redis: redis.url };
    const a = client({ rateLimit: { requestsPerSecond: 50, store } });
    const b = client({ rateLimit: { requestsPerSecond: 50, store } });
    await a.request({ method: 'GET', url: '/users', query: { limit: 1 } });
    await b.request({ method: 'GET', url: '/users', query: { limit: 1 } });
    sim.faults.failNext(1, { status: 429, retryAfterSeconds: 5 });
    sim.requests.clear();
    const first = a.request({ method: 'GET', url: '/users', query: { limit: 2 } });
    while (sim.requests.api().length === 0) await new Promise((r) => setTimeout(r, 5));
    expect(sim.requests.api().map((r) => r.status)).toEqual([429]);
    // the simulator logs the 429 as it answers; give a's client a moment to read it and record the backoff in Redis
    // (a generous Retry-After keeps this a check of behaviour, not of speed, on a loaded machine)
    await new Promise((r) => setTimeout(r, 300));
    const second = b.request({ method: 'GET', url: '/users', query: { limit: 3 } });
    await new Promise((r) => setTimeout(r, 500));
    // b's request is still held back (a different client, its own limiter, only Redis in common)
    expect(sim.requests.api().map((r) => r.status)).toEqual([429]);
    await Promise.all([first, second]);
    expect(
      sim.requests
        .api()
        .map((r) => [r.query.limit, r.status])
        .sort(),
    ).toEqual([
      ['2', 200],
      ['2', 429],
      ['3', 200],
    ]);
  }, 30_000);

  test('a worker token shared through Redis: one fetch for two clients, stored encrypted, useless under another key', async () => {
    const encryptionKey = randomBytes(32).toString('base64');
    const store = (key: string) => ({ redis: redis.url, shareWorkerToken: { encryptionKey: key } });
    const a = client({ rateLimit: { store: store(encryptionKey) } });
    const b = client({ rateLimit: { store: store(encryptionKey) } });
    await a.request({ method: 'GET', url: '/users', query: { limit: 1 } });
    await b.request({ method: 'GET', url: '/users', query: { limit: 1 } });
    const tokenRequests = () => sim.requests.all().filter((r) => r.kind === 'token').length;
    expect(tokenRequests()).toBe(1);
    expect(sim.requests.api().map((r) => r.status)).toEqual([200, 200]);

    const raw = openRedisConnection(redis.url, { commandTimeoutMs: 500, connectTimeoutMs: 2000, logger: undefined });
    try {
      await raw.ready();
      const keys = (await raw.run('KEYS', '*token*')) as string[];
      expect(keys).toHaveLength(1);
      const stored = String(await raw.run('GET', keys[0]));
      expect(stored.startsWith('v1.')).toBe(true);
      // ciphertext only: no JWT-shaped or JSON text at rest
      expect(stored).not.toMatch(/eyJ|accessToken|value|expiresAt/);
    } finally {
      raw.close();
    }

    const other = client({ rateLimit: { store: store(randomBytes(32).toString('hex')) } });
    await other.request({ method: 'GET', url: '/users', query: { limit: 1 } });
    expect(tokenRequests()).toBe(2);
  }, 20_000);
});

describe('rateLimit.store configuration', () => {
  const base: PingOneClientOptions = {
    environmentId: '5f6c2f7e-9a3b-4c1d-8e2f-0a1b2c3d4e5f',
    clientId: 'id',
    clientSecret: 'secret-value-123',
  };
  const refused = (rateLimit: unknown, extra: Partial<PingOneClientOptions> = {}) => {
    try {
      createPingOneClient({ ...base, ...extra, rateLimit } as PingOneClientOptions);
    } catch (error) {
      expect(error).toBeInstanceOf(PingOneConfigError);
      return (error as Error).message;
    }
    throw new Error('accepted');
  };

  test('mistakes are refused with what to write instead', () => {
    expect(refused({ store: 'redis' })).toMatch(/'rateLimit.store' must be 'memory' or \{ redis: 'redis:\/\/host:6379' \}/);
    expect(refused({ store: { url: 'redis://x' } })).toMatch(/unknown option 'rateLimit.store.url'.*Known options: redis, keyPrefix/);
    expect(refused({ store: { redis: 'http://x:6379' } })).toMatch(/must start with redis:\/\/ or rediss:\/\//);
    expect(refused({ requestsPerSecond: 2, store: { redis: 'redis://x' } })).toMatch(
      /at least 3 requests per second.*Raise it, or keep the in-process limiter/,
    );
    expect(refused({ store: { redis: 'redis://x', shareWorkerToken: { encryptionKey: 'c2hvcnQ=' } } })).toMatch(
      /must be 32 bytes.*got 5 bytes/,
    );
    expect(
      refused(
        { store: { redis: 'redis://x', shareWorkerToken: { encryptionKey: randomBytes(32) } } },
        { clientId: undefined, clientSecret: undefined, accessToken: 'x'.repeat(40) },
      ),
    ).toMatch(/shares a worker app's client-credentials token.*Remove shareWorkerToken/);
  });

  test('the Redis password and the token key never show in the serialized client or config', () => {
    const key = randomBytes(32);
    const created = createPingOneClient({
      ...base,
      rateLimit: {
        store: { redis: 'redis://:hunter2-redis-pass@127.0.0.1:1', connectTimeoutMs: 10, shareWorkerToken: { encryptionKey: key } },
      },
    });
    try {
      const shown = `${JSON.stringify(created)} ${inspect(created, { depth: 10 })}`;
      expect(shown).not.toContain('hunter2-redis-pass');
      expect(shown).not.toContain(key.toString('base64'));
    } finally {
      created.close();
    }
  });
});
