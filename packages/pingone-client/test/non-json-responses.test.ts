import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPingOneClient, PingOneError, type PingOneClient } from '../src';
import { startHarness, type Harness } from './helpers/client-under-test';

/*
 * A proxy in front of PingOne (or a wrong apiUrl) answers what PingOne never would: a redirect to a sign-in page, an
 * empty 200, an HTML page. Tokens still come from the simulator; the API calls go to a tiny local server that
 * answers `reply`, so each case reaches the client exactly as a proxy would send it.
 */
interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

let h: Harness;
let proxy: Server;
let reply: Reply;
let hits = 0;
let client: PingOneClient;

beforeEach(async () => {
  h = await startHarness({ seed: 'demo', users: 3 });
  hits = 0;
  proxy = createServer((req, res) => {
    hits++;
    req.resume();
    res.writeHead(reply.status, reply.headers);
    res.end(reply.body);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as AddressInfo;
  client = createPingOneClient({ ...h.options, apiUrl: `http://127.0.0.1:${port}/v1` });
});

afterEach(async () => {
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
  await h.close();
});

const failure = async (work: Promise<unknown>): Promise<PingOneError> => {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PingOneError);
  return error as PingOneError;
};

test('a 302 to a sign-in page is an error naming the status, the target and the content type, not an empty list', async () => {
  reply = {
    status: 302,
    headers: { location: 'https://sso.example.com/login?access_token=leaked123', 'content-type': 'text/html' },
    body: '<a href="…">moved</a>',
  };
  const error = await failure(client.users.list().toArray());
  expect(error.code).toBe('INVALID_RESPONSE');
  expect(error.message).toMatch(
    /answered 302 \(a redirect to https:\/\/sso\.example\.com\/login\?access_token=\[REDACTED\], content-type text\/html\)/,
  );
  expect(error.message).not.toContain('leaked123');
  expect(hits).toBe(1); // not followed, not retried
});

test('an empty 200 is an error naming the status and content type, not an empty list', async () => {
  reply = { status: 200, headers: { 'content-type': 'application/hal+json;charset=UTF-8' }, body: '' };
  const error = await failure(client.users.list().toArray());
  expect(error.code).toBe('INVALID_RESPONSE');
  expect(error.message).toMatch(
    /GET http:\/\/127\.0\.0\.1:\d+\/v1\/environments\/[^ ]+\/users answered 200 with an empty body \(content-type application\/hal\+json\)/,
  );
  expect(hits).toBe(1);
});

test('an HTML 200 from a proxy is an error naming the status and content type', async () => {
  reply = {
    status: 200,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: '<html><body>Please sign in to the corporate proxy</body></html>',
  };
  const error = await failure(client.users.get('some-id'));
  expect(error.code).toBe('INVALID_RESPONSE');
  expect(error.message).toMatch(/answered 200 with content-type text\/html instead of JSON/);
  expect(error.message).not.toContain('corporate proxy'); // the page itself is not copied into the error
});

test('a 200 without a content type, or JSON that is not a collection, is an error too', async () => {
  reply = { status: 200, headers: {}, body: 'OK' };
  expect((await failure(client.users.list().toArray())).message).toMatch(/answered 200 with no content-type instead of JSON/);
  reply = { status: 200, headers: { 'content-type': 'application/json' }, body: '{}' };
  expect((await failure(client.users.list().toArray())).message).toMatch(
    /PingOne GET http:\/\/\S+\/users returned an object without _embedded \(keys: none\) where a collection of users/,
  );
  reply = { status: 200, headers: { 'content-type': 'application/json' }, body: '<html>' };
  expect((await failure(client.users.get('x'))).message).toMatch(
    /answered 200 with content-type application\/json but a body that is not JSON/,
  );
  expect(hits).toBe(3);
});

test("PingOne's own answers still read: a 204 without a body, and an empty collection", async () => {
  reply = { status: 204, headers: {}, body: '' };
  await expect(client.users.delete('some-id')).resolves.toBeUndefined();
  reply = {
    status: 200,
    headers: { 'content-type': 'application/hal+json;charset=UTF-8' },
    body: JSON.stringify({ _links: { self: { href: 'x' } }, _embedded: { users: [] }, count: 0, size: 0 }),
  };
  await expect(client.users.list().toArray()).resolves.toEqual([]);
  expect(hits).toBe(2);
});
