import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { startSimulator, type RunningSimulator } from '@typeorm-pingone/simulator';
import {
  createPingOneClient,
  PingOneAuthError,
  PingOneConfigError,
  pingOneOptionsFromEnv,
  pingOneOptionsFromUrl,
  type PingOneClientOptions,
} from '../src';

/*
 * RFC 7523 client authentication end to end: keys generated here, the public half registered on a simulated PingOne
 * application, the client signing with jose, the simulator verifying signature and claims as PingOne documents.
 */
let sim: RunningSimulator | undefined;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'jwt-auth-'));
});
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function keyPair(
  type: 'rsa' | 'ec',
  kid: string,
): { privateKey: KeyObject; pem: string; privateJwk: Record<string, unknown>; publicJwk: Record<string, unknown> } {
  const { privateKey, publicKey } =
    type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privateKey,
    pem: privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
    privateJwk: { ...privateKey.export({ format: 'jwk' }), kid },
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kid },
  };
}

const base = (s: RunningSimulator): PingOneClientOptions => ({
  environmentId: s.environmentId,
  apiUrl: s.apiUrl,
  authUrl: s.authUrl,
  rateLimit: false,
  retry: { baseDelayMs: 5, maxDelayMs: 20 },
});
const assertions = (s: RunningSimulator) =>
  s.requests
    .all()
    .filter((r) => r.kind === 'token')
    .map((r) => (r.body as Record<string, string>).client_assertion_type);

test('a worker with private_key_jwt (PEM, RS256) gets a token and reads users; no secret, no Basic header is ever sent', async () => {
  const rsa = keyPair('rsa', 'worker-key');
  sim = await startSimulator({ seed: 'demo', users: 5, workerAuthMethod: 'PRIVATE_KEY_JWT', workerJwks: { keys: [rsa.publicJwk] } });
  const client = createPingOneClient({
    ...base(sim),
    clientId: sim.credentials.clientId,
    tokenEndpointAuthMethod: 'private_key_jwt',
    privateKey: rsa.pem,
    keyId: 'worker-key',
  });
  expect(await client.users.list().toArray()).toHaveLength(5);
  const token = sim.requests.all().find((r) => r.kind === 'token')!;
  expect(token.headers.authorization).toBeUndefined();
  expect(token.body).toEqual({
    grant_type: 'client_credentials',
    client_id: sim.credentials.clientId,
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: '[REDACTED]',
  });
  // The key never shows: not in JSON, not in inspect, not in the config.
  for (const text of [JSON.stringify(client), inspect(client, { depth: 10 })]) expect(text).not.toContain(rsa.pem.split('\n')[1]);
});

