import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type QueryFailedError } from 'typeorm';
import { startDriver, type DriverHarness } from './helpers/driver-harness';
import { PingOneDataSource, type PingOneDriverError, Group, Population, User } from '../src';

/*
 * The durable transaction journal: where it lives and what it holds while a transaction is open, that it goes at
 * COMMIT and ROLLBACK, what it refuses, and how journals of other processes are judged (pid, lease, torn records).
 */
let h: DriverHarness | undefined;
let dir: string;
const opened: PingOneDataSource[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'journal-test-'));
});
afterEach(async () => {
  for (const ds of opened.splice(0)) if (ds.isInitialized) await ds.destroy();
  await h?.close();
  h = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const journalDir = () => join(dir, 'journal');
const files = () => readdirSync(journalDir());
const driverError = (error: unknown): PingOneDriverError => ((error as QueryFailedError).driverError ?? error) as PingOneDriverError;

async function another(transactionJournal: unknown): Promise<PingOneDataSource> {
  const ds = new PingOneDataSource({
    entities: [User, Group, Population],
    transactionJournal: transactionJournal as never,
    logging: false,
    pingone: {
      environmentId: h!.sim.environmentId,
      apiUrl: h!.sim.apiUrl,
      authUrl: h!.sim.authUrl,
      clientId: h!.sim.credentials.clientId,
      clientSecret: h!.sim.credentials.clientSecret,
      rateLimit: false,
    },
  });
  opened.push(ds);
  const warnings = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
  try {
    await ds.initialize();
  } finally {
    warnings.mockRestore();
  }
  return ds;
}

/** A journal file as another process would have left it. */
function leaveJournal(header: Record<string, unknown>, lines: string[], ageMs = 0): string {
  mkdirSync(journalDir(), { recursive: true, mode: 0o700 });
  const path = join(journalDir(), `${h!.sim.environmentId}.${String(header.tx)}.journal`);
  writeFileSync(
    path,
    [
      JSON.stringify({ t: 'begin', v: 1, environmentId: h!.sim.environmentId, startedAt: new Date().toISOString(), ...header }),
      ...lines,
    ].join('\n'),
    { mode: 0o600 },
  );
  if (ageMs > 0) utimesSync(path, new Date(Date.now() - ageMs), new Date(Date.now() - ageMs));
  return path;
}

const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid;

test('while a transaction is open: one 0600 file in a 0700 directory, with the before-image, never the password; gone at COMMIT and at ROLLBACK', async () => {
  h = await startDriver({ seed: 'demo', users: 5 }, { transactionJournal: { dir: journalDir() } });
  const victim = [...h.sim.store.environment(h.sim.environmentId)!.users.values()][0].data;
  for (const end of ['commit', 'rollback'] as const) {
    const runner = h.ds.createQueryRunner();
    try {
      await runner.startTransaction();
      expect(readdirSync(journalDir(), { withFileTypes: true }).filter((f) => f.isFile())).toHaveLength(0); // nothing before the first write
      await runner.manager.save(User, { username: `journaled.${end}`, email: 'j@example.com', password: 'Secr3t-Passw0rd!' });
      await runner.manager.update(User, String(victim.id), { title: `title before ${end}` });
      expect(files()).toHaveLength(1);
      expect(statSync(journalDir()).mode & 0o777).toBe(0o700);
      const path = join(journalDir(), files()[0]);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      const text = readFileSync(path, 'utf8');
      expect(text).not.toContain('Secr3t-Passw0rd!');
      expect(text).not.toContain(h.sim.credentials.clientSecret);
      const records = text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, any>);
      expect(records.map((r) => r.t)).toEqual(['begin', 'entry', 'answered', 'entry']);
      expect(records[0]).toMatchObject({ host: hostname(), pid: process.pid, environmentId: h.sim.environmentId });
      expect(records.at(-1)!.entry).toMatchObject({
        kind: 'update',
        id: victim.id,
        before: { username: victim.username },
        touched: ['title'],
      });
      await (end === 'commit' ? runner.commitTransaction() : runner.rollbackTransaction());
      expect(files()).toEqual([]);
    } finally {
      await runner.release();
    }
  }
});

test('a journal directory another user could open is refused, and the write is not sent', async () => {
  h = await startDriver({ seed: 'demo', users: 5 }, { transactionJournal: { dir: journalDir() } });
  mkdirSync(journalDir(), { recursive: true });
  chmodSync(journalDir(), 0o777);
  h.reset();
  const error = driverError(
    await h.ds
      .getRepository(User)
      .save({ username: 'not.sent', email: 'n@example.com' })
      .catch((e: unknown) => e),
  );
  expect(error.code).toBe('UNSUPPORTED_OPTION');
  expect(error.message).toMatch(
    /^The transaction journal directory .* is not a directory that only this user \(uid \d+\) can open \(owner uid \d+, mode 777\)/,
  );
  expect(h.requests().filter((r) => !r.startsWith('GET'))).toEqual([]);
});

test('transactionJournal: false journals nothing, and recovery says why it has nothing to do', async () => {
  h = await startDriver({ seed: 'demo', users: 5 }, { transactionJournal: false });
  await h.ds.getRepository(User).save({ username: 'unjournaled', email: 'u@example.com' });
  await expect(h.ds.recoverTransactions({ action: 'rollback' })).rejects.toThrow(
    /this DataSource keeps no transaction journal \(transactionJournal: false\)/,
  );
  await expect(h.ds.interruptedTransactions()).rejects.toThrow(/no transaction journal/);
});

test.each([
  [{ dir: 3 }, /'dir' must be a directory path/],
  [{ dir: '/x', store: { redis: 'redis://h:1' } }, /give either 'dir' \(files\) or 'store' \(Redis\), not both/],
  [{ folder: '/x' }, /unknown key\(s\) 'folder'/],
  [{ store: { redis: 'http://x' } }, /'transactionJournal\.store\.redis' must start with redis:\/\//],
  ['files', /it must be false, \{ dir: '\/path' \} or \{ store: \{ redis: 'redis:\/\/host:6379', encryptionKey \} \}; got string/],
  [
    { store: { redis: 'redis://h:1' } },
    /'transactionJournal\.store\.encryptionKey' is required: every transaction journal record on Redis is encrypted/,
  ],
])('option %j is refused with its fix', async (option, message) => {
  expect(
    () =>
      new PingOneDataSource({
        entities: [User],
        pingone: 'pingone://?environmentId=5f6c2f7e-9a3b-4c1d-8e2f-0a1b2c3d4e5f&region=EU&clientId=x&clientSecret=y',
        transactionJournal: option as never,
      }),
  ).toThrow(message);
});

describe('journals of other processes', () => {
  test('a dead pid on this host: reported; a live one (this process, its transaction open): not', async () => {
    h = await startDriver({ seed: 'demo', users: 5 });
    leaveJournal({ tx: 'dead-one', host: hostname(), pid: deadPid() }, [
      JSON.stringify({ t: 'entry', n: 1, entry: { kind: 'delete', environmentId: h.sim.environmentId, resource: 'users', id: 'x' } }),
    ]);
    leaveJournal({ tx: 'live-one', host: hostname(), pid: process.pid }, []);
    const ds = await another({ dir: journalDir() });
    expect((await ds.interruptedTransactions()).map((t) => [t.id, t.state, t.changes])).toEqual([
      ['dead-one', 'open', ['users x (delete at COMMIT)']],
    ]);
  });

  test("another host: judged by its lease (the file's last write): fresh is alive, 31 s old is dead", async () => {
    h = await startDriver({ seed: 'demo', users: 5 });
    leaveJournal({ tx: 'fresh', host: 'elsewhere.example', pid: 1 }, []);
    leaveJournal({ tx: 'stale', host: 'elsewhere.example', pid: 1 }, [], 31_000);
    const ds = await another({ dir: journalDir() });
    expect((await ds.interruptedTransactions()).map((t) => t.id)).toEqual(['stale']);
  });

  test('a record torn by the crash is dropped (its request was never sent); a journal with no header at all is removed', async () => {
    h = await startDriver({ seed: 'demo', users: 5 });
    const env = h.sim.environmentId;
    leaveJournal({ tx: 'torn', host: hostname(), pid: deadPid() }, [
      JSON.stringify({ t: 'entry', n: 1, entry: { kind: 'membership-remove', environmentId: env, userId: 'u', groupId: 'g' } }),
      '{"t":"entry","n":2,"entry":{"kind":"dele',
    ]);
    writeFileSync(join(journalDir(), `${env}.headless.journal`), '{"t":"ent', { mode: 0o600 });
    const ds = await another({ dir: journalDir() });
    expect((await ds.interruptedTransactions()).map((t) => t.changes)).toEqual([['membership of user u in group g (removed at COMMIT)']]);
    expect(files()).not.toContain(`${env}.headless.journal`);
    const [recovered] = await ds.recoverTransactions({ action: 'rollback' });
    expect(recovered).toMatchObject({
      id: 'torn',
      outcome: 'rolled back',
      report: ['membership of user u in group g (removed at COMMIT): not applied'],
    });
  });
});

test('a COMMIT whose deferred delete fails: the error says the journal stays, and recovery completes the COMMIT', async () => {
  h = await startDriver({ seed: 'demo', users: 5 }, { transactionJournal: { dir: journalDir() } });
  const victim = String([...h.sim.store.environment(h.sim.environmentId)!.users.values()][1].data.id);
  h.sim.faults.failNext(5, { status: 503, method: 'DELETE', path: '/users' });
  const error = driverError(await h.ds.transaction((m) => m.delete(User, victim)).catch((e: unknown) => e));
  expect(error.message).toMatch(/^COMMIT: the transaction's creates and updates are applied, but 1 deferred delete\(s\) failed:\n/);
  expect(error.message).toContain(`Its journal stays in ${journalDir()}: dataSource.recoverTransactions({ action: 'rollback' })`);
  expect(h.sim.store.environment(h.sim.environmentId)!.users.has(victim)).toBe(true);
  expect((await h.ds.interruptedTransactions()).map((t) => t.state)).toEqual(['abandoned']);
  const [recovered] = await h.ds.recoverTransactions({ action: 'rollback' });
  expect(recovered).toMatchObject({
    outcome: 'completed',
    report: [`users ${victim} (delete at COMMIT): applied now (its COMMIT had begun)`],
  });
  expect(h.sim.store.environment(h.sim.environmentId)!.users.has(victim)).toBe(false);
});

test('an unusable default place (say, a read-only temp directory) warns and goes on unjournaled; a chosen one fails writes instead', async () => {
  const blocker = join(dir, 'a-file');
  writeFileSync(blocker, '');
  const previous = process.env.TYPEORM_PINGONE_JOURNAL_DIR;
  process.env.TYPEORM_PINGONE_JOURNAL_DIR = join(blocker, 'journal'); // a directory can't be made under a file
  const warnings = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
  try {
    h = await startDriver({ seed: 'demo', users: 5 });
    expect(warnings).toHaveBeenCalledWith(
      expect.stringMatching(
        /^The default transaction journal .*a-file\/journal can't be used \(ENOTDIR[^]*transactions are not crash-durable in this process[^]*transactionJournal: \{ dir: '\/a\/writable\/dir' \}/,
      ),
      { code: 'PINGONE_TRANSACTION_JOURNAL_UNAVAILABLE' },
    );
    await h.ds.getRepository(User).save({ username: 'still.saved', email: 's@example.com' });
    const chosen = await another({ dir: join(blocker, 'journal') });
    const error = driverError(
      await chosen
        .getRepository(User)
        .save({ username: 'not.saved', email: 'n@example.com' })
        .catch((e: unknown) => e),
    );
    expect(error.message).toMatch(/ENOTDIR/);
    expect([...h.sim.store.environment(h.sim.environmentId)!.users.values()].map((u) => u.data.username)).not.toContain('not.saved');
  } finally {
    warnings.mockRestore();
    if (previous === undefined) delete process.env.TYPEORM_PINGONE_JOURNAL_DIR;
    else process.env.TYPEORM_PINGONE_JOURNAL_DIR = previous;
  }
});
