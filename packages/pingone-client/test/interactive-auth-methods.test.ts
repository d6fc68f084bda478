import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator } from '@typeorm-pingone/simulator';
import {
  createPingOneClient,
  PingOneAuthError,
  type PingOneConfigError,
  pingOneOptionsFromEnv,
  type InteractiveOAuthOptions,
} from '../src';

/*
 * The authorization code flow authenticates as the application is configured in PingOne (none, client_secret_basic,
 * client_secret_post) for code exchange, refresh and revoke, and always keeps the newest (rotated) refresh token.
 */
let sim: RunningSimulator;
const temporary: string[] = [];
beforeEach(async () => {
  sim = await startSimulator({ seed: 'demo', users: 3 });
  sim.oauth.autoApprove(String([...sim.store.environment(sim.environmentId)!.users.values()][0].data.username));
});
afterEach(async () => {
  await sim.close();
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const browser = async (url: string) => {
  await fetch(url);
};
const client = (interactive: Partial<InteractiveOAuthOptions> & { clientId: string }) =>
  createPingOneClient({
    environmentId: sim.environmentId,
    apiUrl: sim.apiUrl,
    authUrl: sim.authUrl,
    rateLimit: false,
    interactive: { openBrowser: browser, ...interactive },
  });
/** How each token/revoke call authenticated: `basic`, `post` (client_secret in the form) or `none`. */
const authStyles = () =>
  sim.requests
    .all()
    .filter((r) => r.kind === 'token' && !r.path.endsWith('/authorize'))
    .map((r) => {
      const body = (r.body ?? {}) as Record<string, string>;
      const style = r.headers.authorization?.startsWith('Basic') ? 'basic' : body.client_secret !== undefined ? 'post' : 'none';
      return `${r.path.split('/').pop()} ${body.grant_type ?? ''} ${style}`.replace('  ', ' ');
    });

test('a native app (default: none) sends client_id only, for the exchange, the refresh and the revocation', async () => {
  const c = client({ clientId: sim.interactiveClientId });
  await c.users.list().toArray();
  sim.faults.expireAllTokens();
  await c.users.list().toArray();
  await c.signOut();
  expect(authStyles()).toEqual(['token authorization_code none', 'token refresh_token none', 'revoke none']);
});

test("a web app with a secret defaults to client_secret_basic, PingOne's default for web apps", async () => {
  const c = client({ clientId: sim.webApplication.clientId, clientSecret: sim.webApplication.clientSecret });
  await c.users.list().toArray();
  sim.faults.expireAllTokens();
  await c.users.list().toArray();
  await c.signOut();
  expect(authStyles()).toEqual(['token authorization_code basic', 'token refresh_token basic', 'revoke basic']);
  expect(JSON.stringify(sim.requests.all())).not.toContain(sim.webApplication.clientSecret);
});

test('client_secret_post is used when configured; a method the app does not use is a clear PingOneAuthError', async () => {
  const app = sim.oauth.addApplication({ tokenEndpointAuthMethod: 'CLIENT_SECRET_POST' });
  await client({ clientId: app.clientId, clientSecret: app.clientSecret, tokenEndpointAuthMethod: 'client_secret_post' })
    .users.list()
    .toArray();
  expect(authStyles()).toEqual(['token authorization_code post']);
  const error = await client({ clientId: app.clientId, clientSecret: app.clientSecret })
    .users.list()
    .toArray()
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(PingOneAuthError);
  expect((error as PingOneAuthError).status).toBe(401);
  expect((error as Error).message).toMatch(
    /401 invalid_client.*authenticated with client_secret_basic; set interactive.tokenEndpointAuthMethod/,
  );
  expect((error as Error).message).not.toContain(app.clientSecret);
});

test('rotation: every refresh stores the newest refresh token, so repeated refreshes never trip replay protection', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pingone-rotation-'));
  temporary.push(dir);
  const file = join(dir, 'settings.json');
  let signIns = 0;
  const c = client({
    clientId: sim.interactiveClientId,
    settingsLocation: file,
    openBrowser: async (url) => {
      signIns++;
      await fetch(url);
    },
  });
  await c.users.list().toArray();
  const stored: string[] = [JSON.parse(readFileSync(file, 'utf8')).refreshToken];
  for (let i = 0; i < 3; i++) {
    sim.faults.expireAllTokens();
    await c.users.list().toArray();
    stored.push(JSON.parse(readFileSync(file, 'utf8')).refreshToken);
  }
  expect(new Set(stored).size).toBe(4);
  expect(signIns).toBe(1);
  expect(authStyles()).toEqual(['token authorization_code none', ...Array(3).fill('token refresh_token none')]);
});

test('a stale copy replaying an old refresh token revokes the sign-in; the next refresh asks to sign in again', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pingone-replay-'));
  temporary.push(dir);
  const file = join(dir, 'settings.json');
  const first = client({ clientId: sim.interactiveClientId, settingsLocation: file });
  await first.users.list().toArray();
  const old = readFileSync(file, 'utf8');
  sim.faults.expireAllTokens();
  await first.users.list().toArray(); // rotates: the copy below now holds a spent token
  const copy = join(dir, 'copy.json');
  writeFileSync(copy, old, { mode: 0o600 });
  const stale = client({ clientId: sim.interactiveClientId, settingsLocation: copy, initiate: 'REFRESH' });
  sim.faults.expireAllTokens();
  const replayed = await stale.users
    .list()
    .toArray()
    .catch((e: unknown) => e);
  expect((replayed as Error).message).toMatch(/can no longer be refreshed.*already used.*Sign in again/);
  expect(JSON.parse(readFileSync(copy, 'utf8'))).toEqual({});
  // the replay revoked the whole chain: the first client's newest refresh token is dead too
  const after = createPingOneClient({
    environmentId: sim.environmentId,
    apiUrl: sim.apiUrl,
    authUrl: sim.authUrl,
    rateLimit: false,
    interactive: { clientId: sim.interactiveClientId, settingsLocation: file, initiate: 'REFRESH' },
  });
  sim.faults.expireAllTokens();
  expect(
    await after.users
      .list()
      .toArray()
      .catch((e: unknown) => e),
  ).toBeInstanceOf(PingOneAuthError);
});