test('an EC key as a JWK file (ES256 from its curve, kid from the JWK), and PINGONE_* environment variables', async () => {
  const ec = keyPair('ec', 'ec-key');
  sim = await startSimulator({ seed: 'demo', users: 2, workerAuthMethod: 'PRIVATE_KEY_JWT', workerJwks: { keys: [ec.publicJwk] } });
  const file = join(dir, 'worker.jwk.json');
  writeFileSync(file, JSON.stringify(ec.privateJwk), { mode: 0o600 });
  const fromFile = createPingOneClient({
    ...base(sim),
    clientId: sim.credentials.clientId,
    tokenEndpointAuthMethod: 'private_key_jwt',
    privateKeyFile: file,
  });
  expect(await fromFile.users.list().toArray()).toHaveLength(2);
  const env = {
    PINGONE_ENVIRONMENT_ID: sim.environmentId,
    PINGONE_API_URL: sim.apiUrl,
    PINGONE_AUTH_URL: sim.authUrl,
    PINGONE_CLIENT_ID: sim.credentials.clientId,
    PINGONE_TOKEN_ENDPOINT_AUTH_METHOD: 'PRIVATE_KEY_JWT',
    PINGONE_PRIVATE_KEY: JSON.stringify(ec.privateJwk),
  };
  const fromEnv = createPingOneClient({ ...pingOneOptionsFromEnv(env), rateLimit: false });
  expect(await fromEnv.users.list().toArray()).toHaveLength(2);
  // A PEM pasted into one variable with \n for its line breaks works too.
  const rsa = keyPair('rsa', 'r');
  const pemOptions = pingOneOptionsFromEnv({ ...env, PINGONE_PRIVATE_KEY: rsa.pem.replace(/\n/g, '\\n') });
  expect(() => createPingOneClient(pemOptions)).not.toThrow();
  expect(JSON.stringify(pemOptions)).not.toContain(rsa.pem.split('\n')[1]);
  const url = pingOneOptionsFromUrl(
    `pingone://?EnvironmentId=${sim.environmentId}&OAuthClientId=${sim.credentials.clientId}&TokenEndpointAuthMethod=private_key_jwt&PrivateKeyFile=${encodeURIComponent(file)}&ApiUrl=${encodeURIComponent(sim.apiUrl)}&AuthUrl=${encodeURIComponent(sim.authUrl)}`,
  );
  expect(
    await createPingOneClient({ ...url, rateLimit: false })
      .users.list()
      .toArray(),
  ).toHaveLength(2);
  expect(assertions(sim).every((t) => t === 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer')).toBe(true);
});

test('client_secret_jwt: the secret signs (HS256, or HS512 when asked); it never travels', async () => {
  sim = await startSimulator({ seed: 'demo', users: 1, workerAuthMethod: 'CLIENT_SECRET_JWT' });
  const { clientId, clientSecret } = sim.credentials;
  for (const signingAlgorithm of [undefined, 'HS512']) {
    const client = createPingOneClient({
      ...base(sim),
      clientId,
      clientSecret,
      tokenEndpointAuthMethod: 'client_secret_jwt',
      ...(signingAlgorithm ? { signingAlgorithm } : {}),
    });
    expect(await client.users.list().toArray()).toHaveLength(1);
  }
  expect(JSON.stringify(sim.requests.all())).not.toContain(clientSecret);
  expect(assertions(sim)).toHaveLength(2);
});

test('the wrong key, or a method the app does not use, is a PingOneAuthError that says what to check', async () => {
  const registered = keyPair('rsa', 'k1');
  sim = await startSimulator({ workerAuthMethod: 'PRIVATE_KEY_JWT', workerJwks: { keys: [registered.publicJwk] } });
  const other = keyPair('rsa', 'k1');
  const wrong = createPingOneClient({
    ...base(sim),
    clientId: sim.credentials.clientId,
    tokenEndpointAuthMethod: 'private_key_jwt',
    privateKey: other.privateJwk,
  });
  const error = await wrong.users
    .list()
    .toArray()
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(PingOneAuthError);
  expect((error as Error).message).toMatch(
    /401 invalid_client.*signature does not verify.*private key \(its public half must be in the app's JWKS, with the same kid\)/,
  );
  const secretAuth = createPingOneClient({ ...base(sim), clientId: sim.credentials.clientId, clientSecret: 'nope' });
  expect(
    String(
      await secretAuth.users
        .list()
        .toArray()
        .catch((e: unknown) => e),
    ),
  ).toMatch(/unsupported authentication method CLIENT_SECRET_BASIC\. This application uses PRIVATE_KEY_JWT/);
});

test('an interactive app with private_key_jwt signs its code exchange, refresh and revocation', async () => {
  const rsa = keyPair('rsa', 'app-key');
  sim = await startSimulator({ seed: 'demo', users: 2 });
  sim.oauth.autoApprove(String([...sim.store.environment(sim.environmentId)!.users.values()][0].data.username));
  const app = sim.oauth.addApplication({ tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT', jwks: { keys: [rsa.publicJwk] } });
  const client = createPingOneClient({
    ...base(sim),
    interactive: {
      clientId: app.clientId,
      tokenEndpointAuthMethod: 'private_key_jwt',
      privateKey: rsa.pem,
      openBrowser: async (url) => {
        await fetch(url);
      },
    },
  });
  expect(await client.users.list().toArray()).toHaveLength(2);
  sim.faults.expireAllTokens();
  expect(await client.users.list().toArray()).toHaveLength(2);
  await client.signOut();
  const calls = sim.requests.all().filter((r) => r.kind === 'token' && !r.path.endsWith('/authorize'));
  expect(
    calls.map((r) =>
      `${r.path.split('/').pop()} ${(r.body as Record<string, string>).grant_type ?? ''} ${(r.body as Record<string, string>).client_assertion}`.trim(),
    ),
  ).toEqual(['token authorization_code [REDACTED]', 'token refresh_token [REDACTED]', 'revoke  [REDACTED]']);
});

test.each([
  [{ tokenEndpointAuthMethod: 'private_key_jwt' as const }, /'privateKey' or 'privateKeyFile' is required with private_key_jwt/],
  [
    { tokenEndpointAuthMethod: 'private_key_jwt' as const, privateKey: 'x', clientSecret: 's' },
    /private_key_jwt authenticates with a private key, not a secret: remove clientSecret/,
  ],
  [
    { tokenEndpointAuthMethod: 'private_key_jwt' as const, privateKey: 'not a key' },
    /'privateKey' must be a private key: PEM text .* got text without a PEM header/,
  ],
  [
    { tokenEndpointAuthMethod: 'private_key_jwt' as const, privateKey: { kty: 'RSA', n: 'x', e: 'AQAB' } },
    /no "d" member: it is a public key, which belongs in the PingOne application \(jwks\)/,
  ],
  [
    { tokenEndpointAuthMethod: 'private_key_jwt' as const, privateKeyFile: '/nonexistent/key.pem' },
    /'privateKeyFile' names "\/nonexistent\/key.pem", which can't be read \(ENOENT\)/,
  ],
  [
    { tokenEndpointAuthMethod: 'private_key_jwt' as const, privateKey: 'EC', signingAlgorithm: 'RS256' },
    /'signingAlgorithm' is "RS256", which a ec key on prime256v1 can't sign; use ES256/,
  ],
  [
    { clientSecret: 's', tokenEndpointAuthMethod: 'client_secret_jwt' as const, signingAlgorithm: 'RS256' },
    /must be HS256, HS384 or HS512 with client_secret_jwt/,
  ],
  [{ clientSecret: 's', privateKey: 'x' }, /'privateKey' is for private_key_jwt, but 'tokenEndpointAuthMethod' is client_secret_basic/],
  [
    { clientSecret: 's', tokenEndpointAuthMethod: 'client_secret_jws' as never },
    /tokenEndpointAuthMethod must be 'client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt'/,
  ],
] as [Partial<PingOneClientOptions>, RegExp][])('configuration mistakes are refused with a fix: %j', (options, message) => {
  const ec = keyPair('ec', 'e').pem;
  const resolved = options.privateKey === 'EC' ? { ...options, privateKey: ec } : options;
  expect(() => createPingOneClient({ environmentId: '5f6c2f7e-9a3b-4c1d-8e2f-0a1b2c3d4e5f', clientId: 'app', ...resolved })).toThrow(
    PingOneConfigError,
  );
  expect(() => createPingOneClient({ environmentId: '5f6c2f7e-9a3b-4c1d-8e2f-0a1b2c3d4e5f', clientId: 'app', ...resolved })).toThrow(
    message,
  );
});
