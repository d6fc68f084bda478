import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator } from '@typeorm-pingone/simulator';
import { Group, PingOneDataSource, Population, User } from '../../src';
import type { CrashScenario } from '../fixtures/crash-transaction';
import { LossyProxy } from '../helpers/lossy-proxy';
import { describeWithRedis, startRedis, type RunningRedis } from '../../../pingone-client/test/helpers/redis-server';

/*
 * Crash-durable transactions, with real child processes killed by SIGKILL at every step of a 6-write transaction
 * (test/fixtures/crash-transaction.ts): when each write reaches PingOne's door (not yet applied) and when PingOne has
 * applied it but its answer has not arrived. Then a fresh DataSource on the same journal: initialize() reports the
 * interrupted transaction (none goes unreported), and recoverTransactions({ action: 'rollback' }) restores the
 * directory to its before-image (a full dump, compared), or, for a kill during COMMIT, completes it.
 */
jest.setTimeout(180_000);

const WRITES = [
  'POST /users',
  'PATCH /users/A',
  'POST /users/A/memberOfGroups',
  'PUT /users/D/enabled',
  'DELETE /users/B/memberOfGroups/G2',
  'DELETE /users/C',
];
const COMMIT_WRITES = 4; // the last two run at COMMIT (deferred deletes)
const JOURNAL_KEY = '5e'.repeat(32); // the journal's records on Redis are sealed with it

let sim: RunningSimulator;
let proxy: LossyProxy;
let dir: string;
let child: ChildProcess | undefined;
const opened: PingOneDataSource[] = [];

