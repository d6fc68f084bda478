import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/* The pingone-simulator command (from the build `pnpm test` makes first): seed file, banner, a working token. */
const cli = resolve(__dirname, '../dist/cli.js');

// Every child still running when a test ends (e.g. it failed before `stop()`) is killed, so none outlives the file.
const children = new Set<ReturnType<typeof spawn>>();
afterEach(() => {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
});

function run(args: string[]): Promise<{ banner: string; stop: () => void }> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    child.on('exit', () => children.delete(child));
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Press Ctrl+C')) resolveRun({ banner: out, stop: () => child.kill('SIGTERM') });
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
}

test('starts with a seed file on a free port and prints how to reach it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sim-cli-'));
  const seed = join(dir, 'seed.json');
  writeFileSync(
    seed,
    JSON.stringify({ environments: [{ name: 'From file', users: [{ username: 'file.user', email: 'f@example.com' }] }] }),
  );
  const { banner, stop } = await run(['--port', '0', '--seed', seed]);
  try {
    const api = /management API\s+(\S+)/.exec(banner)![1];
    const tokenUrl = /token endpoint\s+(\S+)/.exec(banner)![1];
    const clientId = /client id\s+(\S+)/.exec(banner)![1];
    const secret = /client secret\s+(\S+)/.exec(banner)![1];
    expect(banner).toMatch(/\(1 users, 0 groups, 1 populations\)/);
    const token = await fetch(tokenUrl, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    const { access_token } = (await token.json()) as { access_token: string };
    const users = (await (await fetch(`${api}/users`, { headers: { authorization: `Bearer ${access_token}` } })).json()) as {
      _embedded: { users: { username: string }[] };
    };
    expect(users._embedded.users.map((u) => u.username)).toEqual(['file.user']);
  } finally {
    stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad arguments exit with a message and the usage', async () => {
  await expect(run(['--users', 'many'])).rejects.toThrow(/--users must be a non-negative integer[\s\S]*Usage: pingone-simulator/);
  await expect(run(['--seed', '/nonexistent/seed.json'])).rejects.toThrow(/cannot read seed file/);
});