test('the method is validated against the secret, and comes from PINGONE_TOKEN_ENDPOINT_AUTH_METHOD with AuthScheme=OAuth', () => {
  const base = { environmentId: sim.environmentId };
  const configError = (interactive: InteractiveOAuthOptions) => {
    try {
      createPingOneClient({ ...base, interactive });
    } catch (error) {
      return error as PingOneConfigError;
    }
    throw new Error('expected a configuration error');
  };
  expect(configError({ clientId: 'a', clientSecret: 's', tokenEndpointAuthMethod: 'none' }).message).toMatch(
    /none \(a native app\) but a clientSecret is given/,
  );
  expect(configError({ clientId: 'a', tokenEndpointAuthMethod: 'client_secret_post' }).message).toMatch(/needs 'interactive.clientSecret'/);
  expect(configError({ clientId: 'a', tokenEndpointAuthMethod: 'jwt' as never }).message).toMatch(
    /must be none, client_secret_basic or client_secret_post/,
  );
  const options = pingOneOptionsFromEnv({
    PINGONE_ENVIRONMENT_ID: sim.environmentId,
    PINGONE_AUTH_SCHEME: 'OAuth',
    PINGONE_CLIENT_ID: 'app',
    PINGONE_CLIENT_SECRET: 'secret-value',
    PINGONE_TOKEN_ENDPOINT_AUTH_METHOD: 'CLIENT_SECRET_POST',
  });
  expect(options.interactive).toMatchObject({ clientId: 'app', tokenEndpointAuthMethod: 'client_secret_post' });
  expect(options.tokenEndpointAuthMethod).toBeUndefined();
});