beforeEach(async () => {
  sim = await startSimulator({ seed: 'demo', users: 12 });
  proxy = await LossyProxy.start(sim);
  dir = mkdtempSync(join(tmpdir(), 'crash-journal-'));
});
afterEach(async () => {
  child?.kill('SIGKILL');
  child = undefined;
  for (const ds of opened.splice(0)) if (ds.isInitialized) await ds.destroy();
  await proxy.close();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

const env = () => sim.store.environment(sim.environmentId)!;
const credentials = () => ({
  environmentId: sim.environmentId,
  authUrl: sim.authUrl,
  clientId: sim.credentials.clientId,
  clientSecret: sim.credentials.clientSecret,
  rateLimit: false as const,
  retry: { baseDelayMs: 5, maxDelayMs: 20 },
});

/** The whole directory: every user (with its direct groups), group and population, without what PingOne restamps. */
function dump(): Record<string, unknown> {
  const strip = ({ updatedAt: _u, ...rest }: Record<string, unknown>): Record<string, unknown> => rest;
  const users: Record<string, unknown>[] = [...env().users.values()].map((u) => ({
    ...strip(u.data),
    groups: [...env().memberships.directGroups(String(u.data.id))].sort(),
  }));
  return {
    users: users.sort((x, y) => String(x.username).localeCompare(String(y.username))),
    groups: [...env().groups.values()].map((g) => strip(g.data)).sort((x, y) => String(x.id).localeCompare(String(y.id))),
    populations: [...env().populations.values()].map((p) => strip(p.data)).sort((x, y) => String(x.id).localeCompare(String(y.id))),
  };
}

/** Users A–D and groups G1, G2 for the transaction; environment-level groups, so any user may join them. */
function scenario(): Omit<CrashScenario, 'pingone' | 'transactionJournal'> {
  const groups = [...env().groups.values()].map((g) => g.data).filter((g) => g.population === undefined);
  const users = [...env().users.values()].map((u) => String(u.data.id));
  const [a, b, c, d] = users;
  const g1 = String(groups.find((g) => !env().memberships.directGroups(a).includes(String(g.id)))!.id);
  const g2 = String(groups.find((g) => String(g.id) !== g1)!.id);
  if (!env().memberships.directGroups(b).includes(g2)) env().memberships.add(b, g2);
  env().putUser({ ...(env().users.get(d)!.data as Record<string, unknown> & { id: string }), enabled: false });
  return { a: a, g1, b: b, g2, c: c, d: d };
}

/** The directory after the transaction committed, from its before-image. */
function committed(before: Record<string, any>, s: ReturnType<typeof scenario>): Record<string, unknown> {
  const after = structuredClone(before);
  after.users = after.users
    .filter((u: any) => u.id !== s.c)
    .map((u: any) => {
      if (u.id === s.a) return { ...u, title: 'changed in the transaction', groups: [...u.groups, s.g1].sort() };
      if (u.id === s.b) return { ...u, groups: u.groups.filter((g: string) => g !== s.g2) };
      if (u.id === s.d) return { ...u, enabled: true };
      return u;
    });
  return after;
}

/** Runs the transaction in a child killed at the `write`-th write, before it is applied or after (its answer lost). */
async function runAndKill(
  s: ReturnType<typeof scenario>,
  write: number,
  phase: 'before' | 'after',
  journal: Record<string, unknown>,
): Promise<void> {
  let writes = 0;
  let killed = false;
  const kill = async () => {
    killed = true;
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child!.kill('SIGKILL');
    await exited;
  };
  proxy.beforeForward = async (exchange) => {
    if (killed) return 'drop';
    if (exchange.method === 'GET') return 'forward';
    if (++writes === write + 1 && phase === 'before') {
      await kill();
      return 'drop';
    }
    return 'forward';
  };
  proxy.beforeAnswer = async (exchange) => {
    if (exchange.method !== 'GET' && writes === write + 1 && phase === 'after' && !killed) {
      await kill();
      return 'drop';
    }
    return 'send';
  };
  const options: CrashScenario = { ...s, pingone: { ...credentials(), apiUrl: proxy.apiUrl }, transactionJournal: journal };
  child = fork(`${__dirname}/../fixtures/crash-transaction.ts`, [], {
    execArgv: ['-r', 'ts-node/register'],
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: '1', TS_NODE_SWC: '1', CRASH_SCENARIO: JSON.stringify(options) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const messages: unknown[] = [];
  child.on('message', (m) => messages.push(m));
  await new Promise((resolve) => child!.once('exit', resolve));
  expect(killed).toBe(true);
  expect(messages).toEqual(['ready']); // it never got to commit (or to report an error)
}

/** A fresh app instance on the same journal (straight to PingOne), with its warnings captured. */
async function restart(journal: Record<string, unknown>): Promise<{ ds: PingOneDataSource; warnings: string[] }> {
  const warnings: string[] = [];
  const ds = new PingOneDataSource({
    entities: [User, Group, Population],
    pingone: { ...credentials(), apiUrl: sim.apiUrl },
    transactionJournal: journal,
    logging: ['warn'],
    logger: {
      logQuery() {},
      logQueryError() {},
      logQuerySlow() {},
      logSchemaBuild() {},
      logMigration() {},
      log(level, message) {
        if (level === 'warn') warnings.push(String(message));
      },
    },
  });
  opened.push(ds);
  const emitted = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
  try {
    await ds.initialize();
  } finally {
    emitted.mockRestore();
  }
  return { ds, warnings };
}

describe.each(WRITES.map((w, i) => [w, i] as const))('killed at write %s', (name, write) => {
  test.each(['before', 'after'] as const)(
    '%s PingOne applied it: reported at initialize(), rollback restores the before-image (or completes a begun COMMIT)',
    async (phase) => {
      const s = scenario();
      const before = dump();
      const journal = { dir: join(dir, 'journal') };
      await runAndKill(s, write, phase, journal);

      // The journal: 0600 in a 0700 directory, no password, no secret.
      const files = readdirSync(journal.dir);
      expect(files).toHaveLength(1);
      expect(statSync(journal.dir).mode & 0o777).toBe(0o700);
      expect(statSync(join(journal.dir, files[0])).mode & 0o777).toBe(0o600);
      const text = readFileSync(join(journal.dir, files[0]), 'utf8');
      expect(text).not.toContain('Never-in-the-journal-1');
      expect(text).not.toContain(sim.credentials.clientSecret);

      const { ds, warnings } = await restart(journal);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/^1 PingOne transaction\(s\) ended without COMMIT or a complete ROLLBACK/);
      const interrupted = await ds.interruptedTransactions();
      expect(interrupted).toHaveLength(1);
      expect(interrupted[0].state).toBe(write >= COMMIT_WRITES ? 'committing' : 'open');

      const [recovered] = await ds.recoverTransactions({ action: 'rollback' });
      if (write >= COMMIT_WRITES) {
        expect(recovered.outcome).toBe('completed');
        const after = dump() as { users: Record<string, unknown>[] };
        const made = after.users.find((u) => u.username === 'crash.new')!;
        expect(made).toMatchObject({ email: 'crash.new@example.com' });
        expect({ ...after, users: after.users.filter((u) => u !== made) }).toEqual(committed(before, s));
      } else {
        expect(recovered.outcome).toBe('rolled back');
        expect(dump()).toEqual(before);
      }
      console.log(`killed ${phase} ${name}: ${recovered.outcome}\n  ${recovered.report.join('\n  ')}`);
      expect(await ds.interruptedTransactions()).toEqual([]);
      expect(readdirSync(journal.dir)).toEqual([]);
      // and a later start finds nothing left to report
      expect((await restart(journal)).warnings).toEqual([]);
    },
  );
});

test('keep: acknowledged, PingOne left as the crash left it, the journal gone', async () => {
  const s = scenario();
  const journal = { dir: join(dir, 'journal') };
  await runAndKill(s, 2, 'after', journal);
  const crashed = dump();
  const { ds } = await restart(journal);
  const [kept] = await ds.recoverTransactions({ action: 'keep' });
  expect(kept.outcome).toBe('kept');
  expect(kept.report).toEqual([
    `membership of user ${s.a} in group ${s.g1} (POST answer lost, may have been added): kept`,
    `users ${s.a} (updated): kept`,
    expect.stringMatching(/^users [0-9a-f-]{36} \(created\): kept$/),
  ]);
  expect(dump()).toEqual(crashed);
  expect(readdirSync(journal.dir)).toEqual([]);
});

describeWithRedis('with the journal in Redis', () => {
  let redis: RunningRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis.stop());

  test.each([
    [2, 'after'],
    [4, 'after'],
  ] as const)('killed at write %i, %s: reported, and rolled back (or its COMMIT completed) from Redis', async (write, phase) => {
    const s = scenario();
    const before = dump();
    const journal = { store: { redis: redis.url, keyPrefix: `crash-${write}:`, encryptionKey: JOURNAL_KEY } };
    await runAndKill(s, write, phase, journal);
    const { ds, warnings } = await restart(journal);
    expect(warnings).toEqual([
      expect.stringMatching(
        /^1 PingOne transaction\(s\) ended without COMMIT or a complete ROLLBACK[^]*their journals are in redis:\/\/127\.0\.0\.1:\d+ \(keys crash-\d:journal:\*\)/,
      ),
    ]);
    const [recovered] = await ds.recoverTransactions({ action: 'rollback' });
    if (write >= COMMIT_WRITES) expect(recovered.outcome).toBe('completed');
    else {
      expect(recovered.outcome).toBe('rolled back');
      expect(dump()).toEqual(before);
    }
    expect(await ds.interruptedTransactions()).toEqual([]);
  });
});
