import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startSimulator, type RunningSimulator } from '@typeorm-pingone/simulator';

/*
 * `pingone-sql` with a worker app that authenticates with a private key (PRIVATE_KEY_JWT, RFC 7523): from PINGONE_*
 * environment variables, and from a connection URL. The key is generated here; its public half is the simulated
 * application's JWKS.
 */
let sim: RunningSimulator;
let dir: string;
let keyFile: string;
beforeAll(async () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  sim = await startSimulator({
    seed: 'demo',
    users: 7,
    workerAuthMethod: 'PRIVATE_KEY_JWT',
    workerJwks: { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'shell-key' }] },
  });
  dir = mkdtempSync(join(tmpdir(), 'pingone-sql-jwt-'));
  keyFile = join(dir, 'worker.pem');
  writeFileSync(keyFile, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the built CLI without blocking this process (the simulator answers from here). */
function cli(args: string[], env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [resolve(__dirname, '../dist/cli.js'), ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: dir, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

test('PINGONE_TOKEN_ENDPOINT_AUTH_METHOD=private_key_jwt with PINGONE_PRIVATE_KEY_FILE', async () => {
  const run = await cli(['--json', '-c', 'SELECT COUNT(*) AS n FROM users'], {
    PINGONE_ENVIRONMENT_ID: sim.environmentId,
    PINGONE_API_URL: sim.apiUrl,
    PINGONE_AUTH_URL: sim.authUrl,
    PINGONE_CLIENT_ID: sim.credentials.clientId,
    PINGONE_TOKEN_ENDPOINT_AUTH_METHOD: 'private_key_jwt',
    PINGONE_PRIVATE_KEY_FILE: keyFile,
    PINGONE_KEY_ID: 'shell-key',
  });
  expect(run.stderr).toBe('');
  expect(JSON.parse(run.stdout)).toEqual([{ n: 7 }]);
  const token = sim.requests
    .all()
    .filter((r) => r.kind === 'token')
    .at(-1)!;
  expect(token.body).toMatchObject({
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: '[REDACTED]',
  });
});

test('a pingone:// URL with TokenEndpointAuthMethod=private_key_jwt and PrivateKeyFile; a missing key says what to set', async () => {
  const url =
    `pingone://?EnvironmentId=${sim.environmentId}&OAuthClientId=${sim.credentials.clientId}&TokenEndpointAuthMethod=private_key_jwt` +
    `&PrivateKeyFile=${encodeURIComponent(keyFile)}&ApiUrl=${encodeURIComponent(sim.apiUrl)}&AuthUrl=${encodeURIComponent(sim.authUrl)}`;
  const run = await cli(['--url', url, '--json', '-c', 'SELECT COUNT(*) AS n FROM users'], {});
  expect(JSON.parse(run.stdout)).toEqual([{ n: 7 }]);
  const missing = await cli(['--url', url.replace(/&PrivateKeyFile=[^&]+/, ''), '-c', 'SELECT 1'], {});
  expect(missing.status).toBe(1);
  expect(missing.stderr).toMatch(/'privateKey' or 'privateKeyFile' is required with private_key_jwt/);
});
