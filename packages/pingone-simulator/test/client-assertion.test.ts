import { createHmac, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { startSimulator, type RunningSimulator } from '../src';

/*
 * RFC 7523 client assertions at /as/token, checked as PingOne's "Create a private key JWT" / "Create a client secret
 * JWT" pages say: signature by the application's method, iss = sub = client id, aud the token endpoint or the issuer,
 * exp in the future and at most an hour away, nbf not in the future. Assertions here are made with node:crypto
 * (the client's own signer, through jose, is tested end to end in the client package).
 */
let sim: RunningSimulator;
let rsa: { privateKey: KeyObject; jwk: Record<string, unknown> };
let ec: { privateKey: KeyObject; jwk: Record<string, unknown> };
beforeAll(async () => {
  const pair = (type: 'rsa' | 'ec') => {
    const { privateKey, publicKey } =
      type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
    return { privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid: `${type}-1`, use: 'sig' } };
  };
  rsa = pair('rsa');
  ec = pair('ec');
  sim = await startSimulator({ workerAuthMethod: 'PRIVATE_KEY_JWT', workerJwks: { keys: [rsa.jwk, ec.jwk] } });
});
afterAll(() => sim.close());

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const tokenUrl = () => `${sim.authUrl}/${sim.environmentId}/as/token`;

function jwt(header: Record<string, unknown>, claims: Record<string, unknown>, signer: (data: Buffer) => Buffer): string {
  const head = `${b64(header)}.${b64(claims)}`;
  return `${head}.${signer(Buffer.from(head)).toString('base64url')}`;
}
const rs256 = (key: KeyObject) => (data: Buffer) => sign('sha256', data, key);
const es256 = (key: KeyObject) => (data: Buffer) => sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' });
const hs256 = (secret: string) => (data: Buffer) => createHmac('sha256', secret).update(data).digest();

function claims(clientId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { iss: clientId, sub: clientId, aud: tokenUrl(), iat: now, exp: now + 60, jti: randomUUID(), ...extra };
}

async function exchange(assertion: string, extra: Record<string, string> = {}) {
  const res = await fetch(tokenUrl(), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
      ...extra,
    }).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

test('PRIVATE_KEY_JWT: an RS256 assertion signed with the registered key gets a token that opens the API', async () => {
  const id = sim.credentials.clientId;
  const granted = await exchange(jwt({ alg: 'RS256', kid: 'rsa-1', typ: 'JWT' }, claims(id), rs256(rsa.privateKey)));
  expect(granted.status).toBe(200);
  const api = await fetch(`${sim.apiUrl}/environments/${sim.environmentId}/users?limit=1`, {
    headers: { authorization: `Bearer ${granted.body.access_token}` },
  });
  expect(api.status).toBe(200);
  // The issuer as audience, no kid (every key is tried), ES256 (PingOne's workflow pages list it), client_id repeated.
  expect(
    (
      await exchange(jwt({ alg: 'RS256' }, claims(id, { aud: `${sim.authUrl}/${sim.environmentId}/as` }), rs256(rsa.privateKey)), {
        client_id: id,
      })
    ).status,
  ).toBe(200);
  expect((await exchange(jwt({ alg: 'ES256', kid: 'ec-1' }, claims(id), es256(ec.privateKey)))).status).toBe(200);
});

test.each([
  [
    'another key',
    () => jwt({ alg: 'RS256' }, claims(sim.credentials.clientId), rs256(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey)),
    /signature does not verify/,
  ],
  ['alg none', () => `${b64({ alg: 'none' })}.${b64(claims(sim.credentials.clientId))}.`, /alg none is not allowed/],
  [
    'HS256 with the public key as secret',
    () => jwt({ alg: 'HS256' }, claims(sim.credentials.clientId), hs256(JSON.stringify(rsa.jwk))),
    /alg HS256 is not allowed for PRIVATE_KEY_JWT/,
  ],
  [
    'an unknown kid',
    () => jwt({ alg: 'RS256', kid: 'other' }, claims(sim.credentials.clientId), rs256(rsa.privateKey)),
    /no public key .* kid "other"/,
  ],
  [
    'sub another client',
    () => jwt({ alg: 'RS256' }, claims(sim.credentials.clientId, { sub: 'someone' }), rs256(rsa.privateKey)),
    /iss and sub must both be the client id/,
  ],
  [
    'aud another server',
    () => jwt({ alg: 'RS256' }, claims(sim.credentials.clientId, { aud: 'https://auth.pingone.com/x/as/token' }), rs256(rsa.privateKey)),
    /aud must be/,
  ],
  [
    'expired',
    () => jwt({ alg: 'RS256' }, claims(sim.credentials.clientId, { exp: Math.floor(Date.now() / 1000) - 5 }), rs256(rsa.privateKey)),
    /expired/,
  ],
  [
    'exp beyond an hour',
    () => jwt({ alg: 'RS256' }, claims(sim.credentials.clientId, { exp: Math.floor(Date.now() / 1000) + 7200 }), rs256(rsa.privateKey)),
    /more than one hour/,
  ],
  [
    'nbf in the future',
    () => jwt({ alg: 'RS256' }, claims(sim.credentials.clientId, { nbf: Math.floor(Date.now() / 1000) + 600 }), rs256(rsa.privateKey)),
    /nbf is in the future/,
  ],
  ['not a JWT', () => 'not.a-jwt', /names no client/],
])('refused with 401 invalid_client: %s', async (_name, make, message) => {
  const refused = await exchange(make());
  expect(refused.status).toBe(401);
  expect(refused.body.error).toBe('invalid_client');
  expect(refused.body.error_description).toMatch(message);
});

