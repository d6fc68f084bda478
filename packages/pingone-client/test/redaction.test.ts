import { inspect } from 'node:util';
import { createPingOneClient } from '../src';
import { startHarness, tokenCalls, type Harness } from './helpers/client-under-test';

let h: Harness;
afterEach(() => h.close());

test('neither the client secret nor any token appears in log lines, error messages or util.inspect of errors', async () => {
  h = await startHarness({ seed: 'demo', users: 5 });
  const captured: string[] = [];
  const collect = (e: unknown) => { captured.push(String((e as Error).message), inspect(e, { depth: 10 }), JSON.stringify(e)); };
  await h.client.users.list().toArray();
  h.sim.faults.expireAllTokens();
  await h.client.users.list().toArray(); // forces a refresh: two tokens issued
  for (const status of [400, 401, 403, 404, 429, 500, 503]) {
    h.sim.faults.failNext(10, { status, retryAfterSeconds: 0 });
    await h.client.groups.create({ name: `G${status}` }).catch(collect);
  }
  await h.client.users.get('missing').catch(collect);
  const bad = createPingOneClient({ ...h.options, clientSecret: 'wrong-secret-123456', logger: { debug: (m) => captured.push(m), warn: (m) => captured.push(m) } });
  await bad.users.list().toArray().catch(collect);
  captured.push(...h.log.lines);
  const everything = captured.join('\n');
  expect(captured.length).toBeGreaterThan(20);
  expect(tokenCalls(h.sim).length).toBeGreaterThanOrEqual(3);
  expect(everything).not.toContain(h.sim.credentials.clientSecret);
  expect(everything).not.toContain('wrong-secret-123456');
  // The simulator's tokens are JWT-shaped; none of the (at least three) issued ones may show up anywhere.
  expect(everything).not.toMatch(/eyJhbGciOiJSUzI1NiJ9\.[\w-]+\.[\w-]+/);
  expect(everything).not.toMatch(/Basic [A-Za-z0-9+/=]{10,}/);
});

test('a secret echoed back by the server in an error body is scrubbed', async () => {
  h = await startHarness();
  const { SecretRedactor } = await import('../src/redact');
  const redactor = new SecretRedactor();
  redactor.add('s3cr3t-value');
  expect(redactor.redact('oops: client_secret=s3cr3t-value&x=1 Authorization: Bearer abc.def')).toBe('oops: client_secret=[REDACTED]&x=1 Authorization: Bearer [REDACTED]');
});
