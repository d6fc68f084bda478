import { openRedisConnection, type RedisConnection } from '../src';
import { describeWithRedis, startRedis, type RunningRedis } from './helpers/redis-server';

/*
 * A Redis command that times out (a server busy with a large value, paused, or slow) marks Redis away, so nothing
 * waits on it. The connection itself stays open, so no reconnect will announce Redis is back: the connection must
 * find out by itself, or the shared rate limit, token and read cache stay off for the rest of the process.
 */
describeWithRedis('Redis connection after a command timed out', () => {
  let redis: RunningRedis;
  const opened: RedisConnection[] = [];

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterEach(() => {
    for (const connection of opened.splice(0)) connection.close();
  });
  afterAll(async () => {
    await redis.stop();
  });

  const open = (commandTimeoutMs: number, lines: string[]) => {
    const logger = { warn: (m: string) => lines.push(`warn ${m}`), info: (m: string) => lines.push(`info ${m}`) };
    // a database of its own: connections are shared per URL, and each needs its own timeout
    const connection = openRedisConnection(`${redis.url}/${opened.length}`, { commandTimeoutMs, connectTimeoutMs: 2000, logger });
    opened.push(connection);
    return connection;
  };

  test('is marked away, then back in use once Redis answers, without a reconnect', async () => {
    const lines: string[] = [];
    const connection = open(100, lines);
    const other = open(2000, []);
    expect(await connection.ready()).toBe(true);
    expect(await other.ready()).toBe(true);
    await connection.run('SET', 'k', 'v');

    await other.run('CLIENT', 'PAUSE', 600, 'ALL'); // every client's commands wait 600 ms: this one's time out
    await expect(connection.run('GET', 'k')).rejects.toThrow(/timed out/i);
    expect(connection.available).toBe(false);
    expect(lines.filter((l) => l.startsWith('warn'))).toHaveLength(1);

    // the pause ends; within a few probes the connection is in use again and says so once
    for (let waited = 0; !connection.available && waited < 10_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
    expect(connection.available).toBe(true);
    expect(await connection.run('GET', 'k')).toBe('v');
    expect(lines.filter((l) => /reachable again/.test(l))).toHaveLength(1);
  }, 20_000);

  test('a closed connection probes no more', async () => {
    const connection = open(100, []);
    const other = open(2000, []);
    expect(await connection.ready()).toBe(true);
    expect(await other.ready()).toBe(true);
    await other.run('CLIENT', 'PAUSE', 400, 'ALL');
    await expect(connection.run('PING')).rejects.toThrow(/timed out/i);
    connection.close();
    opened.splice(opened.indexOf(connection), 1);
    const pings = async () => Number(/cmdstat_ping:calls=(\d+)/.exec(String(await other.run('INFO', 'commandstats')))?.[1] ?? 0);
    const before = await pings();
    await new Promise((r) => setTimeout(r, 2500)); // past the pause and two probe intervals
    expect(await pings()).toBe(before);
  }, 20_000);
});
