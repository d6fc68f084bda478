import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator } from '@typeorm-pingone/simulator';
import { createPingOneClient, PingOneAuthError, type InteractiveOAuthOptions } from '../src';

/* The whole interactive flow over HTTP, with the test playing the browser. */
let sim: RunningSimulator;
let username: string;
beforeEach(async () => {
  sim = await startSimulator({ seed: 'demo', users: 5, tokenLifetimeSeconds: 3600 });
  const env = sim.store.environment(sim.environmentId)!;
  username = String([...env.users.values()][0].data.username);
  env.passwords.set(env.userIdByUsername(username)!, { value: 'Corr3ct-Horse', forceChange: false });
});
const temporary: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'pingone-oauth-'));
  temporary.push(dir);
  return dir;
};
afterEach(async () => {
  await sim.close();
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const opened: string[] = [];
/** A browser that follows redirects, so the code reaches the client's loopback listener. */
const autoBrowser = async (url: string) => {
  opened.push(url);
  await fetch(url);
};
const client = (interactive: Partial<InteractiveOAuthOptions> = {}) =>
  createPingOneClient({
    environmentId: sim.environmentId,
    apiUrl: sim.apiUrl,
    authUrl: sim.authUrl,
    rateLimit: false,
    interactive: { clientId: sim.interactiveClientId, openBrowser: autoBrowser, ...interactive },
  });
const grants = () =>
  sim.requests
    .all()
    .filter((r) => r.kind === 'token' && r.path.endsWith('/as/token'))
    .map((r) => (r.body as { grant_type: string }).grant_type);

test('sign-in through the form: authorize URL with PKCE S256 and state, code on the loopback redirect, then API calls', async () => {
  const formBrowser = async (url: string) => {
    const params = Object.fromEntries(new URL(url).searchParams);
    expect(params).toMatchObject({ response_type: 'code', code_challenge_method: 'S256', client_id: sim.interactiveClientId });
    expect(params.redirect_uri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(params.state.length).toBeGreaterThan(16);
    expect(await (await fetch(url)).text()).toMatch(/<form/);
    const signedIn = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...params, username, password: 'Corr3ct-Horse' }).toString(),
    });
    expect(await signedIn.text()).toMatch(/Signed in to PingOne/);
  };
  const c = client({ openBrowser: formBrowser });
  expect(await c.users.list().toArray()).toHaveLength(5);
  expect(grants()).toEqual(['authorization_code']);
});

test('refresh before expiry with the refresh token, no second sign-in', async () => {
  await sim.close();
  sim = await startSimulator({ seed: 'demo', users: 2, tokenLifetimeSeconds: 61 }); // within the 60 s skew: stale at once
  sim.oauth.autoApprove(String([...sim.store.environment(sim.environmentId)!.users.values()][0].data.username));
  opened.length = 0;
  const c = client();
  await c.users.list().toArray();
  await new Promise((r) => setTimeout(r, 1100)); // the token is now within a minute of expiry
  await c.users.list().toArray();
  expect(opened).toHaveLength(1);
  expect(grants()).toEqual(['authorization_code', 'refresh_token']);
});

test('tokens persist in a 0600 file and a later run reuses them without signing in', async () => {
  sim.oauth.autoApprove(username);
  const file = join(tempDir(), 'settings.json');
  const populations = (await client({ settingsLocation: file }).populations.list().toArray()).length;
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ accessToken: expect.any(String), refreshToken: expect.any(String) });
  const neverOpen = async () => {
    throw new Error('should not sign in again');
  };
  const later = client({ settingsLocation: file, openBrowser: neverOpen, initiate: 'REFRESH' });
  expect(await later.populations.list().toArray()).toHaveLength(populations);
  expect(grants()).toEqual(['authorization_code']); // the stored access token was still valid
});

test('a redirect with another state is refused', async () => {
  const forging = async (url: string) => {
    const redirected = await fetch(url, { redirect: 'manual' });
    const location = new URL(redirected.headers.get('location')!);
    location.searchParams.set('state', 'forged');
    await fetch(location);
  };
  sim.oauth.autoApprove(username);
  const error = await client({ openBrowser: forging })
    .users.list()
    .toArray()
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(PingOneAuthError);
  expect((error as Error).message).toMatch(/state in the redirect does not match/);
  expect(grants()).toEqual([]);
});

test('a revoked refresh token gives a clear error asking to sign in again; signOut revokes', async () => {
  sim.oauth.autoApprove(username);
  const file = join(tempDir(), 'settings.json');
  const first = client({ settingsLocation: file });
  await first.users.list().toArray();
  const stored = JSON.parse(readFileSync(file, 'utf8')) as { refreshToken: string };
  await first.signOut();
  expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({});
  // Put the (now revoked) tokens back, with an expired access token, as an old settings file would hold them.
  const { writeFileSync } = await import('node:fs');
  writeFileSync(file, JSON.stringify({ refreshToken: stored.refreshToken, accessToken: 'old', accessTokenExpiresAt: 0 }), { mode: 0o600 });
  const error = await client({ settingsLocation: file, initiate: 'REFRESH' })
    .users.list()
    .toArray()
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(PingOneAuthError);
  expect((error as Error).message).toMatch(/can no longer be refreshed.*Sign in again/);
});

test('InitiateOAuth=OFF with nothing stored asks to sign in first', async () => {
  const error = await client({ initiate: 'OFF' })
    .users.list()
    .toArray()
    .catch((e: unknown) => e);
  expect((error as Error).message).toMatch(/No usable PingOne sign-in is stored.*GETANDREFRESH/);
});
