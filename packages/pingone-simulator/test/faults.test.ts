import { request } from 'node:http';
import { startTestApi, type TestApi } from './helpers/http';

let api: TestApi;
beforeEach(async () => {
  api = await startTestApi({ seed: 'demo', users: 30 });
});
afterEach(() => api?.close());

test('failNext answers the next matching requests with the status, PingOne body and Retry-After', async () => {
  api.sim.faults.failNext(2, { status: 503, retryAfterSeconds: 2, path: '/users' });
  const first = await api.call('GET', '/users');
  expect(first.status).toBe(503);
  expect(first.headers.get('retry-after')).toBe('2');
  expect(first.body).toMatchObject({ id: expect.any(String), code: 'UNEXPECTED_ERROR' });
  expect((await api.call('GET', '/groups')).status).toBe(200); // path doesn't match: not consumed
  expect((await api.call('GET', '/users')).status).toBe(503);
  expect((await api.call('GET', '/users')).status).toBe(200);
});

test('the rate limit answers 429 REQUEST_LIMITED with Retry-After once exceeded', async () => {
  api.sim.faults.setRateLimit({ requestsPerSecond: 3, retryAfterSeconds: 1 });
  const statuses = [];
  for (let i = 0; i < 5; i++) statuses.push((await api.call('GET', '/users?limit=1')).status);
  expect(statuses).toEqual([200, 200, 200, 429, 429]);
  const limited = await api.call('GET', '/users?limit=1');
  expect(limited.body).toMatchObject({ code: 'REQUEST_LIMITED', details: [{ code: 'LIMIT_EXCEEDED' }] });
  expect(limited.headers.get('retry-after')).toBe('1');
});

// In simulated time (jest's fake timers; sockets stay real), so the delay is checked exactly, not against a clock.
test('latency delays responses', async () => {
  await api.call('GET', '/users?limit=1'); // token first, without latency
  api.sim.faults.setLatency(120);
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  try {
    let answered = false;
    const call = api.call('GET', '/users?limit=1').then((res) => {
      answered = true;
      return res;
    });
    for (let i = 0; i < 200 && jest.getTimerCount() === 0; i++) await new Promise((r) => setImmediate(r));
    expect(jest.getTimerCount()).toBe(1); // the simulator's latency timer
    await jest.advanceTimersByTimeAsync(119);
    expect(answered).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    jest.useRealTimers();
    expect((await call).status).toBe(200);
  } finally {
    jest.useRealTimers();
  }
});

test('cutNext sends headers and part of the body, then drops the connection', async () => {
  const token = await api.token();
  api.sim.faults.cutNext(1, { path: '/users' });
  const url = new URL(`${api.sim.apiUrl}/environments/${api.env}/users`);
  const outcome = await new Promise<string>((resolve) => {
    const req = request(url, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      let received = 0;
      res.on('data', (c: Buffer) => {
        received += c.length;
      });
      res.on('error', () => resolve(`aborted after ${received} bytes, status ${res.statusCode}`));
      res.on('aborted', () => resolve(`aborted after ${received} bytes, status ${res.statusCode}`));
      res.on('end', () => resolve(`complete ${received}`));
    });
    req.on('error', (e) => resolve(`request error ${e.message}`));
    req.end();
  });
  expect(outcome).toMatch(/^aborted after \d+ bytes, status 200$/);
  expect((await api.call('GET', '/users?limit=1')).status).toBe(200);
});

test('the request log records method, path, decoded query, status, and redacts the bearer token', async () => {
  api.sim.requests.clear();
  await api.call('GET', `/users?limit=5&filter=${encodeURIComponent('username sw "a"')}`);
  const [entry] = api.sim.requests.api();
  expect(entry).toMatchObject({
    method: 'GET',
    path: `/v1/environments/${api.env}/users`,
    query: { limit: '5', filter: 'username sw "a"' },
    status: 200,
    kind: 'api',
  });
  expect(entry.headers.authorization).toBe('Bearer [REDACTED]');
});

test('the control endpoint drives faults and reads the log from another process', async () => {
  const control = (path: string, body?: object) =>
    fetch(
      `${api.sim.url}/__simulator/${path}`,
      body ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {},
    );
  expect((await control('faults', { action: 'failNext', count: 1, status: 500 })).status).toBe(204);
  expect((await api.call('GET', '/users')).status).toBe(500);
  const log = (await (await control('requests')).json()) as { status: number }[];
  expect(log.some((e) => e.status === 500)).toBe(true);
  expect((await control('faults', { action: 'explode' })).status).toBe(400);
  expect(((await (await control('info')).json()) as { environmentId: string }).environmentId).toBe(api.env);
});

test('hostile input never takes the server down', async () => {
  const token = await api.token();
  const hostile = [
    '/users/%E0%A4%A',
    '/users?filter=' + '('.repeat(5000),
    '/users?filter=%00',
    '/../../etc/passwd',
    '/users?limit=99999999999999999999',
  ];
  for (const path of hostile) {
    const res = await fetch(`${api.sim.apiUrl}/environments/${api.env}${path}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  }
  const huge = await fetch(`${api.sim.apiUrl}/environments/${api.env}/users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: 'x'.repeat(2 * 1024 * 1024),
  }).catch(() => undefined);
  expect(huge === undefined || huge.status === 400).toBe(true);
  expect((await api.call('GET', '/users?limit=1')).status).toBe(200);
});
