import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { QueryFailedError } from 'typeorm';
import { openRedisConnection, PingOneAuthError, type RedisConnection } from '@typeorm-pingone/client';
import { startSimulator, type RunningSimulator } from '@typeorm-pingone/simulator';
import { PingOneDataSource, PingOneDriverError, User, Group, Population } from '../src';
import { MAX_SEALED_ENTRY_CHARS } from '../src/cache/redis-cache-backend';
import type { PingOneDataSourceOptions } from '../src';
import { describeWithRedis, startRedis, type RunningRedis } from '../../pingone-client/test/helpers/redis-server';

/*
 * The read cache on a Redis that other apps (and attackers) reach: an answer is served only to the identity that
 * fetched it, after this process obtained a token for it; what is stored is neither readable nor forgeable.
 */

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

const hits = (lines: readonly string[]) => lines.filter((l) => l.includes('(cache hit)')).length;

describeWithRedis('read cache on a shared Redis: identity, authenticity, secrecy', () => {
  let sim: RunningSimulator;
  let redis: RunningRedis;
  let raw: RedisConnection | undefined;
  const open: PingOneDataSource[] = [];

  beforeEach(async () => {
    sim = await startSimulator({ seed: 'demo', users: 30 });
    redis = await startRedis();
  });
  afterEach(async () => {
    for (const ds of open.splice(0)) if (ds.isInitialized) await ds.destroy();
    raw?.close();
    raw = undefined;
    await redis.stop();
    await sim.close();
  });

  /** A DataSource on the shared Redis; `key` is its app's cache.store.encryptionKey. */
  async function app(
    credentials: { clientId: string; clientSecret: string },
    key: string,
    lines: string[] = [],
    extra: Partial<PingOneDataSourceOptions> = {},
  ): Promise<PingOneDataSource> {
    const ds = new PingOneDataSource({
      entities: [User, Group, Population],
      pingone: {
        environmentId: sim.environmentId,
        apiUrl: sim.apiUrl,
        authUrl: sim.authUrl,
        ...credentials,
        rateLimit: false,
        retry: { maxAttempts: 1 },
      },
      cache: { ttlMs: 60_000, store: { redis: redis.url, encryptionKey: key } },
      logging: ['info', 'warn'],
      logger: capturingLogger(lines),
      ...extra,
    });
    open.push(ds);
    return ds.initialize();
  }

  /** What someone with access to Redis sees: every key and string value under the prefix. */
  async function redisContents(): Promise<Map<string, string>> {
    raw ??= openRedisConnection(redis.url, { commandTimeoutMs: 500, connectTimeoutMs: 2000, logger: undefined });
    await raw.ready();
    const keys = (await raw.run('KEYS', 'typeorm-pingone:*')) as string[];
    const out = new Map<string, string>();
    for (const key of keys) {
      if ((await raw.run('TYPE', key)) !== 'string') continue;
      out.set(key, String(await raw.run('GET', key)));
    }
    return out;
  }
  const entryKeys = async () => [...(await redisContents()).keys()].filter((k) => /^typeorm-pingone:cache:[\d.]+:/.test(k));

  test('an app whose credentials PingOne refuses gets its AUTH error, never the answers another app cached (even with the same key)', async () => {
    const key = randomBytes(32).toString('base64');
    const aLines: string[] = [];
    const a = await app(sim.credentials, key, aLines);
    const contractors = await a.getRepository(User).findBy({ type: 'Contractor' });
    expect(contractors.length).toBeGreaterThan(0);
    expect(await entryKeys()).toHaveLength(1);

    for (const refused of [
      { clientId: sim.credentials.clientId, clientSecret: 'not-the-secret' },
      { clientId: 'no-such-app', clientSecret: sim.credentials.clientSecret },
    ]) {
      const bLines: string[] = [];
      const b = await app(refused, key, bLines, { lazyConnect: true });
      sim.requests.clear();
      const outcome = await b
        .getRepository(User)
        .findBy({ type: 'Contractor' })
        .then(
          () => 'rows',
          (e: unknown) => e,
        );
      expect(outcome).toBeInstanceOf(QueryFailedError);
      const driverError = (outcome as QueryFailedError & { driverError: PingOneDriverError }).driverError;
      expect(driverError).toBeInstanceOf(PingOneDriverError);
      expect((driverError as { cause?: unknown }).cause).toBeInstanceOf(PingOneAuthError);
      expect(hits(bLines)).toBe(0);
      expect(sim.requests.api()).toHaveLength(0); // it never reached the API either
    }
    // the refused apps stored nothing, and A still reads its own entry
    expect(await entryKeys()).toHaveLength(1);
    await a.getRepository(User).findBy({ type: 'Contractor' });
    expect(hits(aLines)).toBe(1);
  }, 60_000);

  test("apps with different valid credentials on one Redis never see each other's answers; instances of one app share", async () => {
    const key = randomBytes(32).toString('base64');
    const other = sim.oauth.addApplication({ tokenEndpointAuthMethod: 'CLIENT_SECRET_BASIC', grantTypes: ['client_credentials'] });
    const aLines: string[] = [];
    const bLines: string[] = [];
    const a = await app(sim.credentials, key, aLines);
    const b = await app(other, key, bLines);
    await a.getRepository(User).findBy({ type: 'Employee' });
    sim.requests.clear();
    await b.getRepository(User).findBy({ type: 'Employee' });
    expect(hits(bLines)).toBe(0);
    expect(sim.requests.api()).toHaveLength(1); // B asked PingOne itself
    expect(await entryKeys()).toHaveLength(2);
    // a second instance of A (same credentials, same key) shares A's entry
    const a2Lines: string[] = [];
    const a2 = await app(sim.credentials, key, a2Lines);
    sim.requests.clear();
    await a2.getRepository(User).findBy({ type: 'Employee' });
    expect(hits(a2Lines)).toBe(1);
    expect(sim.requests.api()).toHaveLength(0);
  }, 60_000);

  test('Redis holds no directory data in clear: keys are HMACs, values ciphertext', async () => {
    const key = randomBytes(32).toString('base64');
    const a = await app(sim.credentials, key);
    const users = await a.getRepository(User).find();
    await a.getRepository(User).findBy({ type: 'Contractor' });
    await a.getRepository(User).findOneBy({ id: users[0].id });
    const contents = await redisContents();
    const everything = [...contents].flat().join('\n');
    expect(await entryKeys()).toHaveLength(3);
    for (const user of users) {
      expect(everything).not.toContain(user.username);
      expect(everything).not.toContain(user.id);
    }
    expect(everything).not.toContain('Contractor');
    expect(everything).not.toContain(sim.environmentId);
    expect(everything).not.toContain(sim.credentials.clientId);
    // nor does the key show where the DataSource, its driver or its cache is logged
    const keyText = Buffer.from(key, 'base64');
    for (const shown of [
      inspect(a, { depth: 8 }),
      inspect(a.pingoneDriver.responseCache, { depth: 8 }),
      JSON.stringify(a),
      JSON.stringify(a.pingoneDriver.responseCache),
    ]) {
      expect(shown).not.toContain(key);
      expect(shown).not.toContain(keyText.toString('hex'));
      expect(shown).not.toContain([...keyText.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ')); // <Buffer …>
    }
  }, 60_000);

  test('a planted, altered or moved entry is a miss (PingOne is asked), logged once; an entry kept past its ttl is a miss', async () => {
    const key = randomBytes(32).toString('base64');
    const lines: string[] = [];
    const a = await app(sim.credentials, key, lines, { cache: { ttlMs: 60_000, store: { redis: redis.url, encryptionKey: key } } });
    const repo = a.getRepository(User);
    const contractors = await repo.findBy({ type: 'Contractor' });
    const [first] = await entryKeys(); // the Contractor list's entry (the keys are HMACs: only order tells)
    const employees = await repo.findBy({ type: 'Employee' });
    const second = (await entryKeys()).find((k) => k !== first);
    const plain = JSON.stringify({
      pages: [{ items: [{ id: 'evil', username: 'mallory', email: 'mallory@evil.example', type: 'Contractor' }], hasNext: false }],
      complete: true,
    });
    const contents = await redisContents();
    const altered = (value: string) => {
      const parts = value.split('.');
      const body = Buffer.from(parts[3], 'base64url');
      body[0] ^= 1;
      parts[3] = body.toString('base64url');
      return parts.join('.');
    };

    for (const attack of [
      () => raw!.run('SET', first, plain), // planted as plain JSON
      () => raw!.run('SET', first, `c1.${plain}`), // a guess at the format
      () => raw!.run('SET', first, altered(contents.get(first)!)), // one bit of the ciphertext flipped
      () => raw!.run('SET', first, contents.get(second!)!), // another request's genuine entry, moved
    ]) {
      await attack();
      sim.requests.clear();
      const again = await repo.findBy({ type: 'Contractor' });
      expect(again.map((u) => u.username).sort()).toEqual(contractors.map((u) => u.username).sort());
      expect(again.some((u) => u.username === 'mallory')).toBe(false);
      expect(sim.requests.api()).toHaveLength(1);
    }
    expect(lines.filter((l) => /fails its authentication/.test(l))).toHaveLength(1);
    expect(lines.find((l) => /fails its authentication/.test(l))).toMatch(/^warn .*planted or altered.*ACLs/);
    expect(a.pingoneDriver.responseCache!.stats.rejected).toBe(4);

    // untouched entries still serve, and the entry fetched after each attack serves again
    sim.requests.clear();
    expect((await repo.findBy({ type: 'Employee' })).length).toBe(employees.length);
    expect((await repo.findBy({ type: 'Contractor' })).length).toBe(contractors.length);
    expect(sim.requests.api()).toHaveLength(0);
  }, 60_000);

  test('a planted value larger than any entry is refused after reading at most the bound, never whole', async () => {
    const key = randomBytes(32).toString('base64');
    const lines: string[] = [];
    // a command timeout no busy machine reaches: a timed-out read is a miss too, but not the refusal this test shows
    const a = await app(sim.credentials, key, lines, {
      cache: { ttlMs: 60_000, store: { redis: redis.url, encryptionKey: key, commandTimeoutMs: 30_000 } },
    });
    const repo = a.getRepository(User);
    const partners = await repo.findBy({ type: 'Partner' });
    const [entry] = await entryKeys();
    // The genuine entry, then zero bytes up to twice the bound (SETRANGE pads without sending them from here).
    await raw!.run('SETRANGE', entry, 2 * MAX_SEALED_ENTRY_CHARS, 'A');
    const sentByRedis = async () => Number(/total_net_output_bytes:(\d+)/.exec(String(await raw!.run('INFO', 'stats')))![1]);
    const before = await sentByRedis();
    sim.requests.clear();
    expect((await repo.findBy({ type: 'Partner' })).map((u) => u.id).sort()).toEqual(partners.map((u) => u.id).sort());
    expect(sim.requests.api()).toHaveLength(1);
    expect(a.pingoneDriver.responseCache!.stats.rejected).toBe(1);
    expect(lines.filter((l) => /fails its authentication/.test(l))).toHaveLength(1);
    // Redis sent the bound and a little (the lookup's other replies, INFO itself), not the whole 32 MiB value.
    expect((await sentByRedis()) - before).toBeLessThan(MAX_SEALED_ENTRY_CHARS + 1024 * 1024);
  }, 60_000);

  test('an entry whose Redis expiry was lifted (PERSIST) is still a miss after ttlMs', async () => {
    const key = randomBytes(32).toString('base64');
    const a = await app(sim.credentials, key, [], { cache: { ttlMs: 300, store: { redis: redis.url, encryptionKey: key } } });
    await a.getRepository(User).findBy({ type: 'Partner' });
    await redisContents();
    for (const entry of await entryKeys()) await raw!.run('PERSIST', entry);
    await new Promise((r) => setTimeout(r, 400));
    expect(await entryKeys()).toHaveLength(1);
    sim.requests.clear();
    await a.getRepository(User).findBy({ type: 'Partner' });
    expect(sim.requests.api()).toHaveLength(1);
  }, 60_000);
});
