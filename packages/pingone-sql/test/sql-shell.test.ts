import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { startSimulator, type RunningSimulator } from '@typeorm-pingone/simulator';
import { complete, SqlShell } from '../src';

let sim: RunningSimulator;
let shell: SqlShell;
let out: string[];
beforeAll(async () => {
  sim = await startSimulator({ seed: 'demo', users: 25 });
  out = [];
  shell = await SqlShell.open(
    {
      environmentId: sim.environmentId,
      apiUrl: sim.apiUrl,
      authUrl: sim.authUrl,
      clientId: sim.credentials.clientId,
      clientSecret: sim.credentials.clientSecret,
    },
    {
      write: (t) => {
        out.push(t);
      },
    },
    { customAttributes: [{ name: 'costCenter', kind: 'string' }] },
  );
});
afterAll(async () => {
  try {
    await shell?.close();
  } finally {
    await sim?.close();
  }
});
beforeEach(() => {
  out.length = 0;
});

test('a statement prints a table with the row count and timing', async () => {
  expect(await shell.run("SELECT username FROM users WHERE type = 'Partner' ORDER BY username;")).toBe('ok');
  const partners = [...sim.store.environment(sim.environmentId)!.users.values()]
    .filter((u) => u.data.type === 'Partner')
    .map((u) => String(u.data.username))
    .sort();
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

test('the interactive loop reads multi-line statements until ; and keeps piped input out of the history file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pingone-sql-'));
  const history = join(dir, 'history');
  await shell.repl(Readable.from(['SELECT COUNT(*) AS n\n', 'FROM users;\n', '\\q\n']), history);
  expect(out.join('')).toMatch(/│ 25 │/);
  expect(out.join('')).not.toContain('pingone=>'); // piped input: no prompts
  expect(existsSync(history)).toBe(false); // only what a person types at a terminal is kept (interactive-tmux.test.ts)
  rmSync(dir, { recursive: true, force: true });
});

test('the pingone-sql command runs one statement against an embedded simulator and exits non-zero on errors', () => {
  const cli = resolve(__dirname, '../dist/cli.js');
  const ok = spawnSync(process.execPath, [cli, '--users', '10', '--json', 'SELECT COUNT(*) AS n FROM users'], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '' },
  });
  expect(ok.status).toBe(0);
  expect(JSON.parse(ok.stdout)).toEqual([{ n: 10 }]);
  // --json types values by their column: booleans as true/false, timestamps as ISO 8601 in UTC
  const typed = spawnSync(
    process.execPath,
    [cli, '--users', '3', '--json', 'SELECT enabled, createdAt, nickname, enabled + 0 AS n FROM users LIMIT 1'],
    { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } },
  );
  expect(JSON.parse(typed.stdout)).toEqual([
    { enabled: true, createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), nickname: null, n: 1 },
  ]);
  const bad = spawnSync(process.execPath, [cli, '--users', '5', '-c', 'SELECT * FROM nowhere'], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '' },
  });
  expect(bad.status).toBe(1);
  expect(bad.stdout).toMatch(/ERROR: no such table: nowhere/);
});

describe('the pingone-sql command with piped input', () => {
  const cli = resolve(__dirname, '../dist/cli.js');
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'pingone-sql-home-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));
  const pipe = (input: string, ...args: string[]) =>
    spawnSync(process.execPath, [cli, '--users', '12', ...args], {
      input,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: home },
    });

  test('exits 1 when any statement fails, after running the others', () => {
    const run = pipe('SELECT * FROM nowhere;\nSELECT COUNT(*) AS n FROM users;\n');
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/ERROR: no such table: nowhere[\s\S]*│ 12 │/);
    expect(pipe('SELECT COUNT(*) AS n FROM users').status).toBe(0); // no final ; : run at the end of input
  });

  test('refuses DELETE without --yes, saying how many rows it would delete; --yes deletes and counts them', () => {
    const refused = pipe("DELETE FROM users WHERE type = 'Employee';\nSELECT COUNT(*) AS n FROM users;\n");
    expect(refused.status).toBe(1);
    const employees = /DELETE will delete (\d+) rows of users, and nobody can confirm it here/.exec(refused.stdout);
    expect(employees).not.toBeNull();
    expect(refused.stdout).toContain('│ 12 │');
    const done = pipe("DELETE FROM users WHERE type = 'Employee';\nSELECT COUNT(*) AS n FROM users;\n", '--yes');
    expect(done.status).toBe(0);
    expect(done.stdout).toContain(`${employees![1]} rows deleted`);
    expect(done.stdout).toContain(`│ ${12 - Number(employees![1])} `);
  });

  test('the count, the question and the run read one parse: comments change neither the rows nor the question', () => {
    // the WHERE after a comment is the WHERE that runs: nothing matches, so nothing is deleted (and nothing asked)
    const none = pipe(
      "DELETE FROM users -- don't\nWHERE nickname = 'nobody';\nDELETE FROM \"users\"WHERE nickname = 'nobody' /* it's */;\nSELECT COUNT(*) AS n FROM users;\n",
    );
    expect(none.status).toBe(0);
    expect(none.stdout.match(/0 rows deleted/g)).toHaveLength(2);
    expect(none.stdout).toContain('│ 12 │');
    // a comment inside the statement does not hide that it deletes
    const hidden = pipe("DELETE /* tidy */ FROM users WHERE type = 'Employee';\nSELECT COUNT(*) AS n FROM users;\n");
    expect(hidden.status).toBe(1);
    expect(hidden.stdout).toMatch(/DELETE will delete \d+ rows? of users, and nobody can confirm it here/);
    expect(hidden.stdout).toContain('│ 12 │');
  });
});

