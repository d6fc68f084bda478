import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startSimulator, type RunningSimulator } from '@typeorm-pingone/simulator';

/*
 * Types into the real built binary (dist/cli.js) in a tmux pane and reads the screen with capture-pane, as a person
 * at a terminal would see it. Each test has its own tmux server (-L socket), killed in afterEach.
 */
const hasTmux = spawnSync('tmux', ['-V'], { encoding: 'utf8' }).status === 0;
if (!hasTmux) console.log('SKIPPED: tmux not installed (the interactive tests of pingone-sql need it; .ci/run installs it)');
const describeWithTmux = hasTmux ? describe : describe.skip;

const cli = resolve(__dirname, '../dist/cli.js');
let sim: RunningSimulator;
let home: string;
let socket: string;

const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', 'sql').stdout;
// tmux reads an argument ending in ';' as a command separator: '\;' is the literal character.
const type = (text: string) => tmux('send-keys', '-t', 'sql', '-l', text.replace(/;$/, '\\;'));
const press = (...keys: string[]) => tmux('send-keys', '-t', 'sql', ...keys);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls the screen until `pattern` shows. A wait that never succeeds ends with jest's test timeout; afterEach then
 * kills the tmux server, and this loop stops with the last screen instead of polling a dead pane.
 */
async function waitFor(pattern: RegExp): Promise<string> {
  let text = '';
  await until(
    () => pattern.test((text = screen())),
    `the screen to show ${pattern}`,
    () => text,
  );
  return text;
}

async function until(condition: () => boolean, what: string, lastScreen = screen): Promise<void> {
  while (!condition()) {
    if (tmux('has-session', '-t', 'sql').status !== 0)
      throw new Error(`the shell ended while waiting for ${what}; last screen:\n${lastScreen()}`);
    await sleep(50);
  }
}

const partners = () => [...sim.store.environment(sim.environmentId)!.users.values()].filter((u) => u.data.type === 'Partner').length;

