import { randomBytes } from 'node:crypto';
import { pkceChallenge, startSimulator, type RunningSimulator } from '../src';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 'demo', users: 5 });
  const env = sim.store.environment(sim.environmentId)!;
  env.passwords.set(env.userIdByUsername([...env.users.values()][0].data.username as string)!, {
    value: 'Corr3ct-Horse',
    forceChange: false,
  });
});
afterAll(() => sim.close());

const verifier = randomBytes(32).toString('base64url');
const redirect = 'http://127.0.0.1:65000/callback';
const authorizeUrl = (extra: Record<string, string> = {}) =>
  `${sim.authUrl}/${sim.environmentId}/as/authorize?${new URLSearchParams({
    response_type: 'code',
    client_id: sim.interactiveClientId,
    redirect_uri: redirect,
    scope: 'openid',
    state: 's1',
    code_challenge: pkceChallenge(verifier),
    code_challenge_method: 'S256',
    ...extra,
  }).toString()}`;
const token = (form: Record<string, string>) =>
  fetch(`${sim.authUrl}/${sim.environmentId}/as/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: sim.interactiveClientId, ...form }).toString(),
  });

test('the sign-in form, then a redirect with the code and state; the code redeems once with the PKCE verifier', async () => {
  sim.oauth.autoApprove(undefined);
  const page = await fetch(authorizeUrl());
  expect(page.headers.get('content-type')).toMatch(/text\/html/);
  expect(await page.text()).toMatch(/<form method="post">/);
  const username = String([...sim.store.environment(sim.environmentId)!.users.values()][0].data.username);
  const wrong = await fetch(authorizeUrl(), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...Object.fromEntries(new URL(authorizeUrl()).searchParams), username, password: 'nope' }).toString(),
  });
  expect(await wrong.text()).toMatch(/Incorrect username or password/);
  const posted = await fetch(authorizeUrl(), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      ...Object.fromEntries(new URL(authorizeUrl()).searchParams),
      username,
      password: 'Corr3ct-Horse',
    }).toString(),
  });
  expect(posted.status).toBe(302);
  const location = new URL(posted.headers.get('location')!);
  expect(location.searchParams.get('state')).toBe('s1');
  const code = location.searchParams.get('code')!;
  const bad = await token({ grant_type: 'authorization_code', code, redirect_uri: redirect, code_verifier: 'x'.repeat(43) });
  expect(await bad.json()).toMatchObject({ error: 'invalid_grant', error_description: expect.stringMatching(/PKCE/) });
  // the failed attempt used the code up: a second try with the right verifier is refused too
  const again = await token({ grant_type: 'authorization_code', code, redirect_uri: redirect, code_verifier: verifier });
  expect(again.status).toBe(400);
});

test('auto-approval, tokens with a refresh token, refresh, revoke', async () => {
  const username = String([...sim.store.environment(sim.environmentId)!.users.values()][1].data.username);
  sim.oauth.autoApprove(username);
  const redirected = await fetch(authorizeUrl(), { redirect: 'manual' });
  const code = new URL(redirected.headers.get('location')!).searchParams.get('code')!;
  const tokens = (await (
    await token({ grant_type: 'authorization_code', code, redirect_uri: redirect, code_verifier: verifier })
  ).json()) as Record<string, string>;
  expect(tokens).toMatchObject({ access_token: expect.any(String), refresh_token: expect.any(String), token_type: 'Bearer' });
  const refreshed = await token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
  expect(refreshed.status).toBe(200);
  await fetch(`${sim.authUrl}/${sim.environmentId}/as/revoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `token=${tokens.refresh_token}&client_id=${sim.interactiveClientId}`,
  });
  const revoked = await token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
  expect(await revoked.json()).toMatchObject({ error: 'invalid_grant', error_description: expect.stringMatching(/Sign in again/) });
});

test('PKCE is required and redirect URIs must be loopback', async () => {
  expect((await fetch(authorizeUrl({ code_challenge_method: 'plain' }))).status).toBe(400);
  expect((await fetch(authorizeUrl({ redirect_uri: 'https://evil.example.com/cb' }))).status).toBe(400);
  expect((await token({ grant_type: 'client_credentials' })).status).toBe(400); // a native app has no client credentials grant
});