test('a statement that cannot run is refused before any question: parse, names and read-only columns first', async () => {
  for (const sql of [
    "DELETE FROM users u WHERE u.username = 'y'",
    "UPDATE users SET createdAt = '2020-01-01' WHERE type = 'Partner'",
    "UPDATE users SET nosuch = 1 WHERE type = 'Partner'",
  ]) {
    const questions: string[] = [];
    out.length = 0;
    expect(
      await shell.run(sql, async (q) => {
        questions.push(q);
        return true;
      }),
    ).toBe('error');
    expect({ sql, questions, printed: /^ERROR: /.test(out.join('')) }).toEqual({ sql, questions: [], printed: true });
  }
});

test('UPDATE asks with the number of rows it will change; "no" changes nothing, "yes" reports the rows updated', async () => {
  const contractors = [...sim.store.environment(sim.environmentId)!.users.values()].filter((u) => u.data.type === 'Contractor').length;
  const questions: string[] = [];
  const before = sim.requests.api().length;
  expect(
    await shell.run("UPDATE users SET title = 'Temp' WHERE type = 'Contractor'", async (q) => {
      questions.push(q);
      return false;
    }),
  ).toBe('ok');
  expect(questions).toEqual([`UPDATE will change ${contractors} row${contractors === 1 ? '' : 's'} of users. Continue? [y/N] `]);
  expect(out.join('')).toContain('Not run: nothing was changed.');
  // the count is one request (PingOne's count), and nothing was written
  expect(
    sim.requests
      .api()
      .slice(before)
      .map((r) => r.method),
  ).toEqual(['GET']);
  out.length = 0;
  expect(await shell.run("UPDATE users SET title = 'Temp' WHERE type = 'Contractor'", async () => true)).toBe('ok');
  expect(out.join('')).toMatch(new RegExp(`^${contractors} rows? updated \\(\\d+ ms\\)`));
  await shell.run("UPDATE users SET title = NULL WHERE type = 'Contractor'", async () => true);
});

test('custom attributes are columns of users: \\d lists them and queries read them', async () => {
  await shell.run('\\d users');
  expect(out.join('')).toMatch(/costCenter\s*│ costCenter\s*│ string\s*│\s*│ yes/);
  out.length = 0;
  expect(await shell.run('SELECT costCenter, COUNT(*) AS n FROM users GROUP BY costCenter ORDER BY costCenter')).toBe('ok');
  const centers = new Set([...sim.store.environment(sim.environmentId)!.users.values()].map((u) => String(u.data.costCenter)));
  for (const c of centers) expect(out.join('')).toContain(c);
});

test('duplicate result column names are kept apart; \\x shows one block per row; \\timing hides the time', async () => {
  await shell.run(
    "SELECT a.username, b.username FROM users a JOIN users b ON a.id = b.id WHERE a.type = 'Partner' ORDER BY a.username LIMIT 1",
  );
  expect(out.join('')).toMatch(/│ username\s*│ username_1\s*│/);
  out.length = 0;
  await shell.run('\\x');
  await shell.run('\\timing');
  await shell.run("SELECT username, type FROM users WHERE type = 'Partner' ORDER BY username LIMIT 1");
  await shell.run('\\x');
  await shell.run('\\timing');
  expect(out.join('')).toMatch(
    /Expanded display is on\.\nTiming is off\.\n-\[ RECORD 1 \]-*\nusername \| \S+\ntype {5}\| Partner\n\(1 row\)\n/,
  );
});