describeWithTmux('pingone-sql at a terminal (tmux)', () => {
  beforeEach(async () => {
    sim = await startSimulator({ seed: 'demo', users: 60 });
    home = mkdtempSync(join(tmpdir(), 'pingone-sql-tmux-'));
    socket = `pingone-sql-test-${process.pid}-${Date.now()}`;
    const q = encodeURIComponent;
    const url = `pingone://?EnvironmentId=${sim.environmentId}&OAuthClientId=${q(sim.credentials.clientId)}&OAuthClientSecret=${q(sim.credentials.clientSecret)}&ApiUrl=${q(sim.apiUrl)}&AuthUrl=${q(sim.authUrl)}`;
    const command = `env -i PATH='${process.env.PATH ?? ''}' HOME='${home}' TERM=xterm-256color '${process.execPath}' '${cli}' --url '${url}' --custom-attributes costCenter`;
    expect(tmux('new-session', '-d', '-s', 'sql', '-x', '160', '-y', '50', command).status).toBe(0);
    await waitFor(/^pingone=>$/m); // capture-pane drops trailing spaces
  });

  afterEach(async () => {
    tmux('kill-server');
    await sim.close();
    rmSync(home, { recursive: true, force: true });
  });

  test('Ctrl-C cancels a running statement (its request is aborted) and the shell stays usable; at the prompt it clears the line', async () => {
    type("SELECT COUNT(*) AS n FROM users WHERE type = 'Partner';"); // the access token is fetched now
    press('Enter');
    await waitFor(/\(1 row, \d+ ms\)/);
    sim.faults.setLatency(3_000);
    const before = sim.requests.api().length;
    type('SELECT COUNT(*) AS n FROM users;');
    press('Enter');
    await sleep(300);
    press('C-c');
    const cancelled = await waitFor(/Cancelled: the statement was stopped/);
    expect(cancelled).not.toMatch(/│ 60 │/);
    // The simulator logs the aborted request once its latency is over (its answer went to a closed socket).
    await until(() => sim.requests.api().length > before, 'the simulator to log the aborted request');
    expect(sim.requests.api().slice(before)).toHaveLength(1);
    sim.faults.setLatency(0);
    type('SELECT nonsense FROM');
    press('C-c');
    type('SELECT COUNT(*) AS n FROM users;');
    press('Enter');
    const after = await waitFor(/│ 60 │/);
    expect(after).not.toContain('nonsenseSELECT');
    expect(after).not.toContain('ERROR');
    press('C-d');
    while (tmux('has-session', '-t', 'sql').status === 0) await sleep(50); // Ctrl-D quits: the pane closes
  });

  test('DELETE asks with the number of rows it will delete; n keeps them', async () => {
    const n = partners();
    expect(n).toBeGreaterThan(0);
    type("DELETE FROM users WHERE type = 'Partner';");
    press('Enter');
    await waitFor(new RegExp(`DELETE will delete ${n} rows? of users\\. Continue\\? \\[y/N\\]$`, 'm'));
    type('n');
    press('Enter');
    await waitFor(/Not run: nothing was changed\./);
    expect(partners()).toBe(n);
    expect(sim.requests.api().filter((r) => r.method === 'DELETE')).toEqual([]);
  });

  test('history: a multi-line statement is recalled whole (its -- comment still ends at its line), a password statement is kept without its literals', async () => {
    const n = partners();
    type('SELECT COUNT(*) AS n FROM users -- every user?');
    press('Enter');
    await waitFor(/^pingone->$/m);
    type("WHERE type = 'Partner';");
    press('Enter');
    await waitFor(new RegExp(`│ ${n} │[\\s\\S]*\\(1 row, \\d+ ms\\)`));
    press('C-l');
    type("UPDATE users SET title = 'Sup3r-Secret-Passw0rd' WHERE username = 'nobody' AND title <> 'password';");
    press('Enter');
    await waitFor(/(No row|0 rows|updated|ERROR)/);
    press('C-l');
    press('Up');
    press('Up');
    press('Enter'); // the multi-line SELECT again, as typed
    const again = await waitFor(new RegExp(`│ ${n} │`));
    expect(again).not.toMatch(/│ 60 │/); // with the comment swallowing its WHERE, it would count every user
    press('C-d');
    while (tmux('has-session', '-t', 'sql').status === 0) await sleep(50);
    const file = readFileSync(join(home, '.pingone_sql_history'), 'utf8');
    expect(file).not.toContain('Sup3r-Secret');
    const entries = file
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as string);
    expect(entries).toContain("SELECT COUNT(*) AS n FROM users -- every user?\nWHERE type = 'Partner';");
    expect(entries).toContain('UPDATE users SET title = ? WHERE username = ? AND title <> ?;');
  });

  test('psql habits: the banner names the target; \\conninfo, \\l, \\dt, \\d; t/f and +00; Tab filtered by what is typed and by alias', async () => {
    const env = sim.store.environment(sim.environmentId)!;
    const host = new URL(sim.apiUrl).host;
    expect(screen()).toContain(`Connected to PingOne environment "${env.name}" (${sim.environmentId}), region NA, API host ${host}`);
    type('\\conninfo');
    press('Enter');
    const info = await waitFor(/^API: /m);
    expect(info).toContain(`You are connected to PingOne, environment "${env.name}" (${sim.environmentId})`);
    expect(info).not.toContain(sim.credentials.clientSecret);
    press('C-l');
    type('\\l');
    press('Enter');
    await waitFor(new RegExp(`│ ${env.name}\\s*│ ${sim.environmentId} │[^\\n]*│ \\*\\s*│`));
    press('C-l');
    type('\\dt');
    press('Enter');
    await waitFor(/List of tables[\s\S]*│ users\s*│ \/users/);
    press('C-l');
    type('\\d users');
    press('Enter');
    await waitFor(/│ addressStreetaddress\s*│ address\.streetAddress\s*│ string/);
    press('C-l');
    // Tab after FROM offers only the tables that start with what is typed; after p. the columns of the table p stands for
    type('SELECT COUNT(*) AS n FROM po');
    press('Tab');
    await waitFor(/^pingone=> SELECT COUNT\(\*\) AS n FROM populations$/m);
    type(' p WHERE p.us'); // every table's columns would give p.user (userCount, username, userFilter, userId)
    press('Tab');
    await waitFor(/^pingone=> SELECT COUNT\(\*\) AS n FROM populations p WHERE p\.userCount$/m);
    type(' IS NULL OR p.name IS NOT NULL;');
    press('Enter');
    await waitFor(new RegExp(`│ ${env.populations.size} │`));
    press('C-l');
    type("SELECT username, enabled, createdAt, nickname FROM users WHERE type = 'Partner' ORDER BY username LIMIT 1;");
    press('Enter');
    const row = await waitFor(/\(1 row, \d+ ms\)/);
    expect(row).toMatch(/│ \S+\s*│ [tf]\s*│ \d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?\+00 │ ∅\s*│/);
  });

  test('Tab completes a column name (a custom attribute), and a multi-line statement gets the continuation prompt', async () => {
    type('SELECT costC');
    press('Tab');
    await waitFor(/pingone=> SELECT costCenter$/m);
    press('Enter');
    await waitFor(/^pingone->$/m);
    type("FROM users WHERE type = 'Partner' LIMIT 1;");
    press('Enter');
    const shown = await waitFor(/\(1 row, \d+ ms\)/);
    expect(shown).toMatch(/│ costCenter\s*│/);
  });
});
