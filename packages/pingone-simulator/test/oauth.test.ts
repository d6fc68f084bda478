import { startSimulator, type RunningSimulator } from '../src';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ tokenLifetimeSeconds: 1 });
});
afterAll(() => sim.close());

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const tokenUrl = () => `${sim.authUrl}/${sim.environmentId}/as/token`;
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

async function post(url: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

test('client_secret_basic issues a bearer token with the configured lifetime', async () => {
  const res = await post(tokenUrl(), form({ grant_type: 'client_credentials' }), {
    authorization: basic(sim.credentials.clientId, sim.credentials.clientSecret),
  });
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 1 });
});

test('the custom-domain path /as/token works too', async () => {
  const res = await post(`${sim.url}/as/token`, form({ grant_type: 'client_credentials' }), {
    authorization: basic(sim.credentials.clientId, sim.credentials.clientSecret),
  });
  expect(res.status).toBe(200);
});

test('the default worker uses CLIENT_SECRET_BASIC, as PingOne creates it: form credentials get 401 invalid_client', async () => {
  const body = form({ grant_type: 'client_credentials', client_id: sim.credentials.clientId, client_secret: sim.credentials.clientSecret });
  const res = await post(tokenUrl(), body);
  expect(res).toMatchObject({
    status: 401,
    body: { error: 'invalid_client', error_description: expect.stringMatching(/unsupported authentication method CLIENT_SECRET_POST/) },
  });
});

test('a worker set to CLIENT_SECRET_POST takes form credentials and refuses the Basic header', async () => {
  const other = await startSimulator({ workerAuthMethod: 'CLIENT_SECRET_POST' });
  try {
    const url = `${other.authUrl}/${other.environmentId}/as/token`;
    const { clientId, clientSecret } = other.credentials;
    expect((await post(url, form({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }))).status).toBe(
      200,
    );
    const viaBasic = await post(url, form({ grant_type: 'client_credentials' }), { authorization: basic(clientId, clientSecret) });
    expect(viaBasic).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  } finally {
    await other.close();
  }
});

test('a wrong secret or unknown client gets 401 invalid_client, and the secret is not logged', async () => {
  const res = await post(
    tokenUrl(),
    form({ grant_type: 'client_credentials', client_id: sim.credentials.clientId, client_secret: 'wrong-secret' }),
  );
  expect(res.status).toBe(401);
  expect(res.body.error).toBe('invalid_client');
  expect((await post(tokenUrl(), form({ grant_type: 'client_credentials' }), { authorization: basic('nobody', 'x') })).status).toBe(401);
  expect(JSON.stringify(sim.requests.all())).not.toContain('wrong-secret');
  expect(JSON.stringify(sim.requests.all())).not.toContain(sim.credentials.clientSecret);
});

test('unsupported grant types are refused', async () => {
  const res = await post(tokenUrl(), form({ grant_type: 'password' }), {
    authorization: basic(sim.credentials.clientId, sim.credentials.clientSecret),
  });
  expect(res).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
});

describe('bearer tokens on the management API', () => {
  const users = () => `${sim.apiUrl}/environments/${sim.environmentId}/users`;
  const get = (token?: string) => fetch(users(), token ? { headers: { authorization: `Bearer ${token}` } } : {});
  const issue = async () =>
    (
      await post(tokenUrl(), form({ grant_type: 'client_credentials' }), {
        authorization: basic(sim.credentials.clientId, sim.credentials.clientSecret),
      })
    ).body.access_token as string;

  test('missing, revoked, expired-by-control and naturally expired tokens get ACCESS_FAILED / INVALID_TOKEN', async () => {
    const expectInvalid = async (res: Response) => {
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({
        code: 'ACCESS_FAILED',
        details: [{ code: 'INVALID_TOKEN', target: 'Authentication Credentials' }],
      });
    };
    await expectInvalid(await get());
    const token = await issue();
    expect((await get(token)).status).toBe(200);
    sim.faults.revokeToken(token);
    await expectInvalid(await get(token));
    const second = await issue();
    sim.faults.expireAllTokens();
    await expectInvalid(await get(second));
    const third = await issue();
    await new Promise((r) => setTimeout(r, 1100)); // lifetime is 1 s in this suite
    await expectInvalid(await get(third));
  });

  test('the token endpoint can be made to fail', async () => {
    sim.faults.failTokenEndpoint(2, 503);
    const auth = { authorization: basic(sim.credentials.clientId, sim.credentials.clientSecret) };
    expect((await post(tokenUrl(), form({ grant_type: 'client_credentials' }), auth)).status).toBe(503);
    expect((await post(tokenUrl(), form({ grant_type: 'client_credentials' }), auth)).status).toBe(503);
    expect((await post(tokenUrl(), form({ grant_type: 'client_credentials' }), auth)).status).toBe(200);
  });
});
