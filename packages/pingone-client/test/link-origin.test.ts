import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPingOneClient, PingOneError } from '../src';

const ENV = '5f6c2f7e-9a3b-4c1d-8e2f-0a1b2c3d4e5f';
const TOKEN = 'test-access-token-0123456789';

interface Recorder {
  readonly server: Server;
  readonly url: string;
  readonly seen: { path: string; authorization: string | undefined }[];
}

/** A local HTTP server that records every request (path and whether it carried a token) and answers with `reply`. */
async function recorder(reply: (req: IncomingMessage, self: string) => unknown): Promise<Recorder> {
  const seen: Recorder['seen'] = [];
  let self = '';
  const server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', authorization: req.headers.authorization });
    res.writeHead(200, { 'content-type': 'application/hal+json;charset=UTF-8' });
    res.end(JSON.stringify(reply(req, self)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  self = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, url: self, seen };
}

const page = (next: string | undefined, ids: string[]) => ({
  _links: { self: { href: 'x' }, ...(next ? { next: { href: next } } : {}) },
  _embedded: { users: ids.map((id) => ({ id, username: id })) },
  size: ids.length,
});

let servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  servers = [];
});

async function start(reply: (req: IncomingMessage, self: string) => unknown): Promise<Recorder> {
  const r = await recorder(reply);
  servers.push(r.server);
  return r;
}

test('a next link to another origin is refused, naming the host, and the token never reaches it', async () => {
  const hostile = await start(() => page(undefined, ['stolen']));
  const api = await start(() => page(`${hostile.url}/v1/environments/${ENV}/users?cursor=abc`, ['u1']));
  const client = createPingOneClient({ environmentId: ENV, apiUrl: `${api.url}/v1`, accessToken: TOKEN, rateLimit: false });
  const seen: string[] = [];
  const error = await (async () => {
    for await (const user of client.users.list()) seen.push(user.id);
  })().catch((e: unknown) => e);
  expect(seen).toEqual(['u1']);
  expect(error).toBeInstanceOf(PingOneError);
  expect(error).toMatchObject({ code: 'OFF_ORIGIN_LINK' });
  expect((error as Error).message).toContain(`127.0.0.1:${new URL(hostile.url).port}`);
  expect((error as Error).message).toContain(api.url);
  expect((error as Error).message).not.toContain(TOKEN);
  expect(hostile.seen).toEqual([]);
  expect(api.seen).toEqual([{ path: `/v1/environments/${ENV}/users`, authorization: `Bearer ${TOKEN}` }]);
});

test('a next link on the API origin is followed with the token', async () => {
  const api = await start((req, self) =>
    req.url?.includes('cursor=') ? page(undefined, ['u2']) : page(`${self}/v1/environments/${ENV}/users?cursor=2`, ['u1']),
  );
  const client = createPingOneClient({ environmentId: ENV, apiUrl: `${api.url}/v1`, accessToken: TOKEN, rateLimit: false });
  expect((await client.users.list().toArray()).map((u) => u.id)).toEqual(['u1', 'u2']);
  expect(api.seen.map((s) => s.authorization)).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`]);
});

test.each([
  ['another scheme', (api: string) => api.replace('http://', 'https://')],
  ['another port', (_api: string, other: string) => other],
  ['another host name for the same address', (api: string) => api.replace('127.0.0.1', 'localhost')],
  ['a non-http scheme', () => 'file:///etc/passwd'],
])('%s is off-origin', async (_name, target) => {
  const other = await start(() => page(undefined, []));
  const api = await start((_req, self) => page(`${target(self, other.url)}/v1/environments/${ENV}/users?cursor=1`, ['u1']));
  const client = createPingOneClient({ environmentId: ENV, apiUrl: `${api.url}/v1`, accessToken: TOKEN, rateLimit: false });
  await expect(client.users.list().toArray()).rejects.toMatchObject({ code: 'OFF_ORIGIN_LINK' });
  expect(other.seen).toEqual([]);
  expect(api.seen).toHaveLength(1);
});

test('request() with an absolute href elsewhere is refused before anything is sent', async () => {
  const hostile = await start(() => ({}));
  const api = await start(() => ({}));
  const client = createPingOneClient({ environmentId: ENV, apiUrl: `${api.url}/v1`, accessToken: TOKEN, rateLimit: false });
  await expect(client.request({ method: 'GET', url: `${hostile.url}/v1/environments` })).rejects.toMatchObject({ code: 'OFF_ORIGIN_LINK' });
  expect(hostile.seen).toEqual([]);
  expect(api.seen).toEqual([]);
});
