import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { createPingOneClient, openRedisConnection, type PingOneClient, type RedisConnection } from '@typeorm-pingone/client';
import { startSimulator, type RunningSimulator } from '@typeorm-pingone/simulator';
import { openJournalStore, resolveJournalOptions } from '../../src/journal/journal-options';
import type { JournalStore } from '../../src/journal/journal-store';
import { encodeRecord, type JournalRecord } from '../../src/journal/journal-records';
import { findInterruptedTransactions, interruptedWarning, recoverTransactions } from '../../src/journal/transaction-recovery';
import { describeWithRedis, startRedis, type RunningRedis } from '../../../pingone-client/test/helpers/redis-server';

/*
 * The transaction journal on Redis is sealed like the read cache: whoever can reach Redis reads no before-image and
 * can't make a recovery write what they planted. Records are AES-256-GCM under the journal store's encryptionKey,
 * bound to their journal's key: a planted, altered or moved record is ignored, counted and reported, and a rollback
 * of such a journal leaves it in place (what the record announced can't be known).
 */
describeWithRedis('the transaction journal on Redis', () => {
  let redis: RunningRedis;
  let sim: RunningSimulator;
  let raw: RedisConnection;
  let client: PingOneClient;
  const stores: JournalStore[] = [];
  const KEY = randomBytes(32).toString('base64');

  beforeAll(async () => {
    redis = await startRedis();
    sim = await startSimulator({ seed: 'demo', users: 5 });
    client = createPingOneClient({
      environmentId: sim.environmentId,
      apiUrl: sim.apiUrl,
      authUrl: sim.authUrl,
      clientId: sim.credentials.clientId,
      clientSecret: sim.credentials.clientSecret,
      rateLimit: false,
    });
    raw = openRedisConnection(redis.url, { commandTimeoutMs: 2000, connectTimeoutMs: 2000, logger: undefined });
    await raw.ready();
  }, 60_000);
  afterAll(async () => {
    for (const store of stores) store.close();
    raw?.close();
    await sim?.close();
    await redis?.stop();
  });

  const open = (key = KEY, keyPrefix = 'sealing:') => {
    const store = openJournalStore(resolveJournalOptions({ store: { redis: redis.url, keyPrefix, encryptionKey: key } }, undefined), {})!;
    stores.push(store);
    return store;
  };
  /** A journal of a process that is gone (a pid that just exited, on this host), announcing one membership. */
  const deadWriter = (tx: string): JournalRecord[] => {
    const pid = spawnSync('true').pid;
    const env = sim.store.environment(sim.environmentId)!;
    const userId = String([...env.users.values()][0].data.id);
    const groupId = String([...env.groups.values()][0].data.id);
    return [
      { t: 'begin', v: 1, tx, environmentId: sim.environmentId, host: hostname(), pid, startedAt: new Date().toISOString() },
      { t: 'entry', n: 1, entry: { kind: 'membership-add', environmentId: sim.environmentId, userId, groupId, answered: true } },
    ];
  };
  const listKey = (prefix: string, tx: string) => `${prefix}journal:${sim.environmentId}:${tx}`;

  test('an encryptionKey is required, and its absence is explained before any connection', () => {
    expect(() => resolveJournalOptions({ store: { redis: redis.url } }, undefined)).toThrow(
      /encryptionKey' is required: every transaction journal record on Redis is encrypted and authenticated/,
    );
  });

  test('Redis holds ciphertext: no record, id or environment readable', async () => {
    const store = open();
    const records = deadWriter('tx-plain');
    await store.append(sim.environmentId, 'tx-plain', records);
    const stored = (await raw.run('LRANGE', listKey('sealing:', 'tx-plain'), 0, -1)) as string[];
    expect(stored).toHaveLength(2);
    const entry = records[1] as Extract<JournalRecord, { t: 'entry' }>;
    const ids = entry.entry.kind === 'membership-add' ? [entry.entry.userId, entry.entry.groupId] : [];
    // a host name of a few letters ('vm') occurs in random base64url text by chance: only a longer one is telling
    const host = hostname().length >= 6 ? [hostname()] : [];
    for (const value of stored) {
      for (const text of ['begin', 'membership-add', sim.environmentId, ...host, ...ids])
        expect({ value, has: value.includes(text) }).toEqual({ value, has: false });
    }
    expect(await findInterruptedTransactions(store, sim.environmentId)).toEqual([
      expect.objectContaining({ id: 'tx-plain', changes: [expect.stringMatching(/^membership of user .* \(added\)$/)] }),
    ]);
    await store.remove(sim.environmentId, 'tx-plain');
  });

  test('a planted, an altered and a moved record are ignored and reported; rollback leaves such a journal, keep acknowledges it', async () => {
    const store = open();
    await store.append(sim.environmentId, 'tx-a', deadWriter('tx-a'));
    await store.append(sim.environmentId, 'tx-b', deadWriter('tx-b'));
    const [header, sealedEntry] = (await raw.run('LRANGE', listKey('sealing:', 'tx-b'), 0, -1)) as string[];
    const altered = `${sealedEntry.slice(0, -4)}${sealedEntry.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    const planted = encodeRecord({
      t: 'entry',
      n: 7,
      entry: { kind: 'delete', environmentId: sim.environmentId, resource: 'users', id: 'planted', before: {} },
    } as unknown as JournalRecord);
    await raw.run('RPUSH', listKey('sealing:', 'tx-a'), planted, altered, header); // tx-b's header, moved to tx-a
    const [found] = await findInterruptedTransactions(store, sim.environmentId).then((all) => all.filter((t) => t.id === 'tx-a'));
    expect(found).toMatchObject({ rejectedRecords: 3, changes: [expect.stringMatching(/\(added\)$/)] });
    expect(interruptedWarning([found], store.location)).toMatch(
      /3 journal record\(s\) failed authentication: altered or planted where the journal is kept; ignored, so not undone/,
    );

    const requests: string[] = [];
    const [rolledBack] = (await recoverTransactions(store, client, 'rollback', (r) => requests.push(r))).filter((t) => t.id === 'tx-a');
    expect(rolledBack).toMatchObject({
      outcome: 'failed',
      report: expect.arrayContaining([expect.stringMatching(/^3 journal record\(s\) failed authentication .* the journal stays/)]),
    });
    expect(requests.some((r) => r.includes('planted'))).toBe(false); // nothing planted reached PingOne
    expect((await findInterruptedTransactions(store, sim.environmentId)).map((t) => t.id)).toContain('tx-a');
    const kept = await recoverTransactions(store, client, 'keep', () => undefined);
    expect(kept.map((t) => [t.id, t.outcome])).toEqual([['tx-a', 'kept']]); // tx-b was rolled back by the first call
    expect(await findInterruptedTransactions(store, sim.environmentId)).toEqual([]);
  });

  test('a journal written under another key is reported as unreadable and kept, never removed as empty', async () => {
    await open(randomBytes(32).toString('base64'), 'rotated:').append(sim.environmentId, 'tx-old', deadWriter('tx-old'));
    const store = open(KEY, 'rotated:');
    expect(await findInterruptedTransactions(store, sim.environmentId)).toEqual([
      expect.objectContaining({ id: 'tx-old', rejectedRecords: 2, changes: [], host: '(unknown: unreadable journal)' }),
    ]);
    const [result] = await recoverTransactions(store, client, 'rollback', () => undefined);
    expect(result.outcome).toBe('failed');
    expect(await raw.run('LLEN', listKey('rotated:', 'tx-old'))).toBe(2);
  });
});
