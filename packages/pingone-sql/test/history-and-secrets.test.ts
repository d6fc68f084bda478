import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { appendHistory, loadHistory, redactLiterals, storedEntry } from '../src/history';

/*
 * The shell's history keeps what a person typed at a terminal (line breaks included) and never a password's text;
 * its `--url` errors never echo the value, which may be a secret pasted in the wrong place.
 */
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pingone-sql-history-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('history entries', () => {
  test('a statement touching a password keeps its shape, its string literals become ? (run as is, it fails instead of setting a password)', () => {
    expect(storedEntry("UPDATE users SET password = 'Sup3r-Secret!' WHERE username = 'bob';")).toBe(
      'UPDATE users SET password = ? WHERE username = ?;',
    );
    expect(storedEntry("INSERT INTO users (username, password) VALUES ('it''s me', \"Pa55;--word\");")).toBe(
      'INSERT INTO users (username, password) VALUES (?, ?);',
    );
    expect(storedEntry("UPDATE users SET PassWord = 'x' -- it's a comment\nWHERE id = 'a';")).toBe(
      "UPDATE users SET PassWord = ? -- it's a comment\nWHERE id = ?;",
    );
    expect(storedEntry("SELECT * FROM users WHERE title = 'Boss';")).toBe("SELECT * FROM users WHERE title = 'Boss';");
  });

  test('property: no literal of a password statement survives, whatever it holds', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !s.includes("'") && /\S/.test(s)),
        fc.string({ maxLength: 20 }),
        (secret, rest) => {
          const sql = `UPDATE users SET password = '${secret}' WHERE note = '${rest.replace(/'/g, "''")}';`;
          expect(redactLiterals(sql)).toBe('UPDATE users SET password = ? WHERE note = ?;');
        },
      ),
      { numRuns: 500, seed: 26 },
    );
  });

  test('the file is created readable by its owner only', () => {
    const file = join(dir, 'new-history');
    appendHistory(file, 'SELECT 1;');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  test('the file keeps a multi-line statement whole and reads older one-line files', () => {
    const file = join(dir, 'history');
    writeFileSync(file, 'SELECT 1;\n', { mode: 0o600 });
    const multi = "SELECT COUNT(*) AS n FROM users -- every user?\nWHERE type = 'Partner';";
    appendHistory(file, multi);
    appendHistory(file, "UPDATE users SET password = 'hunter22' WHERE id = 'x';");
    expect(loadHistory(file)).toEqual(['UPDATE users SET password = ? WHERE id = ?;', multi, 'SELECT 1;']);
  });
});

describe('the pingone-sql command', () => {
  const cli = resolve(__dirname, '../dist/cli.js');
  const run = (args: string[], input?: string) =>
    spawnSync(process.execPath, [cli, ...args], {
      encoding: 'utf8',
      input,
      env: { PATH: process.env.PATH ?? '', HOME: dir },
      timeout: 60_000,
    });

  const SECRET = 'Zq8vP3xW9kLm2Tn7Rb4Y';
  test.each([
    ['a secret pasted as the URL', `${SECRET}~.-_abcdef`],
    ['a URL-shaped secret', `https://user:${SECRET}@example.com/x`],
    ['a connection URL with a malformed part', `pingone://?${SECRET}`],
    ['a connection URL with an unknown property', `pingone://?${SECRET}=value`],
    ['a connection URL with a bad escape', `pingone://?${SECRET}%zz=value`],
    ['an unsupported AuthScheme', `pingone://?AuthScheme=${SECRET}&EnvironmentId=5f6c2f7e-9a3b-4c1d-8e2f-0a1b2c3d4e5f`],
  ])('--url with %s: exits 1 with a fix, and echoes no part of the value', (_name, value) => {
    const result = run(['--url', value, '-c', 'SELECT 1']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^pingone-sql: PingOne client configuration: /);
    const output = `${result.stdout}${result.stderr}`;
    for (let i = 0; i + 5 <= SECRET.length; i++) expect(output).not.toContain(SECRET.slice(i, i + 5));
  });

  test('piped statements are never written to the history file', () => {
    const result = run(['--users', '3'], "SELECT COUNT(*) AS n FROM users;\nSELECT username FROM users WHERE title = 'my password';\n");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/│ 3 │/);
    expect(existsSync(join(dir, '.pingone_sql_history'))).toBe(false);
  });
});
