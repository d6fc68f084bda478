import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { startSimulator, type RunningSimulator } from '@typeorm-pingone/simulator';
import { SqlShell } from '../src';

let sim: RunningSimulator;
let shell: SqlShell;
let out: string[];
beforeAll(async () => {
  sim = await startSimulator({ seed: 'demo', users: 25 });
  out = [];
  shell = await SqlShell.open(
    { environmentId: sim.environmentId, apiUrl: sim.apiUrl, authUrl: sim.authUrl, clientId: sim.credentials.clientId, clientSecret: sim.credentials.clientSecret },
    { write: (t) => { out.push(t); } },
  );
});
afterAll(async () => {
  try {
    await shell?.close();
  } finally {
    await sim?.close();
  }
});
beforeEach(() => { out.length = 0; });

test('a statement prints a table with the row count and timing', async () => {
  expect(await shell.run("SELECT username FROM users WHERE type = 'Partner' ORDER BY username;")).toBe('ok');
  const partners = [...sim.store.environment(sim.environmentId)!.users.values()].filter((u) => u.data.type === 'Partner').map((u) => String(u.data.username)).sort();
  const text = out.join('');
  for (const name of partners) expect(text).toContain(name);
  expect(text).toMatch(new RegExp(`\\(${partners.length} rows?, \\d+ ms\\)`));
});

test('EXPLAIN shows what is pushed to PingOne', async () => {
  await shell.run("EXPLAIN SELECT * FROM users WHERE type = 'Contractor'");
  expect(out.join('')).toContain('type eq "Contractor"');
});

test('\\d lists tables and columns with their PingOne attributes; errors are printed, not thrown', async () => {
  await shell.run('\\d');
  await shell.run('\\d users');
  expect(out.join('')).toMatch(/group_memberships[\s\S]*nameGiven[\s\S]*name\.given/);
  out.length = 0;
  expect(await shell.run('SELECT * FROM applications')).toBe('error');
  expect(out.join('')).toMatch(/^ERROR: no such table: applications/);
});

test('the interactive loop reads multi-line statements until ; and keeps a history file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pingone-sql-'));
  const history = join(dir, 'history');
  await shell.repl(Readable.from(['SELECT COUNT(*) AS n\n', 'FROM users;\n', '\\q\n']), history);
  expect(out.join('')).toMatch(/│ 25 │/);
  expect(readFileSync(history, 'utf8')).toContain('SELECT COUNT(*) AS n FROM users;');
  expect(statSync(history).mode & 0o777).toBe(0o600);
  rmSync(dir, { recursive: true, force: true });
});

test('the pingone-sql command runs one statement against an embedded simulator and exits non-zero on errors', () => {
  const cli = resolve(__dirname, '../dist/cli.js');
  const ok = spawnSync(process.execPath, [cli, '--users', '10', '--json', 'SELECT COUNT(*) AS n FROM users'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  expect(ok.status).toBe(0);
  expect(JSON.parse(ok.stdout)).toEqual([{ n: 10 }]);
  const bad = spawnSync(process.execPath, [cli, '--users', '5', 'SELECT * FROM nowhere'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  expect(bad.status).toBe(1);
  expect(bad.stdout).toMatch(/ERROR: no such table: nowhere/);
});
