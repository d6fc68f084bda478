import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import {
  createPingOneClient,
  pingOneOptionsFromEnv,
  pingOneOptionsFromUrl,
  StaticTokenProvider,
  type PingOneApiError,
  type PingOneError,
} from '../src';
import { credentialForms, expectNoLeak, serializeEverything } from './helpers/serialize-everything';
import { startHarness, tokenCalls, type Harness } from './helpers/client-under-test';

let h: Harness;
afterEach(() => h.close());

test('neither the client secret nor any token appears in log lines, error messages or util.inspect of errors', async () => {
  h = await startHarness({ seed: 'demo', users: 5 });
  const captured: string[] = [];
  const collect = (e: unknown) => {
    captured.push(String((e as Error).message), inspect(e, { depth: 10 }), JSON.stringify(e));
  };
  await h.client.users.list().toArray();
  h.sim.faults.expireAllTokens();
  await h.client.users.list().toArray(); // forces a refresh: two tokens issued
  for (const status of [400, 401, 403, 404, 429, 500, 503]) {
    h.sim.faults.failNext(10, { status, retryAfterSeconds: 0 });
    await h.client.groups.create({ name: `G${status}` }).catch(collect);
  }
  await h.client.users.get('missing').catch(collect);
  const bad = createPingOneClient({
    ...h.options,
    clientSecret: 'wrong-secret-123456',
    logger: { debug: (m) => captured.push(m), warn: (m) => captured.push(m) },
  });
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
  const { SecretRedactor } = await import('../src/redact.js');
  const redactor = new SecretRedactor();
  redactor.add('s3cr3t-value');
  expect(redactor.redact('oops: client_secret=s3cr3t-value&x=1 Authorization: Bearer abc.def')).toBe(
    'oops: client_secret=[REDACTED]&x=1 Authorization: Bearer [REDACTED]',
  );
});