test('a secret or Basic header from a PRIVATE_KEY_JWT app is an unsupported method; an assertion with a secret is refused', async () => {
  const { clientId } = sim.credentials;
  const basic = await fetch(tokenUrl(), {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:x`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  expect(((await basic.json()) as { error_description: string }).error_description).toMatch(
    /unsupported authentication method CLIENT_SECRET_BASIC\. This application uses PRIVATE_KEY_JWT/,
  );
  const both = await exchange(jwt({ alg: 'RS256' }, claims(clientId), rs256(rsa.privateKey)), { client_secret: 'x' });
  expect(both.status).toBe(400);
  const wrongType = await fetch(tokenUrl(), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: 'saml', client_assertion: 'x' }).toString(),
  });
  expect(wrongType.status).toBe(400);
});

test('CLIENT_SECRET_JWT: HS256/384/512 with the app secret; RS256 or another secret is refused; strict mode refuses ES256', async () => {
  const app = sim.oauth.addApplication({ tokenEndpointAuthMethod: 'CLIENT_SECRET_JWT', grantTypes: ['client_credentials'] });
  const mac = (alg: 'sha256' | 'sha384' | 'sha512', secret: string) => (data: Buffer) => createHmac(alg, secret).update(data).digest();
  for (const [alg, digest] of [
    ['HS256', 'sha256'],
    ['HS384', 'sha384'],
    ['HS512', 'sha512'],
  ] as const) {
    expect((await exchange(jwt({ alg }, claims(app.clientId), mac(digest, app.clientSecret)))).status).toBe(200);
  }
  expect((await exchange(jwt({ alg: 'HS256' }, claims(app.clientId), mac('sha256', 'guess')))).body.error_description).toMatch(
    /does not match the client secret/,
  );
  expect((await exchange(jwt({ alg: 'RS256' }, claims(app.clientId), rs256(rsa.privateKey)))).body.error_description).toMatch(
    /alg RS256 is not allowed for CLIENT_SECRET_JWT/,
  );
  expect(() => sim.oauth.addApplication({ tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT' })).toThrow(/jwks/);
  const strict = await startSimulator({ strict: true, workerAuthMethod: 'PRIVATE_KEY_JWT', workerJwks: { keys: [ec.jwk] } });
  try {
    const now = Math.floor(Date.now() / 1000);
    const assertion = jwt(
      { alg: 'ES256' },
      {
        iss: strict.credentials.clientId,
        sub: strict.credentials.clientId,
        aud: `${strict.authUrl}/${strict.environmentId}/as/token`,
        exp: now + 60,
      },
      es256(ec.privateKey),
    );
    const res = await fetch(`${strict.authUrl}/${strict.environmentId}/as/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
      }).toString(),
    });
    expect(res.status).toBe(401);
  } finally {
    await strict.close();
  }
});

test('the request log redacts the assertion', async () => {
  sim.requests.clear();
  await exchange(jwt({ alg: 'RS256' }, claims(sim.credentials.clientId), rs256(rsa.privateKey)));
  expect(sim.requests.all()[0].body).toMatchObject({ client_assertion: '[REDACTED]' });
});

test('property: any assertion text, or any header and claims, is refused with a reason and never throws', async () => {
  const fc = (await import('fast-check')).default;
  const { checkClientAssertion } = await import('../src/handlers/client-assertion.js');
  const client = { clientId: 'app', clientSecret: 'secret', tokenEndpointAuthMethod: 'CLIENT_SECRET_JWT' as const };
  const keyed = {
    clientId: 'app',
    clientSecret: '',
    tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT' as const,
    jwks: { keys: [rsa.jwk, ec.jwk, { kty: 'RSA', n: '!', e: 'x' }] },
  };
  const json = fc.jsonValue({ maxDepth: 2 });
  const part = fc.oneof(json.map(b64), fc.string({ unit: 'binary', maxLength: 40 }));
  const assertion = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 80 }),
    fc
      .tuple(
        fc.oneof(
          part,
          fc
            .record({
              alg: fc.oneof(fc.constantFrom('HS256', 'RS256', 'ES256', 'none', 'constructor', '__proto__', 'toString'), json),
              kid: json,
            })
            .map(b64),
        ),
        fc.oneof(part, fc.record({ iss: json, sub: json, aud: json, exp: json, nbf: json }).map(b64)),
        fc.string({ maxLength: 40 }),
      )
      .map((p) => p.join('.')),
  );
  fc.assert(
    fc.property(assertion, fc.boolean(), (text, strict) => {
      for (const app of [client, keyed])
        expect(checkClientAssertion(text, app, ['https://x/as/token'], strict)).toEqual(expect.any(String));
    }),
    { numRuns: 3000, seed: 27 },
  );
});
