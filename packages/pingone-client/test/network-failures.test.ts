import { createServer, type Server, type Socket } from 'node:net';
import { createPingOneClient, PingOneAuthError, PingOneNetworkError, PingOneTimeoutError } from '../src';
import { describeNetworkFailure, networkFailureKind } from '../src/http/network-failure';

/*
 * A failure before any answer is named for what it was (DNS, refused, TLS, timeout), on the token request as on API
 * calls: with no network, "PingOne refused the credentials" would send people to rotate a secret that is fine.
 */
const ENV = '11111111-1111-4111-8111-111111111111';
let server: Server | undefined;
const sockets = new Set<Socket>();

afterEach(async () => {
  for (const s of sockets) s.destroy();
  sockets.clear();
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  server = undefined;
});

/** A TCP server that never speaks HTTP: it either says nothing (a hung service) or answers garbage (no TLS). */
async function rawServer(onData: (socket: Socket) => void): Promise<number> {
  server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', () => onData(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
  return (server.address() as { port: number }).port;
}

async function tokenFailure(authUrl: string, timeoutMs = 5000): Promise<unknown> {
  const client = createPingOneClient({
    environmentId: ENV,
    clientId: 'app',
    clientSecret: 'not-checked-secret',
    authUrl,
    apiUrl: 'http://127.0.0.1:9/v1',
    timeoutMs,
    retry: { maxAttempts: 1 },
    rateLimit: false,
  });
  try {
    return await client.getEnvironment().then(
      () => undefined,
      (error: unknown) => error,
    );
  } finally {
    client.close();
  }
}

test('nothing listening at the token endpoint: a NETWORK_ERROR that says the connection was refused, not an auth error', async () => {
  const error = await tokenFailure('http://127.0.0.1:9');
  expect(error).toBeInstanceOf(PingOneNetworkError);
  expect(error).not.toBeInstanceOf(PingOneAuthError);
  expect(error).toMatchObject({ code: 'NETWORK_ERROR', failure: 'connection-refused' });
  expect((error as Error).message).toMatch(
    /^PingOne POST http:\/\/127\.0\.0\.1:9\/11111111-1111-4111-8111-111111111111\/as\/token failed before PingOne answered: the connection to 127\.0\.0\.1:9 was refused \(ECONNREFUSED/,
  );
  expect((error as Error).message).not.toContain('not-checked-secret');
});

test('a host name that does not resolve: a NETWORK_ERROR naming DNS and the host', async () => {
  const error = await tokenFailure('https://auth.pingone-test.invalid');
  expect(error).toMatchObject({ code: 'NETWORK_ERROR', failure: 'dns' });
  expect((error as Error).message).toMatch(/the host name auth\.pingone-test\.invalid could not be resolved \(DNS, (ENOTFOUND|EAI_AGAIN)/);
});

test("https to a server that does not speak TLS: a NETWORK_ERROR naming TLS and OpenSSL's reason", async () => {
  const port = await rawServer((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
  const error = await tokenFailure(`https://127.0.0.1:${port}`);
  expect(error).toMatchObject({ code: 'NETWORK_ERROR', failure: 'tls' });
  expect((error as Error).message).toMatch(
    new RegExp(`the TLS \\(https\\) connection to 127\\.0\\.0\\.1:${port} failed \\(EPROTO: wrong version number\\)`),
  );
  expect((error as Error).message).not.toContain('\n');
});

test('a token endpoint that accepts the connection and never answers: a TIMEOUT with the time waited', async () => {
  const port = await rawServer(() => undefined);
  const error = await tokenFailure(`http://127.0.0.1:${port}`, 300);
  expect(error).toBeInstanceOf(PingOneTimeoutError);
  expect((error as Error).message).toMatch(/got no complete answer within 300 ms/);
});

test.each([
  ['ENOTFOUND', 'dns'],
  ['EAI_AGAIN', 'dns'],
  ['ECONNREFUSED', 'connection-refused'],
  ['ECONNRESET', 'connection-reset'],
  ['EHOSTUNREACH', 'unreachable'],
  ['ENETUNREACH', 'unreachable'],
  ['CERT_HAS_EXPIRED', 'tls'],
  ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls'],
  ['SELF_SIGNED_CERT_IN_CHAIN', 'tls'],
  ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls'],
  ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls'],
  ['ERR_SSL_WRONG_VERSION_NUMBER', 'tls'],
  ['EPROTO', 'tls'],
  ['EWHATEVER', 'other'],
] as const)('%s is a %s failure', (code, kind) => {
  expect(networkFailureKind(code)).toBe(kind);
  const { reason } = describeNetworkFailure(code, `${code} happened`, 'https://api.pingone.eu/v1/environments');
  if (kind !== 'other') expect(reason).toMatch(/api\.pingone\.eu/);
  expect(reason).toContain(code);
});
