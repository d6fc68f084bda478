import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startSimulator, type RunningSimulator } from '@typeorm-pingone/simulator';

/*
 * `pingone-sql --recover`: the transactions a crashed process left (its journal), listed, rolled back or kept, as a
 * user runs it after a crash (the command from the build `pnpm test` makes first).
 */
const cli = resolve(__dirname, '../dist/cli.js');
let sim: RunningSimulator;
let dir: string;
beforeEach(async () => {
  sim = await startSimulator({ seed: 'demo', users: 5 });
  dir = mkdtempSync(join(tmpdir(), 'recover-cli-'));
});
afterEach(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The command, run asynchronously (the simulator answers it from this process). */
function run(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [cli, ...args], { env: { PATH: process.env.PATH ?? '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('exit', (status) => done({ status, stdout, stderr }));
  });
}

const url = () =>
  `pingone://?EnvironmentId=${sim.environmentId}&ApiUrl=${encodeURIComponent(sim.apiUrl)}&AuthUrl=${encodeURIComponent(sim.authUrl)}` +
  `&OAuthClientId=${sim.credentials.clientId}&OAuthClientSecret=${encodeURIComponent(sim.credentials.clientSecret)}`;

test("lists a crashed process's transaction (exit 1), rolls it back with its before-image (exit 0), then finds nothing", async () => {
  const env = sim.store.environment(sim.environmentId)!;
  const group = [...env.groups.values()][0].data;
  const original = group.description;
  env.groups.get(String(group.id))!.data = { ...group, description: 'changed by the crashed transaction' };
  // The journal the crashed process left: its pid is gone; it had updated the group.
  const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
  const journal = join(dir, 'journal');
  mkdirSync(journal, { mode: 0o700 });
  writeFileSync(
    join(journal, `${sim.environmentId}.tx-1.journal`),
    [
      {
        t: 'begin',
        v: 1,
        tx: 'tx-1',
        environmentId: sim.environmentId,
        host: hostname(),
        pid: deadPid,
        startedAt: '2030-01-01T00:00:00.000Z',
      },
      {
        t: 'entry',
        n: 1,
        entry: {
          kind: 'update',
          environmentId: sim.environmentId,
          resource: 'groups',
          id: group.id,
          before: group,
          touched: ['description'],
        },
      },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n'),
    { mode: 0o600 },
  );

  const listed = await run('--recover', '--url', url(), '--journal-dir', journal);
  expect(listed.status).toBe(1);
  expect(listed.stdout).toContain(
    `1 interrupted transaction(s) left changes in PingOne:\ntransaction tx-1 (process ${deadPid} on ${hostname()}, started 2030-01-01T00:00:00.000Z; ended inside the transaction)`,
  );
  expect(listed.stdout).toContain(`groups ${String(group.id)} (updated)`);
  expect(listed.stdout).toContain('pingone-sql --recover rollback');

  const rolledBack = await run('--recover', 'rollback', '--url', url(), '--journal-dir', journal);
  expect(rolledBack.stderr).toBe('');
  expect(rolledBack.status).toBe(0);
  expect(rolledBack.stdout).toContain(
    `transaction tx-1 (process ${deadPid} on ${hostname()}): rolled back\n  groups ${String(group.id)} (updated): undone (restored)`,
  );
  expect(env.groups.get(String(group.id))!.data.description).toBe(original);
  expect(readdirSync(journal)).toEqual([]);

  const again = await run('--recover', '--url', url(), '--journal-dir', journal);
  expect(again).toMatchObject({ status: 0, stdout: 'No interrupted transaction: nothing to recover.\n' });
});

test('wrong use is an error with the fix: an unknown action, no PingOne named', async () => {
  const bad = await run('--recover', 'undo', '--url', url());
  expect(bad.status).toBe(1);
  expect(bad.stderr).toMatch(/--recover takes 'rollback' or 'keep' \(or nothing, to list\); got 'undo'/);
  const nowhere = await run('--recover');
  expect(nowhere.status).toBe(1);
  expect(nowhere.stderr).toMatch(/--recover works on your PingOne environment: give --url pingone:\/\/\?… or set the PINGONE_\* variables/);
});
