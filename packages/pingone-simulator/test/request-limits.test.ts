import { request } from 'node:http';
import { startTestApi, type TestApi } from './helpers/http';

/*
 * Request lines over 8,192 bytes answer 414 and header blocks over PingOne's 6 KB answer 431, each with a
 * PingOne-shaped error body saying what to do; a head beyond what Node buffers still gets a body.
 */
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ seed: 'demo', users: 3 });
});
afterAll(() => api.close());

const filterOf = (length: number) => `/users?filter=${encodeURIComponent(`username eq "${'a'.repeat(length)}"`)}`;

/** A raw GET (fetch refuses very large headers itself). */
function rawGet(path: string, headers: Record<string, string>): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(`${api.sim.apiUrl}/environments/${api.env}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

test('a request line just under the limit passes; over it is 414 with SIZE_LIMIT_EXCEEDED', async () => {
  const token = await api.token();
  const fixed = Buffer.byteLength(`GET /v1/environments/${api.env}${filterOf(0)} HTTP/1.1`);
  expect((await rawGet(filterOf(8192 - fixed), { authorization: `Bearer ${token}` })).status).toBe(200);
  const over = await rawGet(filterOf(8192 - fixed + 1), { authorization: `Bearer ${token}` });
  expect(over.status).toBe(414);
  expect(over.body).toMatchObject({
    code: 'INVALID_REQUEST',
    message: 'URI Too Long',
    details: [{ code: 'SIZE_LIMIT_EXCEEDED', target: 'url', innerError: { maximumValue: 8192 } }],
  });
  expect(over.body.details[0].message).toMatch(/split a long OR or IN list/);
});

test('a 1 MB filter value is a 414 with a short body, not a bare 431', async () => {
  const res = await rawGet(filterOf(1024 * 1024), { authorization: `Bearer ${await api.token()}` });
  expect(res.status).toBe(414);
  expect(JSON.stringify(res.body).length).toBeLessThan(1000);
});

test('headers over 6 KB are 431; the token endpoint has the same limits', async () => {
  const token = await api.token();
  const res = await rawGet('/users?limit=1', { authorization: `Bearer ${token}`, 'x-padding': 'p'.repeat(6200) });
  expect(res).toMatchObject({
    status: 431,
    body: { code: 'INVALID_REQUEST', details: [{ code: 'SIZE_LIMIT_EXCEEDED', target: 'headers', innerError: { maximumValue: 6144 } }] },
  });
  expect((await rawGet('/users?limit=1', { authorization: `Bearer ${token}`, 'x-padding': 'p'.repeat(5000) })).status).toBe(200);
  const tokenCall = await fetch(`${api.sim.authUrl}/${api.env}/as/token?${'x'.repeat(9000)}`, {
    method: 'POST',
    body: 'grant_type=client_credentials',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  expect(tokenCall.status).toBe(414);
});

test('a head beyond what Node buffers still answers 431 with an error body', async () => {
  const res = await rawGet('/users', { 'x-huge': 'h'.repeat(5 * 1024 * 1024) });
  expect(res).toMatchObject({ status: 431, body: { code: 'INVALID_REQUEST', details: [{ code: 'SIZE_LIMIT_EXCEEDED' }] } });
});

test('requestLimits are configurable and can be turned off', async () => {
  const off = await startTestApi({ requestLimits: false });
  const small = await startTestApi({ requestLimits: { maxRequestLineBytes: 200 } });
  try {
    expect((await off.call('GET', filterOf(9000))).status).toBe(200); // over 8,192 bytes, under the parser's own 10,000-character cap
    expect((await small.call('GET', filterOf(200))).status).toBe(414);
  } finally {
    await off.close();
    await small.close();
  }
});
