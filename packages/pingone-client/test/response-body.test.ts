import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPingOneClient, PingOneAbortError, type PingOneClient } from '../src';
import { startHarness, type Harness } from './helpers/client-under-test';

/*
 * The transport assembles each response body from the chunks it receives (got's stream API). Tokens come from the
 * simulator; API calls go to a tiny local server whose `handle` decides how each answer is sent: in pieces, cut
 * short, or held open.
 */
let h: Harness;
let server: Server;
let handle: (req: IncomingMessage, res: ServerResponse, hit: number) => void;
let hits = 0;
let client: PingOneClient;
const HAL = { 'content-type': 'application/hal+json;charset=UTF-8' };

beforeEach(async () => {
  h = await startHarness({ seed: 'demo', users: 1 });
  hits = 0;
  server = createServer((req, res) => handle(req, res, ++hits));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  client = createPingOneClient({ ...h.options, apiUrl: `http://127.0.0.1:${port}/v1` });
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await h.close();
});

const user = (id: string, extra: Record<string, unknown> = {}) => ({ id, username: `user-${id}`, ...extra });

test('a body sent in many pieces, with a multi-byte character split between two of them, arrives whole', async () => {
  const text = Buffer.from(
    JSON.stringify(user('u1', { name: { given: 'Zoë', family: 'Ångström 😀' }, padding: 'x'.repeat(200_000) })),
    'utf8',
  );
  const split = text.indexOf(Buffer.from('😀', 'utf8')) + 2; // inside the 4-byte emoji
  handle = (req, res) => {
    req.resume();
    res.writeHead(200, { ...HAL, 'content-length': String(text.length) });
    res.write(text.subarray(0, split));
    setTimeout(() => res.end(text.subarray(split)), 20);
  };
  const got = await client.users.get('u1');
  expect(got).toMatchObject({ id: 'u1', name: { given: 'Zoë', family: 'Ångström 😀' } });
  expect((got as unknown as { padding: string }).padding).toHaveLength(200_000);
  expect(hits).toBe(1);
});

test('a response cut off mid-body is a network failure, retried for a GET, never a truncated JSON', async () => {
  const text = JSON.stringify(user('u1', { padding: 'y'.repeat(100_000) }));
  handle = (req, res, hit) => {
    req.resume();
    res.writeHead(200, { ...HAL, 'content-length': String(Buffer.byteLength(text)) });
    if (hit === 1) {
      res.write(text.slice(0, 1000));
      setTimeout(() => res.socket?.destroy(), 20);
    } else res.end(text);
  };
  await expect(client.users.get('u1')).resolves.toMatchObject({ id: 'u1' });
  expect(hits).toBe(2);
});

test('a DELETE without a body is sent complete (the request ends) and answered', async () => {
  const seen: { method?: string; ended?: boolean; length?: number }[] = [];
  handle = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method!, ended: true, length: Buffer.concat(chunks).length });
      res.writeHead(204);
      res.end();
    });
  };
  await expect(client.users.delete('u1')).resolves.toBeUndefined();
  expect(seen).toEqual([{ method: 'DELETE', ended: true, length: 0 }]);
});

test("the caller's signal aborts a response whose body is still arriving", async () => {
  let closed!: () => void;
  const connectionClosed = new Promise<void>((resolve) => {
    closed = resolve;
  });
  handle = (req, res) => {
    req.resume();
    res.writeHead(200, { ...HAL, 'content-length': '100000' });
    res.write('{"id":"u1","padding":"');
    res.on('close', () => closed());
  };
  const controller = new AbortController();
  const pending = client.users.get('u1', {}, { signal: controller.signal });
  while (hits === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  await new Promise((resolve) => setTimeout(resolve, 30));
  controller.abort();
  await expect(pending).rejects.toBeInstanceOf(PingOneAbortError);
  await connectionClosed; // the socket was released, not left waiting for the rest of the body
  expect(hits).toBe(1);
});
