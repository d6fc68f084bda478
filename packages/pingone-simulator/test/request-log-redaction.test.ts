import { inspect } from 'node:util';
import { startTestApi, type TestApi } from './helpers/http';

const IMPORT = 'application/vnd.pingidentity.user.import+json';
const PASSWORD_SET = 'application/vnd.pingidentity.password.set+json';

let api: TestApi;
beforeEach(async () => {
  api = await startTestApi({ seed: 'demo', users: 3 });
});
afterEach(() => api.close());

/** The log as every consumer sees it: in code, JSON, util.inspect, and over HTTP. */
async function logText(): Promise<string> {
  const overHttp = await (await fetch(`${api.sim.url}/__simulator/requests`)).text();
  return [JSON.stringify(api.sim.requests.all()), inspect(api.sim.requests.all(), { depth: 10 }), overHttp].join('\n');
}

test('PUT /users/{id}/password bodies and the import type password.value are redacted, keeping forceChange', async () => {
  const created = await api.call(
    'POST',
    '/users',
    { username: 'pw', email: 'pw@example.com', password: { value: 'Imp0rt-Secret!', forceChange: true } },
    IMPORT,
  );
  expect(created.status).toBe(201);
  const set = await api.call('PUT', `/users/${created.body.id}/password`, { value: 'S3t-Secret!', forceChange: false }, PASSWORD_SET);
  expect(set.status).toBeLessThan(300);
  expect(api.sim.store.environment(api.env)!.passwords.get(created.body.id)).toEqual({ value: 'S3t-Secret!', forceChange: false });
  const entries = api.sim.requests.api();
  expect(entries.find((e) => e.method === 'POST')!.body).toMatchObject({
    username: 'pw',
    password: { value: '[REDACTED]', forceChange: true },
  });
  expect(entries.find((e) => e.method === 'PUT')!.body).toEqual({ value: '[REDACTED]', forceChange: false });
  const text = await logText();
  expect(text).not.toContain('Imp0rt-Secret!');
  expect(text).not.toContain('S3t-Secret!');
});

test('the token endpoint entries redact client_secret and the Basic Authorization header', async () => {
  const { clientId, clientSecret } = api.sim.credentials;
  const basic = Buffer.from(`${clientId}:${clientSecret}`).toString('base64');
  await api.token();
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
  const posted = await fetch(`${api.sim.authUrl}/${api.env}/as/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  // the default worker authenticates with CLIENT_SECRET_BASIC, so the form secret is refused (401): it is still logged redacted
  expect(posted.status).toBe(401);
  const tokenEntries = api.sim.requests.all().filter((e) => e.kind === 'token');
  expect(tokenEntries).toHaveLength(2);
  expect(tokenEntries[0].headers.authorization).toBe('Basic [REDACTED]');
  expect(tokenEntries[1].body).toEqual({ grant_type: 'client_credentials', client_id: clientId, client_secret: '[REDACTED]' });
  const text = await logText();
  expect(text).not.toContain(clientSecret);
  expect(text).not.toContain(basic);
  for (const token of api.sim.store.tokens.issued()) expect(text).not.toContain(token);
});

test('a custom fault body fills {authorization} and {credential} from the request, for echo tests', async () => {
  const token = await api.token();
  api.sim.faults.failNext(1, {
    status: 400,
    path: '/users',
    body: {
      code: 'INVALID_DATA',
      message: 'm',
      details: [{ code: 'X', target: '{credential}', message: 'd', innerError: { h: '{authorization}' } }],
    },
  });
  const res = await fetch(`${api.sim.apiUrl}/environments/${api.env}/users`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(400);
  const body = (await res.json()) as { id: string; details: { target: string; innerError: { h: string } }[] };
  expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
  expect(body.details[0]).toMatchObject({ target: token, innerError: { h: `Bearer ${token}` } });
  api.sim.faults.failTokenEndpoint(1, 401, { error: 'invalid_client', error_description: 'echo {credential}' });
  const basic = Buffer.from(`${api.sim.credentials.clientId}:${api.sim.credentials.clientSecret}`).toString('base64');
  const failed = await fetch(`${api.sim.authUrl}/${api.env}/as/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  expect(failed.status).toBe(401);
  expect(await failed.json()).toEqual({ error: 'invalid_client', error_description: `echo ${basic}` });
});
