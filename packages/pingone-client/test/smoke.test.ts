import got from 'got';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

test('got loads under jest', async () => {
  const server = createServer((_req, res) => { res.setHeader('content-type', 'application/json'); res.end('{"ok":true}'); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const body = await got(`http://127.0.0.1:${port}/`).json<{ ok: boolean }>();
  server.close();
  expect(body).toEqual({ ok: true });
});
