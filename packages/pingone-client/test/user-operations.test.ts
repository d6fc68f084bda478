import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { createPingOneClient, ServerClock } from '../src';
import { startHarness, type Harness } from './helpers/client-under-test';

/*
 * The user operations PingOne runs through their own endpoints and content types (mfaEnabled, account lock/unlock,
 * password check/reset/recover/forceChange/unlock), and the server clock the driver reads PingOne's time from.
 */
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const lastRequest = (harness: Harness) => harness.sim.requests.api().at(-1)!;

test("mfaEnabled, lock and unlock go to their endpoints with PingOne's content types", async () => {
  h = await startHarness({ seed: 'demo', users: 3 });
  const { users } = h.client;
  const user = await users.create({ username: 'ops', email: 'ops@example.com' });
  await users.setMfaEnabled(user.id, true);
  expect(lastRequest(h)).toMatchObject({
    method: 'PUT',
    path: expect.stringMatching(/\/users\/[^/]+\/mfaEnabled$/),
    body: { mfaEnabled: true },
  });
  expect((await users.get(user.id)).mfaEnabled).toBe(true);

  const notLocked = await users.lock(user.id);
  expect(lastRequest(h).headers['content-type']).toBe('application/vnd.pingidentity.account.lock+json');
  expect(lastRequest(h).body).toBeUndefined(); // a bodiless POST still carries its content type
  expect(notLocked.account?.status).toBe('OK');
  const locked = await users.lock(user.id, { unlockAt: new Date(Date.now() + 600_000).toISOString() });
  expect(locked.account?.status).toBe('LOCKED');
  const unlocked = await users.unlock(user.id);
  expect(lastRequest(h).headers['content-type']).toBe('application/vnd.pingidentity.account.unlock+json');
  expect(unlocked.account?.status).toBe('OK');
});

test("password operations: set, check (true / false with PingOne's reason), reset, forceChange, recovery code, unlock", async () => {
  h = await startHarness({ seed: 'demo', users: 3 });
  const { users } = h.client;
  const user = await users.create({ username: 'pw', email: 'pw@example.com' });
  expect(await users.checkPassword(user.id, 'x')).toMatchObject({ matches: false });
  expect((await users.passwordState(user.id)).status).toBe('NO_PASSWORD');
  await users.setPassword(user.id, { value: 'Fir5t!pass' });
  expect(await users.checkPassword(user.id, 'Fir5t!pass')).toEqual({ matches: true, status: 'OK' });
  const wrong = await users.checkPassword(user.id, 'nope');
  expect(wrong.matches).toBe(false);
  expect(wrong.status).toEqual(expect.any(String));
  await users.resetPassword(user.id, { currentPassword: 'Fir5t!pass', newPassword: 'Sec0nd!pass' });
  expect((await users.checkPassword(user.id, 'Sec0nd!pass')).matches).toBe(true);
  expect((await users.forcePasswordChange(user.id)).status).toBe('MUST_CHANGE_PASSWORD');
  expect(lastRequest(h).headers['content-type']).toBe('application/vnd.pingidentity.password.forceChange');
  await users.sendPasswordRecoveryCode(user.id);
  const code = h.sim.store.environment(h.sim.environmentId)!.passwords.get(user.id)!.recoveryCode!;
  expect((await users.recoverPassword(user.id, { recoveryCode: code, newPassword: 'Th1rd!pass' })).status).toBe('OK');
  expect((await users.checkPassword(user.id, 'Th1rd!pass')).matches).toBe(true);
  await users.unlockPassword(user.id);
  expect(lastRequest(h).headers['content-type']).toBe('application/vnd.pingidentity.password.unlock');
  // a failed check is an answer, not an error; a missing user is still an error
  await expect(users.checkPassword('00000000-0000-4000-8000-000000000000', 'x')).rejects.toMatchObject({ status: 404 });
  expect(h.log.lines.join('\n')).not.toMatch(/Fir5t|Sec0nd|Th1rd|nope/);
});

describe('ServerClock', () => {
  test("bounds PingOne's time from Date headers alone: a machine clock minutes off changes nothing", async () => {
    // A server whose Date says 2030 while this machine says otherwise: the bounds follow the server.
    const serverTime = Date.parse('2030-05-01T12:00:00.000Z');
    const started = Date.now();
    const server = createServer((_req, res) => {
      const now = serverTime + (Date.now() - started);
      res.writeHead(200, { 'content-type': 'application/json', date: new Date(now).toUTCString() }).end('{"id":"e","name":"x"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const client = createPingOneClient({
        environmentId: '5f6c2f7e-9a3b-4c1d-8e2f-0a1b2c3d4e5f',
        apiUrl: `http://127.0.0.1:${port}/v1`,
        accessToken: 't',
        rateLimit: false,
      });
      expect(client.serverClock.notBefore(client.serverClock.now())).toBeUndefined();
      // each exchange's round trip as seen from here (it contains the client's own): the bounds can be no wider than
      // the Date header's second plus the shortest of them, however slow a busy machine made the others
      const roundTrips: number[] = [];
      for (let i = 0; i < 5; i++) {
        const before = performance.now();
        await client.getEnvironment();
        roundTrips.push(performance.now() - before);
      }
      const at = client.serverClock.now();
      const now = serverTime + (Date.now() - started);
      const low = client.serverClock.notBefore(at)!;
      const high = client.serverClock.notAfter(at)!;
      expect(low).toBeLessThanOrEqual(now);
      expect(high).toBeGreaterThanOrEqual(now - 5);
      expect(high - low).toBeLessThanOrEqual(1000 + Math.ceil(Math.min(...roundTrips)) + 2);
      client.close();
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  test("property: the bounds always contain PingOne's true time, whatever the offsets, latencies and second phases", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -10_000_000, max: 10_000_000 }), // PingOne clock − local monotonic clock
        fc.array(
          fc.record({
            at: fc.integer({ min: 0, max: 100_000 }),
            up: fc.integer({ min: 0, max: 500 }),
            down: fc.integer({ min: 0, max: 500 }),
          }),
          { minLength: 1, maxLength: 20 },
        ),
        fc.integer({ min: 0, max: 200_000 }),
        (offset, exchanges, probe) => {
          const clock = new ServerClock();
          for (const { at, up, down } of exchanges) {
            const serverAt = at + up + offset + 1_700_000_000_000; // PingOne's time when it answered
            clock.observe(new Date(Math.floor(serverAt / 1000) * 1000).toUTCString(), at, at + up + down);
          }
          const truth = probe + offset + 1_700_000_000_000;
          return clock.notBefore(probe)! <= truth && clock.notAfter(probe)! >= truth;
        },
      ),
    );
  });

  test('a clock that was set (an answer outside every earlier bound) starts the bounds over', () => {
    const clock = new ServerClock();
    const base = Date.parse('2030-01-01T00:00:00Z');
    clock.observe(new Date(base).toUTCString(), 0, 10);
    clock.observe(new Date(base - 3_600_000 + 2000).toUTCString(), 2000, 2010); // PingOne's clock went back an hour
    expect(clock.notBefore(2010)).toBe(base - 3_600_000 + 2000);
    expect(clock.notAfter(2010)).toBeGreaterThanOrEqual(base - 3_600_000 + 2000);
  });

  test('an answer without a Date header, or with a malformed one, teaches nothing', () => {
    const clock = new ServerClock();
    clock.observe(undefined, 0, 1);
    clock.observe('not a date', 0, 1);
    expect(clock.notBefore(10)).toBeUndefined();
    expect(clock.notAfter(10)).toBeUndefined();
  });
});