describe('no serializer reaches a credential', () => {
  const ECHO_BODY = {
    code: 'INVALID_DATA',
    message: 'Rejected {authorization}',
    details: [
      {
        code: 'INVALID_VALUE',
        target: '{credential}',
        message: 'token {credential} is odd',
        innerError: { echoed: '{authorization}', nested: { list: ['{credential}', 7] } },
      },
      { code: 'INVALID_VALUE', target: 'Authorization', message: 'plain', innerError: { header: 'Bearer {credential}' } },
    ],
  };

  test('client, config, resources, token providers, options and errors of each kind serialize without the secret, its Basic forms or any token', async () => {
    h = await startHarness({ seed: 'demo', users: 5 }, { retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    const { clientId, clientSecret } = h.sim.credentials;
    const texts: string[] = [];
    const keep = (...values: unknown[]) => {
      for (const v of values) texts.push(...serializeEverything(v));
    };
    const caught = async (p: Promise<unknown>): Promise<unknown> =>
      p.then(
        () => {
          throw new Error('expected a failure');
        },
        (e: unknown) => e,
      );
    await h.client.users.list().toArray(); // a token is cached inside the client now
    const other = h.client.withEnvironment(randomUUID());
    keep(h.client, h.client.config, h.client.users, h.client.groups, h.client.populations, other);

    const errors: unknown[] = [];
    // A PingOne error body echoing the bearer token in message, details[].target, details[].message and innerError.
    h.sim.faults.failNext(1, { status: 400, path: '/groups', body: ECHO_BODY });
    errors.push(await caught(h.client.groups.create({ name: 'Echo' })));
    h.sim.faults.failNext(1, { status: 403, body: { ...ECHO_BODY, code: 'ACCESS_FAILED' } });
    errors.push(await caught(h.client.users.list().toArray()));
    errors.push(await caught(h.client.users.get('missing')));
    // The token endpoint echoing the Basic credential (client_secret_basic) and the form secret (client_secret_post).
    h.sim.faults.expireAllTokens();
    h.sim.faults.failTokenEndpoint(1, 401, {
      error: 'invalid_client {credential}',
      error_description: 'You sent {authorization} ({credential})',
    });
    errors.push(await caught(h.client.users.list().toArray()));
    const post = createPingOneClient({ ...h.options, tokenEndpointAuthMethod: 'client_secret_post' });
    h.sim.faults.failTokenEndpoint(1, 400, {
      error: 'invalid_request',
      error_description: 'client_secret={client_secret} and "{client_secret}"',
    });
    errors.push(await caught(post.users.list().toArray()));
    // Outcome unknown (a cut POST), timeout, network failure, abort, bad credentials, bad configuration.
    h.sim.faults.cutNext(1, { method: 'POST', path: '/groups' });
    errors.push(await caught(h.client.groups.create({ name: 'Cut' })));
    h.sim.faults.setLatency(300);
    errors.push(await caught(h.client.users.list({}, { timeoutMs: 50 }).toArray()));
    h.sim.faults.setLatency(0);
    const [issuedToken] = h.sim.store.tokens.issued();
    const closedPort = await freePort();
    const unreachable = createPingOneClient({
      environmentId: h.sim.environmentId,
      apiUrl: `http://127.0.0.1:${closedPort}/v1`,
      accessToken: issuedToken,
      retry: { maxAttempts: 1 },
    });
    errors.push(await caught(unreachable.users.list().toArray()));
    // no auth server listening: a network failure, not a refused credential (issue 30)
    const noAuthServer = createPingOneClient({ ...h.options, authUrl: `http://127.0.0.1:${closedPort}` });
    errors.push(await caught(noAuthServer.users.list().toArray()));
    const controller = new AbortController();
    controller.abort();
    errors.push(await caught(h.client.users.list({}, { signal: controller.signal }).toArray()));
    errors.push(
      await caught(
        createPingOneClient({ ...h.options, clientSecret: 'wrong-secret-123456' })
          .users.list()
          .toArray(),
      ),
    );
    errors.push(await caught(Promise.resolve().then(() => createPingOneClient({ ...h.options, clientSecrett: clientSecret } as never))));
    errors.push(
      await caught(
        Promise.resolve().then(() =>
          createPingOneClient(
            `pingone://?WorkerAppEnvironmentId=${h.sim.environmentId}&OAuthClientId=${clientId}&OAuthClientSecret=${encodeURIComponent(clientSecret)}&Region=Mars`,
          ),
        ),
      ),
    );
    const fromUrl = pingOneOptionsFromUrl(
      `pingone://?WorkerAppEnvironmentId=${h.sim.environmentId}&OAuthClientId=${clientId}&OAuthClientSecret=${encodeURIComponent(clientSecret)}`,
    );
    const fromEnv = pingOneOptionsFromEnv({
      PINGONE_ENVIRONMENT_ID: h.sim.environmentId,
      PINGONE_CLIENT_ID: clientId,
      PINGONE_CLIENT_SECRET: clientSecret,
    });
    const staticProvider = new StaticTokenProvider(issuedToken);
    keep(post, unreachable, noAuthServer, fromUrl, fromEnv, staticProvider, h.sim, h.sim.credentials, ...errors);
    texts.push(...h.log.lines);

    const codes = errors.map((e) => (e as PingOneError).code);
    expect(codes).toEqual([
      'API_ERROR',
      'API_ERROR',
      'API_ERROR',
      'AUTH_ERROR',
      'AUTH_ERROR',
      'OUTCOME_UNKNOWN',
      'TIMEOUT',
      'NETWORK_ERROR',
      'NETWORK_ERROR',
      'ABORTED',
      'AUTH_ERROR',
      'CONFIG_ERROR',
      'CONFIG_ERROR',
    ]);
    // The echoes did arrive (the simulator filled them in) and were redacted where they were copied.
    const echoed = errors[0] as PingOneApiError;
    expect(echoed.details).toHaveLength(2);
    expect(echoed.details[0]).toMatchObject({
      target: '[REDACTED]',
      message: 'token [REDACTED] is odd',
      innerError: { echoed: 'Bearer [REDACTED]', nested: { list: ['[REDACTED]', 7] } },
    });
    expect(echoed.message).toContain('Rejected Bearer [REDACTED]');
    expect((errors[3] as PingOneError).message).toContain('You sent Basic [REDACTED] ([REDACTED])');
    expect((errors[4] as PingOneError).message).toContain('client_secret=[REDACTED] and "[REDACTED]"');

    const everything = texts.join('\n');
    const tokens = h.sim.store.tokens.issued();
    expect(tokens).toHaveLength(2); // the first, and the one fetched after expireAllTokens and the injected token failure
    expect(texts.length).toBeGreaterThan(150);
    expectNoLeak(texts, [...credentialForms(clientId, clientSecret), 'wrong-secret-123456', ...tokens]);
    expect(everything).not.toMatch(/(Basic|Bearer) (?!\[REDACTED\])[A-Za-z0-9+/=._-]{10,}/);
  });

  test('the redactor removes every Basic form of a registered pair, JWT-shaped tokens, and nested strings', async () => {
    h = await startHarness(); // afterEach closes one
    const { SecretRedactor } = await import('../src/redact.js');
    const redactor = new SecretRedactor();
    redactor.addBasic('client id', 'p@ss:word/+secret');
    const basic = Buffer.from('client%20id:p%40ss%3Aword%2F%2Bsecret').toString('base64');
    const raw = Buffer.from('client id:p@ss:word/+secret').toString('base64');
    expect(redactor.redact(`a ${basic} b ${raw} c p%40ss%3Aword%2F%2Bsecret d p@ss:word/+secret`)).toBe(
      'a [REDACTED] b [REDACTED] c [REDACTED] d [REDACTED]',
    );
    expect(redactor.redact('x eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl y')).toBe('x [REDACTED] y');
    expect(redactor.redact('the basic problem is a bearer bond')).toBe('the basic problem is a bearer bond');
    expect(redactor.redactDeep({ a: [{ b: `Basic ${basic}` }], n: 1 })).toEqual({ a: [{ b: 'Basic [REDACTED]' }], n: 1 });
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