test('completion offers keywords, tables and the columns of the tables in use', () => {
  const catalog = shell.catalog;
  expect(complete('SELECT costC', '', catalog)).toEqual([['costCenter'], 'costC']);
  expect(complete('SELECT u.nameGi', '', catalog)[0]).toEqual(['u.nameGiven']);
  expect(complete('sel', '', catalog)[0]).toEqual(['select']);
  expect(complete('SELECT * FROM gro', '', catalog)[0]).toEqual(['group_memberships', 'group_nesting', 'groups']);
  expect(complete('WHERE g.na', 'SELECT * FROM groups g', catalog)[0]).toEqual(['g.name']);
  expect(complete('\\ti', '', catalog)[0]).toEqual(['\\timing']);
  // filtered by what is typed, read with the driver's lexer: tables after FROM, the alias's columns after x.
  expect(complete('SELECT * FROM u', '', catalog)).toEqual([['users'], 'u']);
  expect(complete('SELECT * FROM users u, p', '', catalog)[0]).toEqual(['populations']);
  expect(complete('SELECT x.na', '', catalog, ' FROM groups x')[0]).toEqual(['x.name']); // the alias is named after the cursor
  expect(complete('SELECT * FROM users WH', '', catalog)[0]).toEqual(['WHEN', 'WHERE']); // not read as an alias
  expect(complete('SELECT 1; SELECT * FROM groups a WHERE a.n', '', catalog)[0]).toEqual(['a.name']);
  expect(complete('SELECT g."na', '', catalog, ' FROM groups g')[0]).toEqual(['g."name"']);
  expect(complete("SELECT * FROM users WHERE username = 'u", '', catalog)[0]).toEqual([]); // inside a string literal
  expect(complete('SELECT * FROM users -- FROM g', '', catalog)[0]).toEqual([]); // inside a comment
  expect(complete('\\d gr', '', catalog)[0]).toEqual(['group_memberships', 'group_nesting', 'groups']);
  expect(complete('\\con', '', catalog)[0]).toEqual(['\\conninfo']);
});

test('\\dt, \\l and \\conninfo: tables, the environments the credentials reach, and where the shell is connected (no secret)', async () => {
  await shell.run('\\dt');
  expect(out.join('')).toMatch(
    /^List of tables\n[\s\S]*│ users\s*│ \/users\s*│ \d+\s*│[\s\S]*│ group_memberships\s*│ \/users\/\{id\}\/memberOfGroups \(DIRECT\)/,
  );
  out.length = 0;
  await shell.run('\\d users');
  expect(out.join('')).toMatch(/^Table "users" \(PingOne \/users\)\n/);
  expect(out.join('')).toMatch(/│ addressStreetaddress\s*│ address\.streetAddress\s*│ string\s*│/);
  expect(out.join('')).toMatch(/│ accountCanauthenticate\s*│ account\.canAuthenticate\s*│ boolean\s*│ yes\s*│/);
  out.length = 0;
  expect(await shell.run('\\l')).toBe('ok');
  const env = sim.store.environment(sim.environmentId)!;
  expect(out.join('')).toMatch(
    new RegExp(`List of environments[\\s\\S]*│ ${env.name}\\s*│ ${sim.environmentId} │ \\w+\\s*│ \\w+\\s*│ \\*\\s*│`),
  );
  out.length = 0;
  await shell.run('\\conninfo');
  const info = out.join('');
  expect(info).toContain(`You are connected to PingOne, environment "${env.name}" (${sim.environmentId})`);
  expect(info).toContain(`in region NA`);
  expect(info).toContain(
    `API: ${sim.apiUrl} (API host ${new URL(sim.apiUrl).host} (not a PingOne region's host: a simulator or a proxy)).`,
  );
  expect(info).not.toContain(sim.credentials.clientSecret);
  expect(info).not.toContain(sim.credentials.clientId);
  // a worker app without a role that can list environments: the error says what \\l needs
  sim.faults.failNext(1, { method: 'GET', path: /\/environments$/, status: 403 });
  out.length = 0;
  expect(await shell.run('\\l')).toBe('error');
  expect(out.join('')).toMatch(
    /^ERROR: the environments could not be listed \(GET \/environments\): .*403[\s\S]*needs a role that can read environments/,
  );
  expect(shell.banner).toMatch(
    new RegExp(
      `^Connected to PingOne environment "${env.name}" \\(${sim.environmentId}\\), region NA, API host ${new URL(sim.apiUrl).host}`,
    ),
  );
});

