import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApi, type TestApi } from './helpers/http';
import { describeWithReference, REFERENCE_DIR } from './evidence/reference-data';
import { OpenApiValidator } from './evidence/openapi-validator';

/*
 * The user operations PingOne offers instead of attributes: account lock and unlock (POST /users/{id} by content
 * type), mfaEnabled (its own PUT), the password's operations (POST /users/{id}/password by content type), and the
 * attributes a PUT or PATCH of the user ignores because of them.
 */
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ seed: 'demo', users: 5 });
});
afterAll(() => api.close());

const ACCOUNT_LOCK = 'application/vnd.pingidentity.account.lock+json';
const ACCOUNT_UNLOCK = 'application/vnd.pingidentity.account.unlock+json';

/** A request with a content type and possibly no body (api.call sends a content type only with a body). */
async function post(path: string, contentType: string, body?: unknown): Promise<{ status: number; body: any }> {
  const url = `${api.sim.apiUrl}/environments/${api.env}${path}`;
  const res = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${await api.token()}`, 'content-type': contentType },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function newUser(username: string): Promise<any> {
  return (await api.call('POST', '/users', { username, email: `${username}@example.com` })).body;
}

test('PATCH and PUT ignore account, mfaEnabled and lifecycle, as PingOne does', async () => {
  const user = await newUser('ignored');
  const patched = (
    await api.call('PATCH', `/users/${user.id}`, {
      title: 'T',
      mfaEnabled: true,
      account: { status: 'LOCKED', canAuthenticate: false },
      lifecycle: { status: 'VERIFICATION_REQUIRED' },
    })
  ).body;
  expect(patched).toMatchObject({
    title: 'T',
    mfaEnabled: false,
    account: { status: 'OK', canAuthenticate: true },
    lifecycle: { status: 'ACCOUNT_OK' },
  });
  const replaced = (
    await api.call('PUT', `/users/${user.id}`, {
      username: 'ignored',
      email: 'i@example.com',
      mfaEnabled: true,
      account: { status: 'LOCKED' },
    })
  ).body;
  expect(replaced).toMatchObject({ mfaEnabled: false, account: { status: 'OK' } });
  const created = (await api.call('POST', '/users', { username: 'created.locked', email: 'c@example.com', account: { status: 'LOCKED' } }))
    .body;
  expect(created.account).toEqual({ canAuthenticate: true, status: 'OK' });
});

test('PUT /users/{id}/mfaEnabled changes it', async () => {
  const user = await newUser('mfa');
  const res = await api.call('PUT', `/users/${user.id}/mfaEnabled`, { mfaEnabled: true });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ mfaEnabled: true, _links: { self: { href: expect.stringMatching(/\/mfaEnabled$/) } } });
  expect((await api.call('GET', `/users/${user.id}`)).body.mfaEnabled).toBe(true);
  expect((await api.call('PUT', `/users/${user.id}/mfaEnabled`, { mfaEnabled: 'yes' })).status).toBe(400);
  expect((await api.call('PUT', '/users/00000000-0000-4000-8000-000000000000/mfaEnabled', { mfaEnabled: true })).status).toBe(404);
});

test('account lock with a future unlockAt locks (with lockedAt, secondsUntilUnlock); without one it does not; unlock unlocks', async () => {
  const user = await newUser('lockme');
  const notLocked = await post(`/users/${user.id}`, ACCOUNT_LOCK);
  expect(notLocked.status).toBe(200);
  expect(notLocked.body.account.status).toBe('OK'); // "If unlockAt is not set or is in the past, the user account is not locked"
  expect((await post(`/users/${user.id}`, ACCOUNT_LOCK, { unlockAt: '2001-01-01T00:00:00Z' })).body.account.status).toBe('OK');
  const until = new Date(Date.now() + 3_600_000).toISOString();
  const locked = await post(`/users/${user.id}`, ACCOUNT_LOCK, { unlockAt: until });
  expect(locked.body.account).toMatchObject({ status: 'LOCKED', canAuthenticate: false, unlockAt: until, lockedAt: expect.any(String) });
  expect(locked.body.account.secondsUntilUnlock).toBeGreaterThan(3590);
  const unlocked = await post(`/users/${user.id}`, ACCOUNT_UNLOCK);
  expect(unlocked.body.account).toEqual({ canAuthenticate: true, status: 'OK' });
  // any other content type on POST /users/{id} is refused
  expect((await post(`/users/${user.id}`, 'application/json', {})).status).toBe(415);
});

test('password operations by content type: check, reset, forceChange, sendRecoveryCode + recover, unlock; 415 for others', async () => {
  const user = await newUser('pw');
  const path = `/users/${user.id}/password`;
  const check = (password: string) => post(path, 'application/vnd.pingidentity.password.check+json', { password });
  expect((await check('anything')).status).toBe(400); // NO_PASSWORD
  expect((await api.call('GET', path)).body.status).toBe('NO_PASSWORD');
  await api.call('PUT', path, { value: 'Fir5t!pass', forceChange: false }, 'application/vnd.pingidentity.password.set+json');
  expect(await check('Fir5t!pass')).toMatchObject({ status: 200, body: { status: 'OK' } });
  const wrong = await check('wrong');
  expect(wrong.status).toBe(400);
  expect(wrong.body).toMatchObject({ code: 'INVALID_DATA', details: [{ target: 'password' }] });
  expect(
    (await post(path, 'application/vnd.pingidentity.password.reset+json', { currentPassword: 'wrong', newPassword: 'x' })).status,
  ).toBe(400);
  expect(
    (await post(path, 'application/vnd.pingidentity.password.reset+json', { currentPassword: 'Fir5t!pass', newPassword: 'Sec0nd!pass' }))
      .status,
  ).toBe(200);
  expect((await check('Sec0nd!pass')).status).toBe(200);
  expect((await post(path, 'application/vnd.pingidentity.password.forceChange')).body.status).toBe('MUST_CHANGE_PASSWORD');
  expect((await post(path, 'application/vnd.pingidentity.password.sendRecoveryCode')).status).toBe(200);
  const code = api.sim.store.environment(api.env)!.passwords.get(user.id)!.recoveryCode!;
  expect(code).toMatch(/^\d{6}$/);
  expect((await post(path, 'application/vnd.pingidentity.password.recover+json', { recoveryCode: 'nope', newPassword: 'x' })).status).toBe(
    400,
  );
  expect(
    (await post(path, 'application/vnd.pingidentity.password.recover+json', { recoveryCode: code, newPassword: 'Th1rd!pass' })).body.status,
  ).toBe('OK');
  expect((await check('Th1rd!pass')).status).toBe(200);
  expect((await post(path, 'application/vnd.pingidentity.password.unlock')).status).toBe(200);
  expect((await post(path, 'application/json', { password: 'x' })).status).toBe(415);
  // no password ever reaches the request log
  expect(JSON.stringify(api.sim.requests.all())).not.toMatch(/Fir5t|Sec0nd|Th1rd/);
});

describeWithReference('the new operations against the OpenAPI spec', () => {
  test("lock and unlock use the spec's EnumUserAccountContentTypeHeader, and answer a valid User", async () => {
    const spec = readFileSync(join(REFERENCE_DIR, 'openapi/pingone-management.yml'), 'utf8');
    const declared = /EnumUserAccountContentTypeHeader:\s*\n\s*type: string\s*\n\s*enum: \[([^\]]*)\]/
      .exec(spec)![1]
      .split(',')
      .map((s) => s.trim());
    expect(declared.sort()).toEqual([ACCOUNT_LOCK, ACCOUNT_UNLOCK].sort());
    // the password content types the spec names (as examples of the content-type header)
    for (const type of ['application/vnd.pingidentity.password.recover+json', 'application/vnd.pingidentity.password.set+json'])
      expect(spec).toContain(`example: ${type}`);
    const validator = new OpenApiValidator();
    const user = await newUser('spec.lock');
    const locked = await post(`/users/${user.id}`, ACCOUNT_LOCK, { unlockAt: new Date(Date.now() + 60_000).toISOString() });
    expect(validator.errors('User', locked.body)).toEqual([]);
    expect(validator.errors('UserAccount', locked.body.account)).toEqual([]);
    expect(validator.errors('User', (await post(`/users/${user.id}`, ACCOUNT_UNLOCK)).body)).toEqual([]);
    expect(validator.errors('P1Error', (await post(`/users/${user.id}`, 'application/json', {})).body)).toEqual([]);
  });
});
