import { randomBytes } from 'node:crypto';
import { pkceChallenge, startSimulator, type RunningSimulator } from '../src';

/*
 * Each application's token endpoint auth method is enforced at /as/token and /as/revoke, and refresh tokens rotate
 * with replay detection, as PingOne does by default (OpenAPI: additionalRefreshTokenReplayProtectionEnabled).
 */
let sim: RunningSimulator;
let username: string;
beforeAll(async () => {
  sim = await startSimulator({ seed: 'demo', users: 3 });
  username = String([...sim.store.environment(sim.environmentId)!.users.values()][0].data.username);
  sim.oauth.autoApprove(username);
});
afterAll(() => sim.close());

const redirect = 'http://127.0.0.1:65001/callback';
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
type Auth = { header?: string; form?: Record<string, string> };
const asBasic = (app: { clientId: string; clientSecret: string }): Auth => ({ header: basic(app.clientId, app.clientSecret) });
const asPost = (app: { clientId: string; clientSecret: string }): Auth => ({
  form: { client_id: app.clientId, client_secret: app.clientSecret },
});
const asPublic = (clientId: string): Auth => ({ form: { client_id: clientId } });

async function post(endpoint: 'token' | 'revoke', auth: Auth, fields: Record<string, string>) {
  const res = await fetch(`${sim.authUrl}/${sim.environmentId}/as/${endpoint}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(auth.header ? { authorization: auth.header } : {}) },
    body: new URLSearchParams({ ...auth.form, ...fields }).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

async function code(clientId: string): Promise<{ code: string; verifier: string }> {
  const verifier = randomBytes(32).toString('base64url');
  const url = `${sim.authUrl}/${sim.environmentId}/as/authorize?${new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirect,
    scope: 'openid',
    state: 's',
    code_challenge: pkceChallenge(verifier),
    code_challenge_method: 'S256',
  }).toString()}`;
  const res = await fetch(url, { redirect: 'manual' });
  return { code: new URL(res.headers.get('location')!).searchParams.get('code')!, verifier };
}

async function signIn(clientId: string, auth: Auth) {
  const { code: c, verifier } = await code(clientId);
  return post('token', auth, { grant_type: 'authorization_code', code: c, redirect_uri: redirect, code_verifier: verifier });
}

const apiStatus = async (token: string) =>
  (await fetch(`${sim.apiUrl}/environments/${sim.environmentId}/users?limit=1`, { headers: { authorization: `Bearer ${token}` } })).status;

test('a native app (NONE) signs in with client_id and PKCE only; a secret or a Basic header is refused', async () => {
  expect((await signIn(sim.interactiveClientId, asPublic(sim.interactiveClientId))).status).toBe(200);
  const withSecret = await signIn(sim.interactiveClientId, { form: { client_id: sim.interactiveClientId, client_secret: 'anything' } });
  expect(withSecret).toMatchObject({
    status: 401,
    body: { error: 'invalid_client', error_description: expect.stringMatching(/unsupported authentication method CLIENT_SECRET_POST/) },
  });
  const viaBasic = await signIn(sim.interactiveClientId, { header: basic(sim.interactiveClientId, '') });
  expect(viaBasic).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
});

test('a web app set to CLIENT_SECRET_BASIC: Basic works; form credentials or client_id alone get 401 invalid_client', async () => {
  const web = sim.webApplication;
  const ok = await signIn(web.clientId, asBasic(web));
  expect(ok).toMatchObject({ status: 200, body: { refresh_token: expect.any(String) } });
  expect(await signIn(web.clientId, asPost(web))).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  expect(await signIn(web.clientId, asPublic(web.clientId))).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  expect(await signIn(web.clientId, asBasic({ ...web, clientSecret: 'wrong' }))).toMatchObject({
    status: 401,
    body: { error: 'invalid_client' },
  });
  // the refresh and the revocation endpoint apply the same rule
  expect((await post('token', asPost(web), { grant_type: 'refresh_token', refresh_token: ok.body.refresh_token })).status).toBe(401);
  expect((await post('revoke', asPost(web), { token: ok.body.refresh_token })).status).toBe(401);
  expect((await post('revoke', asBasic(web), { token: ok.body.refresh_token })).status).toBe(200);
  expect((await post('token', asBasic(web), { grant_type: 'refresh_token', refresh_token: ok.body.refresh_token })).body.error).toBe(
    'invalid_grant',
  );
});

test('an app set to CLIENT_SECRET_POST: form credentials work, the Basic header is refused', async () => {
  const app = sim.oauth.addApplication({ tokenEndpointAuthMethod: 'CLIENT_SECRET_POST' });
  expect((await signIn(app.clientId, asPost(app))).status).toBe(200);
  expect(await signIn(app.clientId, asBasic(app))).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
});

test('refresh tokens rotate; reusing a spent one revokes the whole sign-in, its newest tokens included', async () => {
  const auth = asPublic(sim.interactiveClientId);
  const first = (await signIn(sim.interactiveClientId, auth)).body;
  const second = (await post('token', auth, { grant_type: 'refresh_token', refresh_token: first.refresh_token })).body;
  expect(second.refresh_token).toEqual(expect.any(String));
  expect(second.refresh_token).not.toBe(first.refresh_token);
  const third = (await post('token', auth, { grant_type: 'refresh_token', refresh_token: second.refresh_token })).body;
  expect(await apiStatus(third.access_token)).toBe(200);
  const other = (await signIn(sim.interactiveClientId, auth)).body; // another sign-in: a separate chain

  const replay = await post('token', auth, { grant_type: 'refresh_token', refresh_token: first.refresh_token });
  expect(replay).toMatchObject({
    status: 400,
    body: { error: 'invalid_grant', error_description: expect.stringMatching(/already used.*revoked/) },
  });
  expect((await post('token', auth, { grant_type: 'refresh_token', refresh_token: third.refresh_token })).body.error).toBe('invalid_grant');
  expect(await apiStatus(third.access_token)).toBe(401);
  expect((await post('token', auth, { grant_type: 'refresh_token', refresh_token: other.refresh_token })).status).toBe(200);
});

test("revoking a refresh token ends its sign-in; another client's token is left alone", async () => {
  const auth = asPublic(sim.interactiveClientId);
  const tokens = (await signIn(sim.interactiveClientId, auth)).body;
  expect((await post('revoke', asBasic(sim.webApplication), { token: tokens.refresh_token })).status).toBe(200);
  expect(await apiStatus(tokens.access_token)).toBe(200);
  expect((await post('revoke', auth, { token: tokens.refresh_token })).status).toBe(200);
  expect(await apiStatus(tokens.access_token)).toBe(401);
  expect((await post('token', auth, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token })).body.error).toBe(
    'invalid_grant',
  );
});

test('refreshTokenRotation: false keeps one refresh token for the whole sign-in', async () => {
  const other = await startSimulator({ seed: 'demo', users: 1, refreshTokenRotation: false });
  try {
    other.oauth.autoApprove(String([...other.store.environment(other.environmentId)!.users.values()][0].data.username));
    const saved = sim;
    sim = other;
    try {
      const auth = asPublic(other.interactiveClientId);
      const tokens = (await signIn(other.interactiveClientId, auth)).body;
      for (let i = 0; i < 2; i++) {
        const again = await post('token', auth, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
        expect(again).toMatchObject({ status: 200, body: { refresh_token: tokens.refresh_token } });
      }
    } finally {
      sim = saved;
    }
  } finally {
    await other.close();
  }
});