test('results as psql prints them: booleans t/f, timestamps in UTC with their zone, NULL distinct (\\pset null), a header for no rows', async () => {
  const user = [...sim.store.environment(sim.environmentId)!.users.values()].find((u) => u.data.nickname === undefined)!;
  const created = new Date(String(user.data.createdAt))
    .toISOString()
    .replace('T', ' ')
    .replace(/\.?0*Z$/, '+00');
  await shell.run(
    `SELECT username, enabled, mfaEnabled, createdAt, nickname, enabled = 1 AS e FROM users WHERE id = '${String(user.data.id)}'`,
  );
  expect(out.join('')).toMatch(
    new RegExp(
      `│ ${String(user.data.username)}\\s*│ ${user.data.enabled ? 't' : 'f'}\\s*│ [tf]\\s*│ ${created.replace(/[.+]/g, '\\$&')}\\s*│ ∅\\s*│ 1 │`,
    ),
  );
  out.length = 0;
  await shell.run("\\pset null '(null)'");
  await shell.run(`SELECT nickname FROM users WHERE id = '${String(user.data.id)}'`);
  await shell.run('\\pset null ∅');
  expect(out.join('')).toMatch(/Null display is "\(null\)"\.[\s\S]*│ \(null\)\s*│/);
  out.length = 0;
  await shell.run("SELECT username, type FROM users WHERE username = 'nobody at all'");
  expect(out.join('')).toMatch(/│ username │ type │\n└─+┴─+┘\n\(0 rows, \d+ ms\)/);
});

test('a directory value cannot drive the terminal: control characters and bidi overrides print as escapes', async () => {
  const user = [...sim.store.environment(sim.environmentId)!.users.values()][3];
  const hostile = '\u001b]52;c;cm0=\u0007\u001b[2J\u202eexe\u009b31m';
  expect(await shell.run(`UPDATE users SET nickname = '${hostile}' WHERE id = '${String(user.data.id)}'`, async () => true)).toBe('ok');
  out.length = 0;
  await shell.run(`SELECT nickname FROM users WHERE id = '${String(user.data.id)}'`);
  await shell.run('\\x on');
  await shell.run(`SELECT nickname FROM users WHERE id = '${String(user.data.id)}'`);
  await shell.run('\\x off');
  const text = out.join('');
  // eslint-disable-next-line no-control-regex -- the terminal controls the nickname carries are what must not reach the output
  expect(text).not.toMatch(/[\u001b\u0007\u009b\u202e]/);
  expect(text.match(/\\u001b\]52;c;cm0=\\u0007\\u001b\[2J\\u202eexe\\u009b31m/g)).toHaveLength(2); // the table's cell and the expanded line
  await shell.run(`UPDATE users SET nickname = NULL WHERE id = '${String(user.data.id)}'`, async () => true);
});

test('without --custom-attributes the shell reads the user schema: every custom attribute is a column', async () => {
  const own: string[] = [];
  const discovered = await SqlShell.open(
    {
      environmentId: sim.environmentId,
      apiUrl: sim.apiUrl,
      authUrl: sim.authUrl,
      clientId: sim.credentials.clientId,
      clientSecret: sim.credentials.clientSecret,
    },
    {
      write: (t) => {
        own.push(t);
      },
    },
    { simulator: true },
  );
  try {
    // a simulator this process started says so, first thing
    expect(discovered.banner).toMatch(
      /^Connected to an embedded PingOne simulator with demo data \(nothing leaves this machine\): environment "[^"]+" \([0-9a-f-]{36}\), region NA, API host 127\.0\.0\.1:\d+\./,
    );
    await discovered.run('\\conninfo');
    expect(own.join('')).toMatch(/^You are connected to an embedded PingOne simulator \(started by this shell, demo data\)/);
    own.length = 0;
    await discovered.run('\\d users');
    expect(own.join('')).toMatch(/costCenter[\s\S]*locales|locales[\s\S]*costCenter/);
    own.length = 0;
    const costCenters = new Set([...sim.store.environment(sim.environmentId)!.users.values()].map((u) => String(u.data.costCenter)));
    expect(await discovered.run('SELECT DISTINCT costCenter FROM users ORDER BY costCenter;')).toBe('ok');
    for (const c of costCenters) expect(own.join('')).toContain(c);
  } finally {
    await discovered.close();
  }
});
