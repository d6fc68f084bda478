import { PingOneAuthError, PingOneApiError } from '../src';
import { startHarness, tokenCalls, type Harness } from './helpers/client-under-test';

let h: Harness;
afterEach(() => h?.close());

test('one token serves many requests', async () => {
  h = await startHarness({ seed: 'demo', users: 5 });
  for (let i = 0; i < 5; i++) await h.client.users.list({ limit: 1 }).toArray({ max: 1 });
  expect(tokenCalls(h.sim)).toHaveLength(1);
  expect(h.sim.requests.api()).toHaveLength(5);
});

test('concurrent requests share one token fetch', async () => {
  h = await startHarness({ seed: 'demo', users: 5 });
  await Promise.all(Array.from({ length: 20 }, () => h.client.populations.list().toArray()));
  expect(tokenCalls(h.sim)).toHaveLength(1);
  expect(h.sim.requests.api()).toHaveLength(20);
});

test('a token close to expiry is replaced before use', async () => {
  // Lifetime 61 s with the default 60 s skew: every token is "about to expire" one second after issue.
  h = await startHarness({ tokenLifetimeSeconds: 61 });
  await h.client.populations.list().toArray();
  await new Promise((r) => setTimeout(r, 1100));
  await h.client.populations.list().toArray();
  expect(tokenCalls(h.sim)).toHaveLength(2);
});

test('401 INVALID_TOKEN invalidates the token, refreshes once and repeats the request once', async () => {
  h = await startHarness();
  await h.client.populations.list().toArray();
  h.sim.faults.expireAllTokens();
  h.sim.requests.clear();
  const populations = await h.client.populations.list().toArray();
  expect(populations).toHaveLength(1);
  expect(h.sim.requests.all().map((r) => `${r.kind} ${r.status}`)).toEqual(['api 401', 'token 200', 'api 200']);
});

test('a second 401 after the refresh surfaces as an API error (no loop)', async () => {
  h = await startHarness();
  await h.client.populations.list().toArray();
  h.sim.faults.failNext(2, { status: 401 });
  h.sim.requests.clear();
  const error = await h.client.populations
    .list()
    .toArray()
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(PingOneApiError);
  expect((error as PingOneApiError).status).toBe(401);
  expect(h.sim.requests.api()).toHaveLength(2);
  expect(tokenCalls(h.sim)).toHaveLength(1);
});

test('wrong credentials fail fast with PingOneAuthError and a fix, without retrying', async () => {
  h = await startHarness({}, { clientSecret: 'definitely-wrong-secret' });
  const error = await h.client.users
    .list()
    .toArray()
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(PingOneAuthError);
  expect((error as PingOneAuthError).message).toMatch(/401 invalid_client.*client id and secret/);
  expect((error as Error).message).not.toContain('definitely-wrong-secret');
  expect(tokenCalls(h.sim)).toHaveLength(1);
  expect(h.sim.requests.api()).toHaveLength(0);
});

test('client_secret_post works with a worker app set to CLIENT_SECRET_POST', async () => {
  h = await startHarness({ workerAuthMethod: 'CLIENT_SECRET_POST' }, { tokenEndpointAuthMethod: 'client_secret_post' });
  await h.client.populations.list().toArray();
  expect(tokenCalls(h.sim)[0].body).toMatchObject({ grant_type: 'client_credentials', client_secret: '[REDACTED]' });
});

test("a method the worker app doesn't use is PingOne's 401 invalid_client", async () => {
  h = await startHarness({}, { tokenEndpointAuthMethod: 'client_secret_post' });
  const error = await h.client.populations
    .list()
    .toArray()
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(PingOneAuthError);
  expect((error as PingOneAuthError).status).toBe(401);
});

test('a flaky token endpoint is retried; one that keeps failing gives up with an auth error', async () => {
  h = await startHarness();
  h.sim.faults.failTokenEndpoint(2, 503);
  await h.client.populations.list().toArray();
  expect(tokenCalls(h.sim).map((r) => r.status)).toEqual([503, 503, 200]);
  const broken = await startHarness();
  try {
    broken.sim.faults.failTokenEndpoint(Infinity, 500);
    const error = await broken.client.populations
      .list()
      .toArray()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PingOneAuthError);
    expect(tokenCalls(broken.sim)).toHaveLength(4);
  } finally {
    await broken.close();
  }
});

test('a pre-issued access token is used as is', async () => {
  const first = await startHarness();
  h = first; // closed by afterEach even if fetching the token fails
  const token = await (async () => {
    const basic = Buffer.from(`${first.sim.credentials.clientId}:${first.sim.credentials.clientSecret}`).toString('base64');
    const res = await fetch(`${first.sim.authUrl}/${first.sim.environmentId}/as/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    return ((await res.json()) as { access_token: string }).access_token;
  })();
  const { createPingOneClient } = await import('../src/index.js');
  const client = createPingOneClient({
    environmentId: first.sim.environmentId,
    apiUrl: first.sim.apiUrl,
    accessToken: token,
    rateLimit: false,
  });
  expect(await client.populations.list().toArray()).toHaveLength(1);
});
